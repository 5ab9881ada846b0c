import { ADDRESS, ADMIN_HEADERS, ApiFixture, expectErrorBody, expectValidationError, httpRequest, Order, startApi } from '../support/api-fixture';
import type { StartedApp } from '../support/app-process';
import { eventually } from '../support/http';
import { brokeredOrder, EtlRun, etlRunFinished, internalRequest, replicaCaughtUp } from '../support/warehouse';

const today = () => new Date().toISOString().slice(0, 10);

interface AllocationRow {
  date: string;
  facilityId: string;
  code: string;
  routingGroupId: string | null;
  routingGroupName: string | null;
  ruleId: string | null;
  ruleName: string | null;
  items: number;
  units: number;
}

interface HistoryEntry {
  type: string;
  facilityId: string | null;
  routing: { groupId: string; routingId: string; ruleId: string } | null;
}

/** The warehouse end to end: admin triggers, the worker's ETL run from the replica, reports over HTTP with their cache, the end-of-day schedule. */
describe('warehouse: ETL runs on the internal port, reports on the public API', () => {
  let f: ApiFixture;
  let worker: StartedApp;

  beforeAll(async () => {
    f = await startApi('warehouse');
    worker = await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
  });

  const internal = <T>(method: string, path: string, body?: unknown) => internalRequest<T>(f, method, path, body);

  it('a manual run loads the brokered and shipped orders; the reports answer from the warehouse, cached until the next run', async () => {
    const product = await f.createProduct({ price: '12.50' });
    const facility = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude });
    await f.setStock(facility.id, product.id, 100);
    const shipped = await brokeredOrder(f, product.id, 2);
    expect((await f.api('POST', `/orders/${shipped.id}/fulfillments`, { facilityId: facility.id })).status).toBe(201);
    await brokeredOrder(f, product.id, 1);
    await replicaCaughtUp(f);

    const [first, second] = await Promise.all([
      internal<EtlRun>('POST', '/internal/warehouse/etl-runs', {}),
      internal<EtlRun & { id: string }>('POST', '/internal/warehouse/etl-runs', {}),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([202, 409]);
    const [accepted, refused] = first.status === 202 ? [first, second] : [second, first];
    expect(accepted.body).toEqual(expect.objectContaining({ id: expect.any(String), status: 'queued', trigger: 'manual' }));
    expect(refused.body).toEqual(expect.objectContaining({ statusCode: 409, id: accepted.body.id, requestId: expect.any(String) }));

    const run = await etlRunFinished(f, accepted.body.id);
    expect(run).toEqual(expect.objectContaining({ status: 'succeeded', source: 'replica', error: null, trigger: 'manual', windowFrom: null }));
    expect(run.rowsPerTable).toEqual(expect.objectContaining({ fact_order_item: 2, dim_product: 1, dim_facility: 1 }));

    const day = today();
    const sales = await f.api<{ rows: unknown[] }>('GET', `/reports/sales/daily?from=${day}&to=${day}`);
    expect(sales.status).toBe(200);
    expect(sales.headers.get('x-cache')).toBe('MISS');
    expect(sales.body).toEqual({ rows: [{ date: day, orders: 2, units: 3, revenue: '37.50' }] });
    const again = await f.api('GET', `/reports/sales/daily?to=${day}&from=${day}`);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.body).toEqual(sales.body);
    expect((await f.api('GET', `/reports/sales/daily?from=${day}&to=${day}&facilityId=${facility.id}`)).body).toEqual(sales.body);

    expect((await f.api('GET', `/reports/products/top?from=${day}&to=${day}&limit=5`)).body).toEqual({
      rows: [{ productId: product.id, sku: product.sku, name: product.name, units: 3, revenue: '37.50' }],
    });
    expect((await f.api('GET', `/reports/facilities?from=${day}&to=${day}`)).body).toEqual({
      rows: [{ facilityId: facility.id, code: facility.code, itemsAllocated: 2, itemsShipped: 1 }],
    });

    // The next run invalidates the cached reports.
    await brokeredOrder(f, product.id, 4);
    await replicaCaughtUp(f);
    const next = await internal<EtlRun>('POST', '/internal/warehouse/etl-runs', {});
    expect(next.status).toBe(202);
    expect((await etlRunFinished(f, next.body.id)).status).toBe('succeeded');
    const fresh = await f.api('GET', `/reports/sales/daily?from=${day}&to=${day}`);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(fresh.body).toEqual({ rows: [{ date: day, orders: 3, units: 7, revenue: '87.50' }] });

    // The public port never serves internal routes.
    expect((await httpRequest(`${f.url}/internal/warehouse/etl-runs?limit=2`, 'GET', undefined, ADMIN_HEADERS)).status).toBe(404);
    const runs = await internal<{ items: EtlRun[] }>('GET', '/internal/warehouse/etl-runs?limit=2');
    expect(runs.body.items.map((item) => item.id)).toEqual([next.body.id, accepted.body.id]);
  });

  it('allocations per day, facility and rule, and rejections per facility and reason, as routing made them', async () => {
    const product = await f.createProduct({ price: '3.00' });
    const near = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude });
    const far = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude + 0.8 });
    await f.setStock(near.id, product.id, 10);
    await f.setStock(far.id, product.id, 10);
    const order = await brokeredOrder(f, product.id, 2);
    expect(order.items[0].facilityId).toBe(near.id);
    const rejected = await f.api<Order>('POST', `/orders/${order.id}/items/${order.items[0].id}/reject`, { reason: 'DAMAGED' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.items[0]).toMatchObject({ status: 'ALLOCATED', facilityId: far.id });
    const history = (await f.api<{ items: HistoryEntry[] }>('GET', `/orders/${order.id}/history`)).body.items;
    const routingAt = (facilityId: string) => history.find((entry) => entry.type === 'ALLOCATED' && entry.facilityId === facilityId)!.routing!;
    await replicaCaughtUp(f);
    const run = await internal<EtlRun>('POST', '/internal/warehouse/etl-runs', {});
    expect(run.status).toBe(202);
    const loaded = await etlRunFinished(f, run.body.id);
    expect(loaded.status).toBe('succeeded');
    expect(loaded.rowsPerTable).toEqual(expect.objectContaining({ fact_allocation: 2, fact_rejection: 1 }));

    const day = today();
    const allocations = await f.api<{ rows: AllocationRow[] }>('GET', `/reports/allocations?from=${day}&to=${day}`);
    expect(allocations.status).toBe(200);
    expect(allocations.headers.get('x-cache')).toBe('MISS');
    const allocated = (facility: { id: string; code: string }) => ({
      date: day,
      facilityId: facility.id,
      code: facility.code,
      routingGroupId: routingAt(facility.id).groupId,
      routingGroupName: 'Default',
      ruleId: routingAt(facility.id).ruleId,
      ruleName: 'Nearest facility with every item',
      items: 1,
      units: 2,
    });
    const ours = allocations.body.rows.filter((row) => row.facilityId === near.id || row.facilityId === far.id);
    expect(ours).toEqual([near, far].sort((a, b) => (a.code < b.code ? -1 : 1)).map(allocated));
    // The first test's three orders, allocated at its facility by the same rule.
    expect(allocations.body.rows.filter((row) => !ours.includes(row))).toEqual([
      expect.objectContaining({ date: day, ruleName: 'Nearest facility with every item', items: 3, units: 7 }),
    ]);
    expect((await f.api('GET', `/reports/allocations?to=${day}&from=${day}`)).headers.get('x-cache')).toBe('HIT');

    expect((await f.api('GET', `/reports/rejections?from=${day}&to=${day}`)).body).toEqual({
      rows: [{ facilityId: near.id, code: near.code, reason: 'DAMAGED', items: 1, units: 2 }],
    });
    expect((await f.api('GET', '/reports/rejections?from=2001-01-01&to=2001-01-31')).body).toEqual({ rows: [] });
    expect((await f.api('GET', '/reports/allocations?from=2001-01-01&to=2001-01-31')).body).toEqual({ rows: [] });
  });

  it('a window of order dates is recorded on the run and loads nothing new when re-run', async () => {
    const day = today();
    const response = await internal<EtlRun>('POST', '/internal/warehouse/etl-runs', { from: day, to: day });
    expect(response.status).toBe(202);
    const run = await etlRunFinished(f, response.body.id);
    expect(run).toEqual(expect.objectContaining({ status: 'succeeded', rowsLoaded: 0, windowFrom: `${day}T00:00:00.000Z` }));
  });

  it('refuses bad input with a 4xx, never a 5xx', async () => {
    expectValidationError(await f.api('GET', '/reports/sales/daily?from=2026-02-30&to=2026-03-01'), 'from');
    expectValidationError(await f.api('GET', '/reports/sales/daily?from=2026-03-01'), 'to');
    expectValidationError(await f.api('GET', '/reports/sales/daily?from=2026-03-02&to=2026-03-01'), 'from');
    expectValidationError(await f.api('GET', '/reports/sales/daily?from=2026-03-01&to=2026-03-02&facilityId=nope'), 'facilityId');
    expectValidationError(await f.api('GET', '/reports/products/top?from=2026-03-01&to=2026-03-02&limit=0'), 'limit');
    expectValidationError(await f.api('GET', '/reports/facilities?from=yesterday&to=2026-03-02'), 'from');
    expectValidationError(await f.api('GET', '/reports/allocations?from=2026-03-02&to=2026-03-01'), 'from');
    expectValidationError(await f.api('GET', '/reports/allocations?from=2026-03-01'), 'to');
    expectValidationError(await f.api('GET', '/reports/rejections?from=2026-03-01&to=2026-02-30'), 'to');
    expectValidationError(await f.api('GET', '/reports/rejections?to=2026-03-01'), 'from');
    expectErrorBody(await f.api('GET', '/reports/facilities?from=2026-03-01&to=2026-03-02', undefined, { authorization: undefined }), 401);
    expectErrorBody(await f.api('GET', '/reports/allocations?from=2026-03-01&to=2026-03-02', undefined, { authorization: undefined }), 401);
    expectErrorBody(await f.api('GET', '/reports/rejections?from=2026-03-01&to=2026-03-02', undefined, { authorization: undefined }), 401);
    for (const report of ['holds', 'approval-times', 'auto-cancellations']) {
      expectValidationError(await f.api('GET', `/reports/${report}?from=2026-03-02&to=2026-03-01`), 'from');
      expectValidationError(await f.api('GET', `/reports/${report}?from=2026-03-01&to=2026-02-30`), 'to');
      expectValidationError(await f.api('GET', `/reports/${report}?to=2026-03-01`), 'from');
      expectErrorBody(await f.api('GET', `/reports/${report}?from=2026-03-01&to=2026-03-02`, undefined, { authorization: undefined }), 401);
    }

    expectValidationError(await internal('POST', '/internal/warehouse/etl-runs', { from: '2026-13-01' }), 'from');
    expectValidationError(await internal('POST', '/internal/warehouse/etl-runs', { from: '2026-03-02', to: '2026-03-01' }), 'from');
    expectValidationError(await internal('POST', '/internal/warehouse/etl-runs', { window: 'all' }));
    expectValidationError(await internal('GET', '/internal/warehouse/etl-runs/not-a-uuid'));
    expectValidationError(await internal('GET', '/internal/warehouse/etl-runs?limit=1000'), 'limit');
    expectErrorBody(await internal('GET', '/internal/warehouse/etl-runs/00000000-0000-4000-8000-000000000000'), 404);
    expectErrorBody(await httpRequest(`${f.internalUrl}/internal/warehouse/etl-runs`, 'POST', {}), 401);
  });

  it('the end-of-day schedule enqueues a run (a test cron of every second)', async () => {
    await worker.stop();
    const started = Date.now();
    await f.startWorker({ WAREHOUSE_ETL_CRON: '* * * * * *' });
    await eventually(async () => {
      const { items } = (await internal<{ items: (EtlRun & { createdAt: string })[] }>('GET', '/internal/warehouse/etl-runs?limit=5')).body;
      return items.some((run) => run.trigger === 'schedule' && run.status === 'succeeded' && Date.parse(run.createdAt) >= started);
    }, 30_000);
  });
});
