import fc from 'fast-check';
import { assignPromises, IncomingLine, WaitingLine } from './promises';

const P = 'product-a';

function waiting(quantities: number[], productId = P): WaitingLine[] {
  return quantities.map((quantity, index) => ({ itemId: `item-${index}`, orderId: `order-${index}`, productId, quantity, promise: null }));
}

function po(purchaseOrderId: string, expectedDate: string, openQuantity: number, productId = P): IncomingLine {
  return { purchaseOrderId, productId, expectedDate, openQuantity };
}

describe('assignPromises', () => {
  it('promises the oldest lines against the purchase order, and none beyond its quantity', () => {
    const changes = assignPromises(waiting([1, 1, 1]), new Map(), [po('po-1', '2027-02-01', 2)]);
    expect(changes.map((change) => [change.itemId, change.to?.purchaseOrderId])).toEqual([
      ['item-0', 'po-1'],
      ['item-1', 'po-1'],
    ]);
  });

  it('moves every promise to an earlier purchase order, oldest first', () => {
    const lines = waiting([1, 1, 1]);
    lines[0].promise = { purchaseOrderId: 'late', promiseDate: '2027-03-01' };
    lines[1].promise = { purchaseOrderId: 'late', promiseDate: '2027-03-01' };
    const changes = assignPromises(lines, new Map(), [po('early', '2027-02-01', 5), po('late', '2027-03-01', 2)]);
    expect(changes.map((change) => [change.itemId, change.from?.purchaseOrderId ?? null, change.to?.purchaseOrderId])).toEqual([
      ['item-0', 'late', 'early'],
      ['item-1', 'late', 'early'],
      ['item-2', null, 'early'],
    ]);
  });

  it('gives no promise to lines that stock on hand covers, oldest first', () => {
    const changes = assignPromises(waiting([2, 1, 1]), new Map([[P, 3]]), [po('po-1', '2027-02-01', 5)]);
    expect(changes.map((change) => change.itemId)).toEqual(['item-2']);
  });

  it('lets a smaller line behind take what a larger one cannot, and withdraws a promise nothing covers', () => {
    const lines = waiting([3, 1]);
    lines[0].promise = { purchaseOrderId: 'po-1', promiseDate: '2027-02-01' };
    const changes = assignPromises(lines, new Map(), [po('po-1', '2027-02-01', 2)]);
    expect(changes).toEqual([
      expect.objectContaining({ itemId: 'item-0', to: null }),
      expect.objectContaining({ itemId: 'item-1', to: { purchaseOrderId: 'po-1', promiseDate: '2027-02-01' } }),
    ]);
  });

  it('keeps products apart', () => {
    const lines = [...waiting([1], 'a'), ...waiting([1], 'b')].map((line, index) => ({ ...line, itemId: `item-${index}` }));
    const changes = assignPromises(lines, new Map(), [po('po-a', '2027-02-01', 1, 'a')]);
    expect(changes.map((change) => [change.itemId, change.to?.purchaseOrderId])).toEqual([['item-0', 'po-a']]);
  });

  it('never promises more than a purchase order has open, and promises no line that fits behind one left without', () => {
    const scenario = fc.record({
      quantities: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 30 }),
      stock: fc.integer({ min: 0, max: 10 }),
      incoming: fc.array(fc.record({ date: fc.integer({ min: 1, max: 28 }), open: fc.integer({ min: 1, max: 8 }) }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(scenario, ({ quantities, stock, incoming }) => {
        const supply = incoming
          .map((line, index) => po(`po-${index}`, `2027-02-${String(line.date).padStart(2, '0')}`, line.open))
          .sort((a, b) => a.expectedDate.localeCompare(b.expectedDate));
        const lines = waiting(quantities);
        const changes = assignPromises(lines, new Map([[P, stock]]), supply);
        const promised = new Map<string, number>();
        for (const change of changes) {
          if (!change.to) continue;
          const line = lines.find((candidate) => candidate.itemId === change.itemId)!;
          promised.set(change.to.purchaseOrderId, (promised.get(change.to.purchaseOrderId) ?? 0) + line.quantity);
        }
        for (const line of supply) expect(promised.get(line.purchaseOrderId) ?? 0).toBeLessThanOrEqual(line.openQuantity);
        // First come, first promised: a line is promised a date no later than any line behind it of the same size or larger.
        const dates = lines.map((line) => changes.find((change) => change.itemId === line.itemId)?.to?.promiseDate);
        lines.forEach((line, i) =>
          lines.slice(i + 1).forEach((later, offset) => {
            const mine = dates[i];
            const theirs = dates[i + 1 + offset];
            if (later.quantity >= line.quantity && theirs !== undefined && mine !== undefined) expect(mine <= theirs).toBe(true);
          }),
        );
      }),
    );
  });
});
