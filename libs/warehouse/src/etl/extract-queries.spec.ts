import { extractQueries } from './extract-queries';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

describe('extractQueries', () => {
  it('without a watermark takes everything, and files the inventory snapshot under its day', () => {
    const queries = extractQueries({ snapshotDateKey: 20260301 }, quote);
    expect(queries.dim_product).toMatch(/^COPY \(SELECT .* FROM product WHERE true\) TO STDOUT$/);
    expect(queries.fact_order_item).toContain('WHERE (true OR true)');
    expect(queries.fact_inventory_daily).toMatch(/^COPY \(SELECT 20260301, facility_id/);
  });

  it('an incremental run takes rows changed after the watermark, items also when only their order changed', () => {
    const queries = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(queries.dim_facility).toContain(`WHERE updated_at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(queries.fact_order_item).toContain(
      `(i.updated_at > '2026-03-01T00:00:00.000Z'::timestamptz OR o.updated_at > '2026-03-01T00:00:00.000Z'::timestamptz)`,
    );
  });

  it('a window run takes the items of orders placed in the window, and the history entries written in it, whatever their change time', () => {
    const queries = extractQueries(
      {
        changedAfter: '2026-03-01T00:00:00.000Z',
        window: { from: '2026-02-01T05:00:00.000Z', to: '2026-02-02T05:00:00.000Z' },
        snapshotDateKey: 20260301,
      },
      quote,
    );
    expect(queries.fact_order_item).toContain(
      `WHERE o.created_at >= '2026-02-01T05:00:00.000Z'::timestamptz AND o.created_at < '2026-02-02T05:00:00.000Z'::timestamptz`,
    );
    expect(queries.fact_order_item).not.toContain('i.updated_at >');
    expect(queries.fact_allocation).toContain(
      `h.type = 'ALLOCATED' AND h.at >= '2026-02-01T05:00:00.000Z'::timestamptz AND h.at < '2026-02-02T05:00:00.000Z'::timestamptz`,
    );
    expect(queries.fact_rejection).toContain(`h.type = 'REJECTED' AND h.at >= '2026-02-01T05:00:00.000Z'::timestamptz`);
    expect(queries.dim_routing_rule).toContain(`r.updated_at > '2026-03-01T00:00:00.000Z'::timestamptz`);
  });

  it('an incremental run takes the history entries written after the watermark, and a rule when its routing or group changed', () => {
    const queries = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(queries.fact_allocation).toContain(`WHERE h.type = 'ALLOCATED' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(queries.fact_rejection).toContain(`WHERE h.type = 'REJECTED' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(queries.dim_routing_rule).toContain(
      `r.updated_at > '2026-03-01T00:00:00.000Z'::timestamptz OR ro.updated_at > '2026-03-01T00:00:00.000Z'::timestamptz OR g.updated_at >`,
    );
  });

  it('takes a table the warehouse holds no row of yet whole, whatever the watermark', () => {
    const queries = extractQueries(
      { changedAfter: '2026-03-01T00:00:00.000Z', wholeTables: new Set(['fact_rejection', 'dim_routing_rule'] as const), snapshotDateKey: 20260301 },
      quote,
    );
    expect(queries.fact_rejection).toContain(`WHERE h.type = 'REJECTED' AND true`);
    expect(queries.dim_routing_rule).toContain('WHERE true OR true OR true');
    expect(queries.fact_allocation).toContain(`h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(queries.dim_product).toContain(`updated_at > '2026-03-01T00:00:00.000Z'::timestamptz`);
  });

  it('takes holds, the first approving entry of each order with its CREATED entry, and auto-cancels, by the same watermark or window', () => {
    const incremental = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(incremental.fact_hold).toContain(`FROM order_history h\n      WHERE h.type = 'HELD' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(incremental.fact_approval).toContain(`JOIN order_history c ON c.order_id = h.order_id AND c.type = 'CREATED'`);
    expect(incremental.fact_approval).toContain(
      `h.type IN ('APPROVED', 'RELEASED') AND NOT EXISTS (SELECT FROM order_history e WHERE e.order_id = h.order_id AND e.type IN ('APPROVED', 'RELEASED') AND e.id < h.id) AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`,
    );
    expect(incremental.fact_auto_cancel).toContain(`JOIN order_item i ON i.id = h.item_id`);
    expect(incremental.fact_auto_cancel).toContain(`h.type = 'AUTO_CANCELLED' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);

    const window = extractQueries(
      {
        changedAfter: '2026-03-01T00:00:00.000Z',
        window: { from: '2026-02-01T05:00:00.000Z', to: '2026-02-02T05:00:00.000Z' },
        snapshotDateKey: 20260301,
      },
      quote,
    );
    for (const table of ['fact_hold', 'fact_approval', 'fact_auto_cancel'] as const) {
      expect(window[table]).toContain(`h.at >= '2026-02-01T05:00:00.000Z'::timestamptz AND h.at < '2026-02-02T05:00:00.000Z'::timestamptz`);
    }
    const whole = extractQueries(
      { changedAfter: '2026-03-01T00:00:00.000Z', wholeTables: new Set(['fact_approval'] as const), snapshotDateKey: 1 },
      quote,
    );
    expect(whole.fact_approval).toContain(`AND e.id < h.id) AND true) TO STDOUT`);
    expect(whole.fact_hold).toContain(`h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
  });

  it('takes shipped items with their latest allocation before the shipment, and `not collected` cancels with a facility, by the same watermark or window', () => {
    const incremental = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(incremental.fact_shipment).toContain(
      `SELECT max(a.at) FROM order_history a WHERE a.order_id = h.order_id AND a.item_id = h.item_id AND a.type = 'ALLOCATED' AND a.id < h.id`,
    );
    expect(incremental.fact_shipment).toContain(`h.type = 'SHIPPED' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    expect(incremental.fact_not_collected).toContain('COALESCE(h.facility_id, o.pickup_facility_id)');
    expect(incremental.fact_not_collected).toContain(
      `h.type = 'CANCELLED' AND h.reason = 'not collected' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`,
    );

    const window = extractQueries(
      {
        changedAfter: '2026-03-01T00:00:00.000Z',
        window: { from: '2026-02-01T05:00:00.000Z', to: '2026-02-02T05:00:00.000Z' },
        snapshotDateKey: 20260301,
      },
      quote,
    );
    for (const table of ['fact_shipment', 'fact_not_collected'] as const) {
      expect(window[table]).toContain(`h.at >= '2026-02-01T05:00:00.000Z'::timestamptz AND h.at < '2026-02-02T05:00:00.000Z'::timestamptz`);
    }
    const whole = extractQueries(
      { changedAfter: '2026-03-01T00:00:00.000Z', wholeTables: new Set(['fact_shipment'] as const), snapshotDateKey: 1 },
      quote,
    );
    expect(whole.fact_shipment).toContain(`h.type = 'SHIPPED' AND true) TO STDOUT`);
    expect(whole.fact_not_collected).toContain(`h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
  });

  it("takes the received returns' items with their return's line and restock, by the same watermark or window", () => {
    const incremental = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(incremental.fact_return).toContain(
      'JOIN order_return r ON r.id = h.return_id JOIN order_return_item ri ON ri.return_id = h.return_id AND ri.item_id = h.item_id',
    );
    expect(incremental.fact_return).toContain(`h.type = 'RETURN_RECEIVED' AND h.at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    const window = extractQueries({ window: { from: '2026-02-01T05:00:00.000Z', to: '2026-02-02T05:00:00.000Z' }, snapshotDateKey: 20260301 }, quote);
    expect(window.fact_return).toContain(`h.at >= '2026-02-01T05:00:00.000Z'::timestamptz AND h.at < '2026-02-02T05:00:00.000Z'::timestamptz`);
  });

  it("takes each receipt's products with its purchase order's expected date by the receipt time: after the watermark, in the window, or all", () => {
    const incremental = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(incremental.fact_receipt).toContain(
      'FROM purchase_order_receipt r JOIN purchase_order_receipt_item ri ON ri.receipt_id = r.id JOIN purchase_order po ON po.id = r.purchase_order_id',
    );
    expect(incremental.fact_receipt).toContain(`to_char(po.expected_date, 'YYYY-MM-DD')`);
    expect(incremental.fact_receipt).toContain(`WHERE r.received_at > '2026-03-01T00:00:00.000Z'::timestamptz`);
    const window = extractQueries({ window: { from: '2026-02-01T05:00:00.000Z', to: '2026-02-02T05:00:00.000Z' }, snapshotDateKey: 20260301 }, quote);
    expect(window.fact_receipt).toContain(
      `r.received_at >= '2026-02-01T05:00:00.000Z'::timestamptz AND r.received_at < '2026-02-02T05:00:00.000Z'::timestamptz`,
    );
    const whole = extractQueries(
      { changedAfter: '2026-03-01T00:00:00.000Z', wholeTables: new Set(['fact_receipt'] as const), snapshotDateKey: 1 },
      quote,
    );
    expect(whole.fact_receipt).toMatch(/WHERE true\) TO STDOUT$/);
  });

  it("takes an order item's promise with the item, so the item's next change carries the promise's end", () => {
    const queries = extractQueries({ changedAfter: '2026-03-01T00:00:00.000Z', snapshotDateKey: 20260301 }, quote);
    expect(queries.fact_order_item).toContain(`to_char(i.promise_date, 'YYYY-MM-DD'), i.promised_purchase_order_id`);
  });
});
