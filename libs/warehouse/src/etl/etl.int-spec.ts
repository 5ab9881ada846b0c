import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import type { CacheInvalidator } from '@app/cache';
import { AppConfig, createPostgresPool, migrateDatabase, parseConfig, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertApiKey } from '../../../../test/support/fixture-rows';
import { PgCluster } from '../../../../test/support/pg-cluster';
import { insertPurchaseOrder, insertReceipt, insertWaitingItem, promiseItem } from '../../../../test/support/supply-rows';
import { dropDatabases, migrateWithCli, withClient } from '../../../../test/support/test-databases';
import { EtlSourceClient } from '../database/etl-source.client';
import { WarehouseDatabase } from '../database/warehouse-database.client';
import { ReportsRepository } from '../reports/reports.repository';
import { ReportsService } from '../reports/reports.service';
import type { EtlRun } from '../runs/etl-run.view';
import type { EtlJobQueue } from '../runs/etl-job.queue';
import { EtlRunsRepository } from '../runs/etl-runs.repository';
import { EtlRunInProgressError, EtlRunsService } from '../runs/etl-runs.service';
import { warehouseDataSourceOptions } from '../warehouse-data-source.options';
import { EtlMetrics } from './etl-metrics';
import { EtlService } from './etl.service';
import { LocalDates } from './local-date';
import { StarLoadRepository } from './star-load.repository';

const STAR_TABLES = [
  'dim_date',
  'dim_product',
  'dim_facility',
  'dim_routing_rule',
  'fact_order_item',
  'fact_inventory_daily',
  'fact_allocation',
  'fact_rejection',
  'fact_hold',
  'fact_approval',
  'fact_auto_cancel',
  'fact_return',
  'fact_shipment',
  'fact_not_collected',
  'fact_receipt',
];
const TIME_ZONE = 'America/New_York';

/** The ETL in process against a real primary, its streaming replica and a warehouse database. */
describe('warehouse ETL (real primary, replica and warehouse)', () => {
  /** A pair of its own: a test pauses replay on its replica, which would hold back every suite reading the shared one. */
  const cluster = new PgCluster('etl-int', 5494, 5493);
  const suffix = randomBytes(4).toString('hex');
  const omsUrl = cluster.databaseUrl(`oms_etl_${suffix}`);
  const warehouseUrl = cluster.databaseUrl(`wh_etl_${suffix}`);
  const replicaUrl = cluster.databaseUrl(`oms_etl_${suffix}`, 'replica');
  const invalidated: string[][] = [];
  const enqueued: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  const oms = <R = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    withClient(omsUrl, async (client) => (await client.query(sql, params)).rows as R[]);
  const warehouse = <R = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    withClient(warehouseUrl, async (client) => (await client.query(sql, params)).rows as R[]);

  function wire(config: AppConfig) {
    const db = new WarehouseDatabase(config);
    closers.push(() => db.onApplicationShutdown());
    const runsRepository = new EtlRunsRepository(db, config);
    const jobs = { enqueue: (runId: string) => Promise.resolve(void enqueued.push(runId)) } as EtlJobQueue;
    const runs = new EtlRunsService(runsRepository, jobs, config);
    const cache = { invalidate: (tags: Iterable<string>) => Promise.resolve(void invalidated.push([...tags])) } as unknown as CacheInvalidator;
    const etl = new EtlService(
      runsRepository,
      runs,
      new EtlSourceClient(config),
      new StarLoadRepository(db),
      cache,
      new EtlMetrics(new Registry()),
      config,
    );
    return { runs, etl, reports: new ReportsService(new ReportsRepository(db)) };
  }

  const env = { DATABASE_URL: omsUrl, WAREHOUSE_URL: warehouseUrl, WAREHOUSE_TZ: TIME_ZONE };
  const { runs, etl, reports } = wire(parseConfig({ ...env, DATABASE_REPLICA_URLS: replicaUrl }));

  /** Waits until the replica has replayed everything the primary wrote so far. */
  async function replicaCaughtUp(): Promise<void> {
    const [{ lsn }] = await oms<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    for (let waited = 0; waited < 30_000; waited += 50) {
      const caughtUp = await withClient(
        replicaUrl,
        async (client) => (await client.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows[0].ok,
      ).catch(() => false);
      if (caughtUp) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the replica did not catch up within 30 s');
  }

  async function runManual(window?: { from?: string; to?: string }): Promise<EtlRun> {
    const queued = await runs.requestManual(window);
    await etl.run(queued.id);
    return runs.get(queued.id);
  }

  async function checksums(url = warehouseUrl): Promise<Record<string, string>> {
    const sums: Record<string, string> = {};
    for (const table of STAR_TABLES) {
      const sql = `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${table} t`;
      sums[table] = (await withClient(url, (client) => client.query<{ sum: string }>(sql))).rows[0].sum;
    }
    return sums;
  }

  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await cluster.up();
    // The OMS schema is libs/data's, which this lib does not import: the app's migration CLI creates both databases.
    await migrateWithCli(omsUrl, warehouseUrl);
    const insert = async (sql: string, params: unknown[]) => (await oms<{ id: string }>(`${sql} RETURNING id`, params))[0].id;
    ids.p1 = await insert(`INSERT INTO product (sku, name, price) VALUES ('SKU-1', 'Kettle', 10)`, []);
    ids.p2 = await insert(`INSERT INTO product (sku, name, price) VALUES ('SKU-2', 'Mug', 5.5)`, []);
    ids.f1 = await insert(`INSERT INTO facility (code, name, type, latitude, longitude) VALUES ('F1', 'North', 'WAREHOUSE', 40, -74)`, []);
    ids.f2 = await insert(`INSERT INTO facility (code, name, type, latitude, longitude) VALUES ('F2', 'South', 'STORE', 39, -75)`, []);
    await oms('INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand, quantity_reserved) VALUES ($1, $2, 10, 2), ($3, $4, 7, 4)', [
      ids.f1,
      ids.p1,
      ids.f2,
      ids.p2,
    ]);
    const order = (createdAt: string) =>
      insert(
        `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, created_at)
         VALUES ('BROKERED', 'ada@example.com', '{}', 0, 'storefront', $1)`,
        [createdAt],
      );
    const item = (orderId: string, line: number, productId: string, quantity: number, price: string, status: string, facilityId: string | null) =>
      insert(
        `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, facility_id)
         SELECT $1, $2, id, sku, $3, $4, $5, $6 FROM product WHERE id = $7`,
        [orderId, line, quantity, price, status, facilityId, productId],
      );
    // March 1st and 2nd 2025 in New York: the second order is placed at 22:00 local time, 03:00 UTC the next day.
    ids.o1 = await order('2025-03-01T15:00:00Z');
    ids.o2 = await order('2025-03-02T03:00:00Z');
    ids.o3 = await order('2025-03-02T16:00:00Z');
    ids.i11 = await item(ids.o1, 1, ids.p1, 2, '10.00', 'ALLOCATED', ids.f1);
    ids.i12 = await item(ids.o1, 2, ids.p2, 1, '5.50', 'SHIPPED', ids.f1);
    ids.i21 = await item(ids.o2, 1, ids.p1, 1, '10.00', 'CREATED', null);
    // Packed at F2, not shipped yet: still counted as allocated there.
    ids.i31 = await item(ids.o3, 1, ids.p2, 4, '5.00', 'PACKED', ids.f2);
    ids.i32 = await item(ids.o3, 2, ids.p1, 3, '10.00', 'CANCELLED', null);

    // The default routing group the OMS migrations create: its two rules, in sequence.
    const rules = await oms<{ id: string; routing_id: string; group_id: string }>(
      'SELECT r.id, r.routing_id, ro.group_id FROM routing_rule r JOIN routing ro ON ro.id = r.routing_id ORDER BY r.sequence',
    );
    expect(rules).toHaveLength(2);
    [ids.nearest, ids.split] = rules.map((rule) => rule.id);
    [ids.routing, ids.group] = [rules[0].routing_id, rules[0].group_id];
    // What routing did, in the order history: dated in New York like the orders (04:30 UTC is 23:30 the day before).
    await history(ids.o1, null, 'CREATED', null, '2025-03-01T15:00:00Z');
    ids.h1 = await history(ids.o1, ids.i11, 'ALLOCATED', ids.f1, '2025-03-01T15:01:00Z', { rule: ids.nearest });
    ids.h2 = await history(ids.o1, ids.i12, 'ALLOCATED', ids.f1, '2025-03-02T04:30:00Z'); // before routing named its rules
    ids.h3 = await history(ids.o1, ids.i12, 'REJECTED', ids.f1, '2025-03-02T04:45:00Z', { reason: 'NOT_IN_STOCK' });
    await history(ids.o2, ids.i21, 'QUEUED', null, '2025-03-02T03:00:00Z', { reason: 'BACKORDER' });
    ids.h4 = await history(ids.o3, ids.i31, 'ALLOCATED', ids.f1, '2025-03-02T16:01:00Z', { rule: ids.nearest });
    ids.h5 = await history(ids.o3, ids.i31, 'REJECTED', ids.f1, '2025-03-02T16:30:00Z', { reason: 'DAMAGED' });
    ids.h6 = await history(ids.o3, ids.i31, 'ALLOCATED', ids.f2, '2025-03-02T16:31:00Z', { rule: ids.split });
    await replicaCaughtUp();
  });

  /** One order history entry; an allocation names its rule (with the rule's routing and group), a rejection its reason. */
  async function history(
    orderId: string,
    itemId: string | null,
    type: string,
    facilityId: string | null,
    at: string,
    detail: { rule?: string; reason?: string } = {},
  ): Promise<string> {
    const [{ id }] = await oms<{ id: string }>(
      `INSERT INTO order_history (order_id, item_id, type, facility_id, reason, routing_group_id, routing_id, routing_rule_id, at)
       SELECT $1, $2, $3, $4, $5, ro.group_id, ro.id, r.id, $7
         FROM (SELECT) one LEFT JOIN routing_rule r ON r.id = $6 LEFT JOIN routing ro ON ro.id = r.routing_id
       RETURNING id::text`,
      [orderId, itemId, type, facilityId, detail.reason ?? null, detail.rule ?? null, at],
    );
    return id;
  }

  afterAll(async () => {
    for (const close of closers) await close();
    await dropDatabases(omsUrl, warehouseUrl);
    await cluster.run('down');
  });

  it('loads known orders into exactly the expected facts, and the reports add them up', async () => {
    const run = await runManual();
    expect(run).toEqual(expect.objectContaining({ trigger: 'manual', status: 'succeeded', source: 'replica', error: null, windowFrom: null }));
    expect(run.rowsPerTable).toEqual({
      dim_date: 3,
      dim_product: 2,
      dim_facility: 2,
      dim_routing_rule: 2,
      fact_order_item: 5,
      fact_inventory_daily: 2,
      fact_allocation: 4,
      fact_rejection: 2,
      fact_return: 0,
      fact_hold: 0,
      fact_approval: 0,
      fact_auto_cancel: 0,
      fact_shipment: 0,
      fact_not_collected: 0,
      fact_receipt: 0,
    });
    expect(run.rowsLoaded).toBe(22);
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    expect(run.watermark).toBeInstanceOf(Date);
    expect(invalidated).toContainEqual(['warehouse']);

    const facts = await warehouse(
      `SELECT order_item_id, order_id, order_date_key, product_id, facility_id, status, units, unit_price::text, revenue::text
         FROM fact_order_item ORDER BY order_date_key, order_id, units`,
    );
    const fact = (
      item: string,
      order: string,
      dateKey: number,
      product: string,
      facility: string | null,
      status: string,
      units: number,
      price: string,
      revenue: string,
    ) => ({
      order_item_id: ids[item],
      order_id: ids[order],
      order_date_key: dateKey,
      product_id: ids[product],
      facility_id: facility && ids[facility],
      status,
      units,
      unit_price: price,
      revenue,
    });
    expect(facts).toEqual(
      expect.arrayContaining([
        fact('i11', 'o1', 20250301, 'p1', 'f1', 'ALLOCATED', 2, '10.00', '20.00'),
        fact('i12', 'o1', 20250301, 'p2', 'f1', 'SHIPPED', 1, '5.50', '5.50'),
        fact('i21', 'o2', 20250301, 'p1', null, 'CREATED', 1, '10.00', '10.00'),
        fact('i31', 'o3', 20250302, 'p2', 'f2', 'PACKED', 4, '5.00', '20.00'),
        fact('i32', 'o3', 20250302, 'p1', null, 'CANCELLED', 3, '10.00', '30.00'),
      ]),
    );
    expect(facts).toHaveLength(5);
    const inventory = await warehouse(
      'SELECT facility_id, product_id, quantity_on_hand, quantity_reserved FROM fact_inventory_daily ORDER BY quantity_on_hand',
    );
    expect(inventory).toEqual([
      { facility_id: ids.f2, product_id: ids.p2, quantity_on_hand: 7, quantity_reserved: 4 },
      { facility_id: ids.f1, product_id: ids.p1, quantity_on_hand: 10, quantity_reserved: 2 },
    ]);

    const range = { from: '2025-03-01', to: '2025-03-02' };
    expect(await reports.dailySales(range)).toEqual([
      { date: '2025-03-01', orders: 2, units: 4, revenue: '35.50' },
      { date: '2025-03-02', orders: 1, units: 4, revenue: '20.00' },
    ]);
    expect(await reports.dailySales(range, ids.f1)).toEqual([{ date: '2025-03-01', orders: 1, units: 3, revenue: '25.50' }]);
    expect(await reports.dailySales({ from: '2025-03-02', to: '2025-03-02' })).toEqual([
      { date: '2025-03-02', orders: 1, units: 4, revenue: '20.00' },
    ]);
    expect(await reports.topProducts(range, 10)).toEqual([
      { productId: ids.p2, sku: 'SKU-2', name: 'Mug', units: 5, revenue: '25.50' },
      { productId: ids.p1, sku: 'SKU-1', name: 'Kettle', units: 3, revenue: '30.00' },
    ]);
    expect(await reports.topProducts(range, 1)).toHaveLength(1);
    expect(await reports.facilityThroughput(range)).toEqual([
      { facilityId: ids.f1, code: 'F1', itemsAllocated: 2, itemsShipped: 1 },
      { facilityId: ids.f2, code: 'F2', itemsAllocated: 1, itemsShipped: 0 },
    ]);
  });

  /** One row of the allocations report: a day, a facility and the rule (with its group) that allocated there, or none. */
  const allocated = (date: string, facility: string, code: string, rule: 'nearest' | 'split' | null, items: number, units: number) => ({
    date,
    facilityId: ids[facility],
    code,
    routingGroupId: rule && ids.group,
    routingGroupName: rule && 'Default',
    ruleId: rule && ids[rule],
    ruleName: rule && { nearest: 'Nearest facility with every item', split: 'Split over the nearest facilities' }[rule],
    items,
    units,
  });

  it('loads every allocation and rejection of the order history as a fact dated in the warehouse time zone; the reports add them up', async () => {
    const facts = await warehouse(
      `SELECT history_id::text, allocation_date_key AS day, order_item_id, product_id, facility_id, routing_group_id, routing_id, routing_rule_id,
              units, allocated_at = source_updated_at AS dated
         FROM fact_allocation ORDER BY history_id`,
    );
    const fact = (history: string, day: number, item: string, product: string, facility: string, rule: string | null, units: number) => ({
      history_id: ids[history],
      day,
      order_item_id: ids[item],
      product_id: ids[product],
      facility_id: ids[facility],
      routing_group_id: rule && ids.group,
      routing_id: rule && ids.routing,
      routing_rule_id: rule && ids[rule],
      units,
      dated: true,
    });
    expect(facts).toEqual([
      fact('h1', 20250301, 'i11', 'p1', 'f1', 'nearest', 2),
      fact('h2', 20250301, 'i12', 'p2', 'f1', null, 1),
      fact('h4', 20250302, 'i31', 'p2', 'f1', 'nearest', 4),
      fact('h6', 20250302, 'i31', 'p2', 'f2', 'split', 4),
    ]);
    expect(
      await warehouse('SELECT history_id::text, rejection_date_key AS day, facility_id, reason, units FROM fact_rejection ORDER BY history_id'),
    ).toEqual([
      { history_id: ids.h3, day: 20250301, facility_id: ids.f1, reason: 'NOT_IN_STOCK', units: 1 },
      { history_id: ids.h5, day: 20250302, facility_id: ids.f1, reason: 'DAMAGED', units: 4 },
    ]);
    expect(
      await warehouse(
        'SELECT routing_rule_id, name, routing_id, routing_name, routing_group_id, routing_group_name FROM dim_routing_rule ORDER BY name',
      ),
    ).toEqual([
      {
        routing_rule_id: ids.nearest,
        name: 'Nearest facility with every item',
        routing_id: ids.routing,
        routing_name: 'All orders',
        routing_group_id: ids.group,
        routing_group_name: 'Default',
      },
      {
        routing_rule_id: ids.split,
        name: 'Split over the nearest facilities',
        routing_id: ids.routing,
        routing_name: 'All orders',
        routing_group_id: ids.group,
        routing_group_name: 'Default',
      },
    ]);

    expect(await reports.allocations({ from: '2025-03-01', to: '2025-03-02' })).toEqual([
      allocated('2025-03-01', 'f1', 'F1', 'nearest', 1, 2),
      allocated('2025-03-01', 'f1', 'F1', null, 1, 1),
      allocated('2025-03-02', 'f1', 'F1', 'nearest', 1, 4),
      allocated('2025-03-02', 'f2', 'F2', 'split', 1, 4),
    ]);
    expect(await reports.allocations({ from: '2025-03-02', to: '2025-03-05' })).toHaveLength(2);
    expect(await reports.allocations({ from: '2025-02-01', to: '2025-02-28' })).toEqual([]);
    expect(await reports.rejections({ from: '2025-03-01', to: '2025-03-02' })).toEqual([
      { facilityId: ids.f1, code: 'F1', reason: 'DAMAGED', items: 1, units: 4 },
      { facilityId: ids.f1, code: 'F1', reason: 'NOT_IN_STOCK', items: 1, units: 1 },
    ]);
    expect(await reports.rejections({ from: '2025-03-01', to: '2025-03-01' })).toEqual([
      { facilityId: ids.f1, code: 'F1', reason: 'NOT_IN_STOCK', items: 1, units: 1 },
    ]);
    expect(() => reports.rejections({ from: '2025-03-02', to: '2025-03-01' })).toThrow('from must not be after to');
  });

  it('running the same window twice, or the incremental run again, leaves an identical warehouse', async () => {
    const before = await checksums();
    const window = { from: '2025-03-01', to: '2025-03-02' };
    const first = await runManual(window);
    expect(first).toEqual(expect.objectContaining({ status: 'succeeded', rowsLoaded: 0 }));
    expect(first.windowFrom).toEqual(new Date('2025-03-01T05:00:00Z'));
    expect(first.windowTo).toEqual(new Date('2025-03-03T05:00:00Z'));
    expect(await checksums()).toEqual(before);
    expect((await runManual(window)).status).toBe('succeeded');
    expect(await checksums()).toEqual(before);
    expect((await runManual()).status).toBe('succeeded');
    expect(await checksums()).toEqual(before);
  });

  it('a run that fails midway leaves the warehouse as it was and is recorded failed with the error', async () => {
    await oms(`UPDATE order_item SET status = 'SHIPPED' WHERE id = $1`, [ids.i11]);
    await replicaCaughtUp();
    const before = await checksums();
    // A late merge fails, after the dimensions and order facts were merged in the same transaction.
    await warehouse(`CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await warehouse('CREATE TRIGGER injected_failure BEFORE INSERT ON fact_inventory_daily FOR EACH STATEMENT EXECUTE FUNCTION injected_failure()');
    const queued = await runs.requestManual();
    try {
      await expect(etl.run(queued.id)).rejects.toThrow('injected failure');
    } finally {
      await warehouse('DROP TRIGGER injected_failure ON fact_inventory_daily');
    }
    expect(await checksums()).toEqual(before);
    const failed = await runs.get(queued.id);
    expect(failed).toEqual(expect.objectContaining({ status: 'failed', error: expect.stringContaining('injected failure'), rowsLoaded: 0 }));
    expect(failed.finishedAt).toBeInstanceOf(Date);

    const retried = await runManual();
    expect(retried.status).toBe('succeeded');
    expect(await warehouse('SELECT status FROM fact_order_item WHERE order_item_id = $1', [ids.i11])).toEqual([{ status: 'SHIPPED' }]);
  });

  it('two concurrent triggers make one run; the others are refused with the active run id', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => runs.requestManual()));
    const created = attempts.filter((attempt): attempt is PromiseFulfilledResult<EtlRun> => attempt.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect(attempt.reason).toBeInstanceOf(EtlRunInProgressError);
      expect((attempt.reason as EtlRunInProgressError).activeRunId).toBe(created[0].value.id);
    }
    expect(enqueued).toContain(created[0].value.id);
    await etl.run(created[0].value.id);
    expect((await runs.get(created[0].value.id)).status).toBe('succeeded');
    expect((await runs.list(2)).map((run) => run.id)[0]).toBe(created[0].value.id);
  });

  it('loads the history incrementally: a new entry by the next run, one dated before the watermark by a window over its day, a table without rows whole', async () => {
    const late = await history(ids.o2, ids.i21, 'ALLOCATED', ids.f2, new Date().toISOString(), { rule: ids.split });
    const old = await history(ids.o3, ids.i32, 'REJECTED', ids.f2, '2025-03-02T17:00:00Z', { reason: 'MISMATCH' });
    await replicaCaughtUp();
    const next = await runManual();
    expect(next.rowsPerTable).toEqual(expect.objectContaining({ fact_allocation: 1, fact_rejection: 0 }));
    expect(await warehouse('SELECT 1 AS loaded FROM fact_allocation WHERE history_id = $1', [late])).toEqual([{ loaded: 1 }]);

    // A window reloads what happened in it, whatever its change time, and leaves the watermark alone.
    const window = await runManual({ from: '2025-03-02', to: '2025-03-02' });
    expect(window.rowsPerTable).toEqual(expect.objectContaining({ fact_allocation: 0, fact_rejection: 1 }));
    expect(window.watermark).toEqual(next.watermark);
    expect(await reports.rejections({ from: '2025-03-02', to: '2025-03-02' })).toEqual([
      { facilityId: ids.f1, code: 'F1', reason: 'DAMAGED', items: 1, units: 4 },
      { facilityId: ids.f2, code: 'F2', reason: 'MISMATCH', items: 1, units: 3 },
    ]);
    expect(await warehouse('SELECT 1 AS loaded FROM fact_rejection WHERE history_id = $1', [old])).toEqual([{ loaded: 1 }]);

    // As if fact_rejection were new (added by a later migration): the incremental run takes every rejection, not only the recent ones.
    const before = await checksums();
    await warehouse('DELETE FROM fact_rejection');
    const whole = await runManual();
    expect(whole.rowsPerTable).toEqual(expect.objectContaining({ fact_rejection: 3, fact_allocation: 0 }));
    expect(await checksums()).toEqual(before);

    // A renamed group is renamed in the warehouse; a deleted rule keeps the name the warehouse last saw.
    await oms(`UPDATE routing_group SET name = 'Default routing' WHERE id = $1`, [ids.group]);
    await oms('DELETE FROM routing_rule WHERE id = $1', [ids.split]);
    await replicaCaughtUp();
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ dim_routing_rule: 1 }));
    expect(await reports.allocations({ from: '2025-03-02', to: '2025-03-02' })).toEqual([
      { ...allocated('2025-03-02', 'f1', 'F1', 'nearest', 1, 4), routingGroupName: 'Default routing' },
      allocated('2025-03-02', 'f2', 'F2', 'split', 1, 4),
    ]);
  });

  it('reads the replica: an order only on the primary while replay is paused is not loaded', async () => {
    await replicaCaughtUp();
    let lateItem: string;
    await cluster.run('replica-pause');
    try {
      const [{ id: lateOrder }] = await oms<{ id: string }>(
        `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
         VALUES ('CREATED', 'late@example.com', '{}', 0, 'storefront') RETURNING id`,
      );
      [{ id: lateItem }] = await oms<{ id: string }>(
        `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status)
         VALUES ($1, 1, $2, 'SKU-1', 1, 10, 'CREATED') RETURNING id`,
        [lateOrder, ids.p1],
      );
      expect(
        await withClient(replicaUrl, async (client) => (await client.query('SELECT id FROM order_item WHERE id = $1', [lateItem])).rows),
      ).toEqual([]);
      const run = await runManual();
      expect(run).toEqual(expect.objectContaining({ status: 'succeeded', source: 'replica' }));
      expect(await warehouse('SELECT 1 FROM fact_order_item WHERE order_item_id = $1', [lateItem])).toEqual([]);
    } finally {
      await cluster.run('replica-resume');
    }
    await replicaCaughtUp();
    expect((await runManual()).status).toBe('succeeded');
    expect(await warehouse('SELECT 1 AS loaded FROM fact_order_item WHERE order_item_id = $1', [lateItem])).toEqual([{ loaded: 1 }]);
  });

  it('reads the primary when no replica is configured, and says so', async () => {
    const primaryOnly = wire(parseConfig(env));
    const queued = await primaryOnly.runs.requestManual();
    await primaryOnly.etl.run(queued.id);
    expect(await primaryOnly.runs.get(queued.id)).toEqual(expect.objectContaining({ status: 'succeeded', source: 'primary' }));
  });

  it('loads the holds, approvals and auto-cancels the order services write, each once; the reports give them per day', async () => {
    const pool = createPostgresPool(postgresPoolConfig(omsUrl, 'etl-int-spec'));
    const services = dataServicesOn(pool);
    try {
      const apiKeyId = await insertApiKey(oms, 'etl', 'etl');
      const product = async (sku: string, price: number) =>
        (await oms<{ id: string }>('INSERT INTO product (sku, name, price) VALUES ($1, $1, $2) RETURNING id', [sku, price]))[0].id;
      const sofa = await product('SKU-SOFA', 150);
      const vase = await product('SKU-VASE', 5);
      await services.inventory.adjust({ facilityId: ids.f1, productId: sofa, delta: 10, reason: 'received', actor: 'test' });
      await services.approvalRules.replace({ rules: [{ name: 'Large orders', when: { orderTotalAtLeast: '100' }, holdReason: 'AWAITING_PAYMENT' }] });
      const create = async (items: { productId: string; quantity: number }[]) => {
        const shippingAddress = { line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', latitude: 40, longitude: -74 };
        const { order } = await services.orders.create(
          { customer: { email: 'ada@example.com' }, shippingAddress, items },
          { apiKeyId, salesChannel: 'etl' },
        );
        return order;
      };

      // Held at creation by the rule, its creation dated 90 minutes back: its release approves it 90 minutes after creation.
      const large = await create([{ productId: sofa, quantity: 1 }]);
      expect(large.status).toBe('HELD');
      await oms(`UPDATE order_history SET at = at - interval '90 minutes' WHERE order_id = $1 AND type = 'CREATED'`, [large.id]);
      expect((await services.holds.release(large.id)).status).toBe('BROKERED');
      // Held twice by customer service afterwards, and released: one order held for the reason, and no second approval.
      for (let round = 0; round < 2; round += 1) {
        await services.holds.hold(large.id, { reason: 'CUSTOMER_REQUEST' }, 'test');
        await services.holds.release(large.id);
      }

      // Approved at creation; their vases wait for stock, parked in UNFILLABLE with a passed auto-cancel time.
      const partly = await create([
        { productId: vase, quantity: 2 },
        { productId: ids.p1, quantity: 1 },
      ]);
      const vases = await create([{ productId: vase, quantity: 3 }]);
      expect([partly.status, vases.status]).toEqual(['APPROVED', 'APPROVED']);
      await services.brokering.brokerOrders([partly.id, vases.id]);
      const waiting = [partly, vases].map((order) => order.items.find((item) => item.productId === vase)!.id);
      await oms(`UPDATE order_item SET queue = 'UNFILLABLE', auto_cancel_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [waiting]);
      expect(await services.itemCancel.autoCancelDue()).toBe(2);
      expect(await services.itemCancel.autoCancelDue()).toBe(0);
      await services.holds.hold(partly.id, { reason: 'CUSTOMER_REQUEST' }, 'test');
      await services.approvalRules.replace({ rules: [] });

      const entry = async (orderId: string, type: string) =>
        (await oms<{ at: Date }>('SELECT at FROM order_history WHERE order_id = $1 AND type = $2 ORDER BY id LIMIT 1', [orderId, type]))[0].at;
      const days = new LocalDates(TIME_ZONE);
      const today = days.dateOf(await entry(partly.id, 'HELD'));
      const waitedMinutes = ((await entry(large.id, 'RELEASED')).getTime() - (await entry(large.id, 'CREATED')).getTime()) / 60_000;
      expect(waitedMinutes).toBeGreaterThanOrEqual(90);
      await replicaCaughtUp();

      const run = await runManual();
      expect(run.rowsPerTable).toEqual(expect.objectContaining({ fact_hold: 4, fact_approval: 3, fact_auto_cancel: 2 }));
      const range = { from: today, to: today };
      const holds = [
        { date: today, reason: 'AWAITING_PAYMENT', orders: 1 },
        { date: today, reason: 'CUSTOMER_REQUEST', orders: 2 },
      ];
      expect(await reports.holds(range)).toEqual(holds);
      // Three approvals: two at creation (0 minutes) and the release; the percentiles interpolate between 0, 0 and its wait.
      const [approvals] = await reports.approvalTimes(range);
      expect(approvals).toEqual({ date: today, orders: 3, avgMinutes: expect.any(Number), p50Minutes: 0, p90Minutes: expect.any(Number) });
      expect(approvals.avgMinutes).toBeCloseTo(waitedMinutes / 3, 1);
      expect(approvals.p90Minutes).toBeCloseTo(waitedMinutes * 0.8, 1);
      expect(await reports.autoCancellations(range)).toEqual([{ date: today, items: 2, units: 5 }]);
      expect(await reports.autoCancellations({ from: '2025-03-01', to: '2025-03-02' })).toEqual([]);

      // Merged again, by the next incremental run and by a window over these days, the facts stay as they are.
      const before = await checksums();
      expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_hold: 0, fact_approval: 0, fact_auto_cancel: 0 }));
      expect((await runManual(range)).rowsPerTable).toEqual(expect.objectContaining({ fact_hold: 0, fact_approval: 0, fact_auto_cancel: 0 }));
      expect(await checksums()).toEqual(before);
      expect(await reports.holds(range)).toEqual(holds);
    } finally {
      await services.close();
    }
  });

  it('loads the items the order service ships and the pickups not collected, each once; the reports give shipments, times from allocation and pickups per facility', async () => {
    const pool = createPostgresPool(postgresPoolConfig(omsUrl, 'etl-int-spec'));
    const services = dataServicesOn(pool);
    try {
      const apiKeyId = await insertApiKey(oms, 'etl-shipping', 'etl');
      const product = async (sku: string) =>
        (await oms<{ id: string }>('INSERT INTO product (sku, name, price) VALUES ($1, $1, 5) RETURNING id', [sku]))[0].id;
      const [box, lamp, widget, plant] = await Promise.all(['SKU-BOX', 'SKU-LAMP', 'SKU-WIDGET', 'SKU-PLANT'].map(product));
      for (const [facilityId, productId] of [
        [ids.f1, box],
        [ids.f1, lamp],
        [ids.f1, widget],
        [ids.f2, box],
      ]) {
        await services.inventory.adjust({ facilityId, productId, delta: 10, reason: 'received', actor: 'test' });
      }
      // Near F1, or near F2 (the store): each order is allocated whole to the nearest.
      const create = async (
        items: { productId: string; quantity: number }[],
        near: { latitude: number; longitude: number },
        pickupFacilityId?: string,
      ) => {
        const shippingAddress = { line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', ...near };
        const shipping = pickupFacilityId === undefined ? {} : { shippingMethod: 'PICKUP' as const, pickupFacilityId };
        const { order } = await services.orders.create(
          { customer: { email: 'ada@example.com' }, shippingAddress, items, ...shipping },
          { apiKeyId, salesChannel: 'etl' },
        );
        return order;
      };
      const [nearF1, nearF2] = [
        { latitude: 40, longitude: -74 },
        { latitude: 39, longitude: -75 },
      ];
      /** Allocated `minutes` before it ships, as its history tells; shipped by the order service. */
      const allocateAndShip = async (orderId: string, facilityId: string, minutes: number) => {
        await services.brokering.brokerOrders([orderId]);
        const allocated = await oms<{ facility_id: string }>(`SELECT facility_id FROM order_history WHERE order_id = $1 AND type = 'ALLOCATED'`, [
          orderId,
        ]);
        expect(allocated.map((entry) => entry.facility_id)).toEqual(allocated.map(() => facilityId));
        await oms(`UPDATE order_history SET at = at - $2::interval WHERE order_id = $1 AND type = 'ALLOCATED'`, [orderId, `${minutes} minutes`]);
        return services.shipments.packAndShip(orderId, facilityId, {}, 'test');
      };
      const boxAndLamp = await create(
        [
          { productId: box, quantity: 2 },
          { productId: lamp, quantity: 1 },
        ],
        nearF1,
      );
      expect((await allocateAndShip(boxAndLamp.id, ids.f1, 60)).shippedItemIds).toHaveLength(2);
      await allocateAndShip((await create([{ productId: box, quantity: 1 }], nearF1)).id, ids.f1, 120);
      await allocateAndShip((await create([{ productId: box, quantity: 1 }], nearF2)).id, ids.f2, 30);
      // Shipped in two parts: its box's entry dated 5 minutes earlier, as if shipped before the widget (15 minutes after allocation).
      const twoParts = await create(
        [
          { productId: box, quantity: 1 },
          { productId: widget, quantity: 1 },
        ],
        nearF1,
      );
      await allocateAndShip(twoParts.id, ids.f1, 20);
      const boxLine = twoParts.items.find((item) => item.productId === box)!.id;
      await oms(`UPDATE order_history SET at = at - interval '5 minutes' WHERE item_id = $1 AND type = 'SHIPPED'`, [boxLine]);
      const shipped = await oms<{ facility_id: string }>(`SELECT facility_id FROM order_history WHERE order_id = $1 AND type = 'SHIPPED'`, [
        twoParts.id,
      ]);
      expect(shipped).toEqual([{ facility_id: ids.f1 }, { facility_id: ids.f1 }]);

      // A pickup at the store nobody collected: cancelled, order and item, with the reason a pickup expiry writes, through the status writer.
      await oms('UPDATE facility SET can_pickup = true WHERE id = $1', [ids.f2]);
      const pickup = await create([{ productId: plant, quantity: 1 }], nearF2, ids.f2);
      await services.db.transaction(async (tx) => {
        const history = { reason: 'not collected' };
        await services.statuses.moveItems(tx, [{ itemId: pickup.items[0].id, status: 'CANCELLED', history }]);
        await services.statuses.moveOrders(tx, [{ orderId: pickup.id, status: 'CANCELLED', history }]);
      });
      // A cancel for another reason is no pickup not collected.
      await services.orders.cancel((await create([{ productId: plant, quantity: 1 }], nearF2)).id, 'test');

      const [{ at }] = await oms<{ at: Date }>(`SELECT at FROM order_history WHERE order_id = $1 AND type = 'SHIPPED' LIMIT 1`, [boxAndLamp.id]);
      const today = new LocalDates(TIME_ZONE).dateOf(at);
      await replicaCaughtUp();

      const run = await runManual();
      expect(run.rowsPerTable).toEqual(expect.objectContaining({ fact_shipment: 6, fact_not_collected: 2 }));
      const range = { from: today, to: today };
      const shipments = [
        { date: today, facilityId: ids.f1, code: 'F1', shipments: 4, orders: 3, items: 5, units: 6 },
        { date: today, facilityId: ids.f2, code: 'F2', shipments: 1, orders: 1, items: 1, units: 1 },
      ];
      expect(await reports.shipments(range)).toEqual(shipments);
      // F1's lines waited 15, 20, 60, 60 and 120 minutes (and the seconds the test took): the percentiles interpolate.
      const [f1, f2] = await reports.shipmentTimes(range);
      expect(f1).toEqual({ facilityId: ids.f1, code: 'F1', shipments: 4, items: 5, p50Minutes: expect.any(Number), p90Minutes: expect.any(Number) });
      expect(f1.p50Minutes).toBeCloseTo(60, 0);
      expect(f1.p90Minutes).toBeCloseTo(96, 0);
      expect(f2).toEqual({ facilityId: ids.f2, code: 'F2', shipments: 1, items: 1, p50Minutes: f2.p90Minutes, p90Minutes: expect.any(Number) });
      expect(f2.p90Minutes).toBeCloseTo(30, 0);
      const notCollected = [{ date: today, facilityId: ids.f2, code: 'F2', orders: 1 }];
      expect(await reports.pickupsNotCollected(range)).toEqual(notCollected);
      expect(await reports.shipments({ from: '2025-03-01', to: '2025-03-02' })).toEqual([]);

      // The allocations dated back before the last run's watermark come with a window over the day; the shipments stay as they are.
      expect((await runManual(range)).rowsPerTable).toEqual(expect.objectContaining({ fact_shipment: 0, fact_not_collected: 0 }));
      // Merged again, by the next incremental run and by a window over these days, the facts stay as they are.
      const before = await checksums();
      expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_shipment: 0, fact_not_collected: 0 }));
      expect((await runManual(range)).rowsPerTable).toEqual(expect.objectContaining({ fact_shipment: 0, fact_not_collected: 0 }));
      expect(await checksums()).toEqual(before);
      expect(await reports.shipments(range)).toEqual(shipments);
      expect(await reports.shipmentTimes(range)).toEqual([f1, f2]);
      expect(await reports.pickupsNotCollected(range)).toEqual(notCollected);
    } finally {
      await services.close();
    }
  });

  it('loads every item of a received return once, with its reason, units and restock; the report gives returns and units per day and reason', async () => {
    const pool = createPostgresPool(postgresPoolConfig(omsUrl, 'etl-int-spec'));
    const services = dataServicesOn(pool);
    try {
      const apiKeyId = await insertApiKey(oms, 'etl-returns', 'etl');
      const product = async (sku: string) =>
        (await oms<{ id: string }>('INSERT INTO product (sku, name, price) VALUES ($1, $1, 20) RETURNING id', [sku]))[0].id;
      const [lamp, rug] = [await product('SKU-RETURNED-LAMP'), await product('SKU-RETURNED-RUG')];
      for (const productId of [lamp, rug])
        await services.inventory.adjust({ facilityId: ids.f1, productId, delta: 10, reason: 'received', actor: 'test' });
      const shippingAddress = { line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', latitude: 40, longitude: -74 };
      const { order } = await services.orders.create(
        {
          customer: { email: 'ada@example.com' },
          shippingAddress,
          items: [
            { productId: lamp, quantity: 3 },
            { productId: rug, quantity: 2 },
          ],
        },
        { apiKeyId, salesChannel: 'etl' },
      );
      await services.brokering.brokerOrders([order.id]);
      await services.shipments.packAndShip(order.id, ids.f1, {}, 'test');
      const [lampItem, rugItem] = [lamp, rug].map((productId) => order.items.find((item) => item.productId === productId)!.id);
      const returnOf = (items: { itemId: string; quantity: number; reason: 'DAMAGED' | 'CHANGED_MIND' }[], facilityId = ids.f1) =>
        services.returns.request(order.id, { facilityId, items });
      const damaged = await returnOf([
        { itemId: lampItem, quantity: 2, reason: 'DAMAGED' },
        { itemId: rugItem, quantity: 1, reason: 'CHANGED_MIND' },
      ]);
      const unwanted = await returnOf([{ itemId: rugItem, quantity: 1, reason: 'CHANGED_MIND' }], ids.f2);
      // Requested, never received: not a fact.
      await returnOf([{ itemId: lampItem, quantity: 1, reason: 'DAMAGED' }]);
      await services.returns.receive(damaged.id, false, 'test');
      await services.returns.receive(unwanted.id, true, 'test');
      const [{ at }] = await oms<{ at: Date }>(`SELECT at FROM order_history WHERE return_id = $1 LIMIT 1`, [unwanted.id]);
      const today = new LocalDates(TIME_ZONE).dateOf(at);
      await replicaCaughtUp();

      expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_return: 3 }));
      const facts = await warehouse(
        `SELECT return_id, order_item_id, product_id, facility_id, reason, units, restocked FROM fact_return ORDER BY units DESC, restocked`,
      );
      expect(facts).toEqual([
        { return_id: damaged.id, order_item_id: lampItem, product_id: lamp, facility_id: ids.f1, reason: 'DAMAGED', units: 2, restocked: false },
        { return_id: damaged.id, order_item_id: rugItem, product_id: rug, facility_id: ids.f1, reason: 'CHANGED_MIND', units: 1, restocked: false },
        { return_id: unwanted.id, order_item_id: rugItem, product_id: rug, facility_id: ids.f2, reason: 'CHANGED_MIND', units: 1, restocked: true },
      ]);
      const range = { from: today, to: today };
      const rows = [
        { date: today, reason: 'CHANGED_MIND', returns: 2, units: 2 },
        { date: today, reason: 'DAMAGED', returns: 1, units: 2 },
      ];
      expect(await reports.returns(range)).toEqual(rows);
      expect(await reports.returns({ from: '2025-03-01', to: '2025-03-02' })).toEqual([]);

      // Merged again, by the next incremental run and by a window over the day, the facts stay as they are.
      const before = await checksums();
      expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_return: 0 }));
      expect((await runManual(range)).rowsPerTable).toEqual(expect.objectContaining({ fact_return: 0 }));
      expect(await checksums()).toEqual(before);
      expect(await reports.returns(range)).toEqual(rows);
    } finally {
      await services.close();
    }
  });

  it('loads every product of a purchase order receipt once, with its lead days; the reports give receipts per day and facility and lead times', async () => {
    // Due March 1st and 3rd 2025; received, in New York: on the day, 2 days late (twice), 4 days late and 2 days early (23:00 on March 1st).
    const north = await insertPurchaseOrder(oms, ids.f1, '2025-03-01', [
      [ids.p1, 50],
      [ids.p2, 40],
    ]);
    const south = await insertPurchaseOrder(oms, ids.f2, '2025-03-03', [[ids.p1, 20]]);
    const onTime = await insertReceipt(oms, north, [[ids.p1, 30]], '2025-03-01T15:00:00Z');
    const late = await insertReceipt(
      oms,
      north,
      [
        [ids.p1, 20],
        [ids.p2, 15],
      ],
      '2025-03-03T16:00:00Z',
    );
    const later = await insertReceipt(oms, north, [[ids.p2, 5]], '2025-03-03T20:00:00Z');
    const latest = await insertReceipt(oms, north, [[ids.p2, 3]], '2025-03-05T15:00:00Z');
    const early = await insertReceipt(oms, south, [[ids.p1, 10]], '2025-03-02T04:00:00Z');
    await replicaCaughtUp();

    // Dated long before the watermark, yet loaded: the warehouse held no receipt yet, so the table is taken whole.
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 6 }));
    const receipt = (id: string, product: string, day: number, facility: string, po: string, units: number, expected: string, lead: number) => ({
      receipt_id: id,
      product_id: ids[product],
      receipt_date_key: day,
      facility_id: ids[facility],
      purchase_order_id: po,
      units,
      expected_date: expected,
      lead_days: lead,
      dated: true,
    });
    expect(
      await warehouse(
        `SELECT receipt_id, product_id, receipt_date_key, facility_id, purchase_order_id, units, to_char(expected_date, 'YYYY-MM-DD') AS expected_date,
                lead_days, received_at = source_updated_at AS dated
           FROM fact_receipt ORDER BY received_at, units`,
      ),
    ).toEqual([
      receipt(onTime, 'p1', 20250301, 'f1', north, 30, '2025-03-01', 0),
      receipt(early, 'p1', 20250301, 'f2', south, 10, '2025-03-03', -2),
      receipt(late, 'p2', 20250303, 'f1', north, 15, '2025-03-01', 2),
      receipt(late, 'p1', 20250303, 'f1', north, 20, '2025-03-01', 2),
      receipt(later, 'p2', 20250303, 'f1', north, 5, '2025-03-01', 2),
      receipt(latest, 'p2', 20250305, 'f1', north, 3, '2025-03-01', 4),
    ]);

    const range = { from: '2025-03-01', to: '2025-03-05' };
    const receipts = [
      { date: '2025-03-01', facilityId: ids.f1, code: 'F1', receipts: 1, purchaseOrders: 1, lines: 1, units: 30 },
      { date: '2025-03-01', facilityId: ids.f2, code: 'F2', receipts: 1, purchaseOrders: 1, lines: 1, units: 10 },
      { date: '2025-03-03', facilityId: ids.f1, code: 'F1', receipts: 2, purchaseOrders: 1, lines: 3, units: 40 },
      { date: '2025-03-05', facilityId: ids.f1, code: 'F1', receipts: 1, purchaseOrders: 1, lines: 1, units: 3 },
    ];
    expect(await reports.receipts(range)).toEqual(receipts);
    expect(await reports.receipts({ from: '2025-03-02', to: '2025-03-02' })).toEqual([]);
    // F1's receipts came 0, 2, 2 and 4 days after the expected date (each receipt once, whatever its lines; the percentiles
    // interpolate); F2's one 2 days early.
    const leadTimes = [
      { facilityId: ids.f1, code: 'F1', receipts: 4, meanLeadDays: 2, p50LeadDays: 2, p90LeadDays: 3.4, onTimeShare: 0.25 },
      { facilityId: ids.f2, code: 'F2', receipts: 1, meanLeadDays: -2, p50LeadDays: -2, p90LeadDays: -2, onTimeShare: 1 },
    ];
    expect(await reports.purchaseOrderLeadTimes(range)).toEqual(leadTimes);
    // One day: F1's receipt on the expected day, F2's early one.
    expect(await reports.purchaseOrderLeadTimes({ from: '2025-03-01', to: '2025-03-01' })).toEqual([
      { facilityId: ids.f1, code: 'F1', receipts: 1, meanLeadDays: 0, p50LeadDays: 0, p90LeadDays: 0, onTimeShare: 1 },
      leadTimes[1],
    ]);

    // A receipt now comes with the next incremental run; one dated before the watermark only with a window over its day.
    const now = await insertReceipt(oms, south, [[ids.p1, 1]]);
    const backdated = await insertReceipt(oms, north, [[ids.p2, 5]], '2025-03-02T17:00:00Z');
    await replicaCaughtUp();
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 1 }));
    expect(await warehouse('SELECT receipt_id FROM fact_receipt WHERE receipt_id = ANY($1::uuid[])', [[now, backdated]])).toEqual([
      { receipt_id: now },
    ]);
    expect((await runManual({ from: '2025-03-02', to: '2025-03-02' })).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 1 }));
    expect(await reports.receipts({ from: '2025-03-02', to: '2025-03-02' })).toEqual([
      { date: '2025-03-02', facilityId: ids.f1, code: 'F1', receipts: 1, purchaseOrders: 1, lines: 1, units: 5 },
    ]);

    // Merged again, by the next incremental run, by a window over the days or whole into an emptied table, the facts stay as they are.
    const before = await checksums();
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 0 }));
    expect((await runManual(range)).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 0 }));
    expect(await checksums()).toEqual(before);
    await warehouse('DELETE FROM fact_receipt');
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_receipt: 8 }));
    expect(await checksums()).toEqual(before);
    expect(await reports.receipts(range)).toEqual([
      receipts[0],
      receipts[1],
      expect.objectContaining({ date: '2025-03-02', units: 5 }),
      receipts[2],
      receipts[3],
    ]);
  });

  it('counts the pre-orders waiting as of the last run, per product with their age; an item that stops waiting stops counting at the next run', async () => {
    const soon = await insertPurchaseOrder(oms, ids.f1, '2030-01-10', [
      [ids.p1, 10],
      [ids.p2, 10],
    ]);
    const later = await insertPurchaseOrder(oms, ids.f2, '2030-02-01', [[ids.p2, 10]]);
    const waiting = (daysAgo: number, productId: string, quantity: number) => insertWaitingItem(oms, productId, quantity, daysAgo);
    const oldest = await waiting(3, ids.p2, 2);
    const newest = await waiting(1, ids.p2, 1);
    const kettles = await waiting(2, ids.p1, 4);
    // Waiting without a promise: no pre-order.
    await waiting(5, ids.p1, 1);
    await promiseItem(oms, oldest.id, soon);
    await promiseItem(oms, newest.id, later);
    await promiseItem(oms, kettles.id, soon);
    await replicaCaughtUp();

    const run = await runManual();
    const ageDays = (createdAt: Date) => (run.finishedAt!.getTime() - createdAt.getTime()) / 86_400_000;
    const first = await reports.preordersWaiting(10);
    expect(first.asOf).toEqual(run.finishedAt);
    expect(first.rows).toEqual([
      {
        productId: ids.p2,
        sku: 'SKU-2',
        name: 'Mug',
        lines: 2,
        units: 3,
        oldestAgeDays: expect.any(Number),
        meanAgeDays: expect.any(Number),
        earliestPromiseDate: '2030-01-10',
        latestPromiseDate: '2030-02-01',
      },
      {
        productId: ids.p1,
        sku: 'SKU-1',
        name: 'Kettle',
        lines: 1,
        units: 4,
        oldestAgeDays: expect.any(Number),
        meanAgeDays: expect.any(Number),
        earliestPromiseDate: '2030-01-10',
        latestPromiseDate: '2030-01-10',
      },
    ]);
    expect(first.rows[0].oldestAgeDays).toBeCloseTo(ageDays(oldest.createdAt), 2);
    expect(first.rows[0].meanAgeDays).toBeCloseTo((ageDays(oldest.createdAt) + ageDays(newest.createdAt)) / 2, 2);
    expect(first.rows[1].oldestAgeDays).toBeCloseTo(ageDays(kettles.createdAt), 2);
    expect(first.rows[1].meanAgeDays).toBe(first.rows[1].oldestAgeDays);
    expect((await reports.preordersWaiting(1)).rows.map((row) => row.sku)).toEqual(['SKU-2']);
    expect(await warehouse('SELECT promised_purchase_order_id FROM fact_order_item WHERE order_item_id = $1', [oldest.id])).toEqual([
      { promised_purchase_order_id: soon },
    ]);

    // The oldest mug is allocated and the kettles cancelled: their promises end with the wait, and the next run drops them.
    await oms(`UPDATE order_item SET status = 'ALLOCATED', queue = NULL, facility_id = $2 WHERE id = $1`, [oldest.id, ids.f1]);
    await oms(`UPDATE order_item SET status = 'CANCELLED', queue = NULL WHERE id = $1`, [kettles.id]);
    await replicaCaughtUp();
    const next = await runManual();
    const after = await reports.preordersWaiting(10);
    expect(after.asOf).toEqual(next.finishedAt);
    expect(after.rows).toEqual([
      expect.objectContaining({ productId: ids.p2, lines: 1, units: 1, earliestPromiseDate: '2030-02-01', latestPromiseDate: '2030-02-01' }),
    ]);
    expect(after.rows[0].oldestAgeDays).toBeCloseTo((next.finishedAt!.getTime() - newest.createdAt.getTime()) / 86_400_000, 2);
    expect(
      await warehouse('SELECT status, promise_date, promised_purchase_order_id FROM fact_order_item WHERE order_item_id = $1', [oldest.id]),
    ).toEqual([{ status: 'ALLOCATED', promise_date: null, promised_purchase_order_id: null }]);

    // Merged again, by the next incremental run and by a window over the orders' days, the facts stay as they are.
    const days = new LocalDates(TIME_ZONE);
    const window = { from: days.dateOf(oldest.createdAt), to: days.dateOf(new Date()) };
    const before = await checksums();
    expect((await runManual()).rowsPerTable).toEqual(expect.objectContaining({ fact_order_item: 0 }));
    expect((await runManual(window)).rowsPerTable).toEqual(expect.objectContaining({ fact_order_item: 0 }));
    expect(await checksums()).toEqual(before);
    expect((await reports.preordersWaiting(10)).rows).toEqual([expect.objectContaining({ productId: ids.p2, lines: 1, units: 1 })]);
  });

  it('a first load straight into empty tables gives the warehouse that loads merged into loaded tables give; failing, it leaves them empty', async () => {
    const [straightUrl, mergedUrl] = ['straight', 'merged'].map((name) => cluster.databaseUrl(`wh_etl_${name}_${suffix}`));
    try {
      for (const url of [straightUrl, mergedUrl]) await migrateDatabase(warehouseDataSourceOptions(url));
      const straight = wire(parseConfig({ ...env, WAREHOUSE_URL: straightUrl, DATABASE_REPLICA_URLS: replicaUrl }));
      const merged = wire(parseConfig({ ...env, WAREHOUSE_URL: mergedUrl, DATABASE_REPLICA_URLS: replicaUrl }));
      const empty = await checksums(mergedUrl);
      const indexesOf = async (url: string) =>
        (
          await withClient(url, (client) =>
            client.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
          )
        ).rows.map((row) => row.def);
      const migratedIndexes = await indexesOf(mergedUrl);
      expect(migratedIndexes).toEqual(expect.arrayContaining([expect.stringContaining('fact_order_item_pkey')]));
      const run = async (etl: typeof straight, window?: { from: string; to: string }) => {
        const queued = await etl.runs.requestManual(window);
        await etl.etl.run(queued.id);
        return etl.runs.get(queued.id);
      };

      const inject = (sql: string) => withClient(mergedUrl, (client) => client.query(sql));
      await inject(`CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
      await inject('CREATE TRIGGER injected_failure BEFORE INSERT ON fact_inventory_daily FOR EACH STATEMENT EXECUTE FUNCTION injected_failure()');
      try {
        await expect(run(merged)).rejects.toThrow('injected failure');
      } finally {
        await inject('DROP TRIGGER injected_failure ON fact_inventory_daily');
      }
      expect(await checksums(mergedUrl)).toEqual(empty);
      expect(await indexesOf(mergedUrl)).toEqual(migratedIndexes);

      // One day first (every table empty: copied straight in), then everything (order facts merged into that day's).
      expect(await run(merged, { from: '2025-03-01', to: '2025-03-01' })).toEqual(expect.objectContaining({ status: 'succeeded' }));
      const rest = await run(merged);
      const [{ items }] = await oms<{ items: number }>('SELECT count(*)::int AS items FROM order_item');
      const firstDayItems = 3; // o1's two and o2's one (22:00 on March 1st in New York)
      expect(rest.rowsPerTable).toEqual(expect.objectContaining({ fact_order_item: items - firstDayItems, dim_product: 0 }));
      expect((await run(straight)).status).toBe('succeeded');
      expect(await checksums(mergedUrl)).toEqual(await checksums(straightUrl));
      expect(await checksums(straightUrl)).not.toEqual(empty);
      // The keys and indexes dropped for the straight load were built again, the same.
      expect(await indexesOf(straightUrl)).toEqual(migratedIndexes);
    } finally {
      await dropDatabases(straightUrl, mergedUrl);
    }
  });
});
