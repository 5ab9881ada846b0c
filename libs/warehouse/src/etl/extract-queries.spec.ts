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

  it('a window run takes the items of orders placed in the window, whatever their change time', () => {
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
  });
});
