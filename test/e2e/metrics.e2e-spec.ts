import { ADDRESS, ApiFixture, httpRequest, Order, startApi } from '../support/api-fixture';
import type { StartedApp } from '../support/app-process';
import { eventually } from '../support/http';
import { sampleValue, scrapeMetrics } from '../support/prometheus';
import { EtlRun, etlRunFinished, internalRequest, replicaCaughtUp } from '../support/warehouse';

/** The operational metrics of both apps, scraped as Prometheus would: the sync-api's internal port and the worker's health port. */
describe('metrics: queues, outbox, replica, jobs and ETL on /metrics', () => {
  let f: ApiFixture;
  let worker: StartedApp | undefined;

  beforeAll(async () => {
    f = await startApi('metrics');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('shows the backlog while no worker runs, and the jobs and ETL run once one does', async () => {
    const product = await f.createProduct();
    const facility = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude });
    await f.setStock(facility.id, product.id, 10);
    const created = await f.api<Order>('POST', '/orders', {
      customer: { email: 'm@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 1 }],
    });
    expect(created.status).toBe(201);

    const waiting = await scrapeMetrics(f.internalUrl);
    expect(sampleValue(waiting, 'outbox_unpublished_events')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(waiting, 'outbox_lag_seconds')).toBeGreaterThan(0);
    for (const queue of ['brokering', 'warehouse', 'maintenance']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(sampleValue(waiting, 'queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(waiting, 'replica_up')).toBe(1);
    expect(sampleValue(waiting, 'replica_lag_seconds')).toBeGreaterThanOrEqual(0);

    worker = await f.startWorker();
    expect((await httpRequest(`${worker.url}/metrics`, 'GET')).status).toBe(401);
    await eventually(async () => (await f.api<Order>('GET', `/orders/${created.body.id}`)).body.status === 'BROKERED', 20_000);
    await eventually(async () => sampleValue(await scrapeMetrics(f.internalUrl), 'outbox_unpublished_events') === 0, 10_000);
    const relayed = await scrapeMetrics(f.internalUrl);
    expect(sampleValue(relayed, 'outbox_lag_seconds')).toBe(0);

    const jobs = await scrapeMetrics(worker.url);
    const brokerOrders = { queue: 'brokering', name: 'broker-orders' };
    expect(sampleValue(jobs, 'jobs_finished_total', { ...brokerOrders, status: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(jobs, 'job_duration_seconds_count', brokerOrders)).toBeGreaterThanOrEqual(1);
    expect(sampleValue(jobs, 'job_duration_seconds_sum', brokerOrders)).toBeGreaterThan(0);

    await replicaCaughtUp(f);
    const queued = await internalRequest<EtlRun>(f, 'POST', '/internal/warehouse/etl-runs', {});
    expect(queued.status).toBe(202);
    expect((await etlRunFinished(f, queued.body.id)).status).toBe('succeeded');
    // The run is recorded as succeeded by the job, which completes (and is counted) just after.
    const etlJob = { queue: 'warehouse', name: 'warehouse-etl', status: 'completed' };
    await eventually(async () => sampleValue(await scrapeMetrics(worker!.url), 'jobs_finished_total', etlJob) !== undefined, 10_000);
    const etl = await scrapeMetrics(worker.url);
    expect(sampleValue(etl, 'etl_run_duration_seconds_count', { trigger: 'manual', status: 'succeeded' })).toBe(1);
    expect(sampleValue(etl, 'etl_run_duration_seconds_sum', { trigger: 'manual', status: 'succeeded' })).toBeGreaterThan(0);
    expect(sampleValue(etl, 'etl_rows_loaded_total', { table: 'fact_order_item' })).toBe(1);
    expect(sampleValue(etl, 'etl_rows_loaded_total', { table: 'dim_product' })).toBe(1);
    expect(sampleValue(etl, 'jobs_finished_total', etlJob)).toBe(1);
  });
});
