import fc from 'fast-check';
import { BROKERABLE_ORDER_STATUSES, ORDER_ITEM_TRANSITIONS, ORDER_TRANSITIONS, UNALLOCATED_ITEM_STATUSES } from './order-transitions';
import { ORDER_ITEM_STATUSES, ORDER_STATUSES } from './statuses';
import { canTransition, isFinal, predecessorsOf, TransitionTable, transitionPairs } from './transition-table';

const tables: [string, TransitionTable<string>, readonly string[]][] = [
  ['order', ORDER_TRANSITIONS, ORDER_STATUSES],
  ['order item', ORDER_ITEM_TRANSITIONS, ORDER_ITEM_STATUSES],
];

/** Every status reachable from CREATED by allowed moves. */
function reachable(table: TransitionTable<string>): Set<string> {
  const seen = new Set(['CREATED']);
  for (const status of seen) for (const next of table[status].to) seen.add(next);
  return seen;
}

describe.each(tables)('the %s transitions table', (_kind, table, statuses) => {
  it('has an entry for every declared status, and names no other', () => {
    expect(Object.keys(table).sort()).toEqual([...statuses].sort());
    for (const status of statuses) for (const next of table[status].to) expect(statuses).toContain(next);
  });

  it('reaches every status from CREATED, and ends only in COMPLETED, SHIPPED, HANDED_OVER or CANCELLED', () => {
    expect([...reachable(table)].sort()).toEqual([...statuses].sort());
    expect(
      statuses.filter((status) => isFinal(table, status)).every((status) => ['COMPLETED', 'SHIPPED', 'HANDED_OVER', 'CANCELLED'].includes(status)),
    ).toBe(true);
  });

  it('never leaves CANCELLED, and never returns to CREATED', () => {
    expect(isFinal(table, 'CANCELLED')).toBe(true);
    expect(predecessorsOf(table, 'CREATED')).toEqual([]);
  });

  it('agrees with itself: canTransition, predecessorsOf and the pairs the database checks say the same for any pair', () => {
    const pairs = transitionPairs(table);
    const status = fc.constantFrom(...statuses);
    fc.assert(
      fc.property(status, status, (from, to) => {
        const allowed = canTransition(table, from, to);
        expect(predecessorsOf(table, to).includes(from)).toBe(allowed);
        expect(pairs.from.some((pairFrom, i) => pairFrom === from && pairs.to[i] === to)).toBe(allowed);
        if (isFinal(table, from)) expect(allowed).toBe(false);
      }),
    );
  });

  it('allows any walk of allowed moves from CREATED and refuses every step the table does not list', () => {
    const walk = fc.array(fc.nat(), { maxLength: 12 });
    fc.assert(
      fc.property(walk, fc.constantFrom(...statuses), (choices, intruder) => {
        let current = 'CREATED';
        for (const choice of choices) {
          const next = table[current].to;
          if (next.length === 0) break;
          const chosen = next[choice % next.length];
          expect(canTransition(table, current, chosen)).toBe(true);
          current = chosen;
        }
        if (!table[current].to.includes(intruder)) expect(canTransition(table, current, intruder)).toBe(false);
      }),
    );
  });
});

describe('statuses derived from the tables', () => {
  it('brokering works on orders that may still become BROKERED, and on items that may still become ALLOCATED', () => {
    expect([...BROKERABLE_ORDER_STATUSES].sort()).toEqual(['APPROVED', 'BACKORDERED', 'PARTIALLY_BROKERED']);
    expect([...UNALLOCATED_ITEM_STATUSES].sort()).toEqual(['BACKORDERED', 'CREATED']);
  });

  it('an order is brokered only once approved (or released from a hold), and may be cancelled before', () => {
    expect(ORDER_TRANSITIONS.CREATED.to).toEqual(['APPROVED', 'HELD', 'CANCELLED']);
    expect(predecessorsOf(ORDER_TRANSITIONS, 'APPROVED')).toEqual(['CREATED', 'HELD']);
    expect(ORDER_TRANSITIONS.HELD.to).toEqual(['APPROVED', 'CANCELLED']);
    expect(BROKERABLE_ORDER_STATUSES).not.toContain('HELD');
  });

  it('an item ships only once packed, and is handed over only once ready for pickup', () => {
    expect(predecessorsOf(ORDER_ITEM_TRANSITIONS, 'SHIPPED')).toEqual(['PACKED']);
    expect(predecessorsOf(ORDER_ITEM_TRANSITIONS, 'HANDED_OVER')).toEqual(['READY_FOR_PICKUP']);
    expect(predecessorsOf(ORDER_ITEM_TRANSITIONS, 'PACKED')).toEqual(['ALLOCATED', 'PICKING']);
  });

  it('an item can be cancelled or held (wait again) until it is packed, and a pickup nobody collects can be cancelled', () => {
    expect([...predecessorsOf(ORDER_ITEM_TRANSITIONS, 'CANCELLED')].sort()).toEqual([
      'ALLOCATED',
      'BACKORDERED',
      'CREATED',
      'PICKING',
      'READY_FOR_PICKUP',
    ]);
    expect([...predecessorsOf(ORDER_ITEM_TRANSITIONS, 'BACKORDERED')].sort()).toEqual(['ALLOCATED', 'BACKORDERED', 'CREATED', 'PICKING']);
    for (const status of ['PACKED', 'SHIPPED', 'HANDED_OVER'] as const)
      expect(canTransition(ORDER_ITEM_TRANSITIONS, status, 'CANCELLED')).toBe(false);
  });

  it('unpacking puts a packed item back in picking; nothing goes back to ALLOCATED from the facility work', () => {
    expect(ORDER_ITEM_TRANSITIONS.PACKED.to).toContain('PICKING');
    expect([...predecessorsOf(ORDER_ITEM_TRANSITIONS, 'ALLOCATED')].sort()).toEqual(['BACKORDERED', 'CREATED']);
  });

  it('an order completes once brokered, or partly brokered when the items that wait are cancelled', () => {
    expect(predecessorsOf(ORDER_TRANSITIONS, 'COMPLETED')).toEqual(['PARTIALLY_BROKERED', 'BROKERED']);
  });
});
