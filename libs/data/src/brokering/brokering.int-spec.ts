import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { insertCreatedItems, insertProduct } from '../../../../test/support/fixture-rows';
import { eventually } from '../../../../test/support/http';
import { dataServicesOn } from '../../../../test/support/data-services';
import { dropDatabases, primaryDatabaseUrl, truncateOrderData } from '../../../../test/support/test-databases';
import { PrimaryDatabase } from '../database/primary-database';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { OutboxRepository } from '../outbox/outbox.repository';
import { BrokeringOutcome } from './brokering.service';

/** The services of one process, over their own connection pool. */
const servicesOn = dataServicesOn;

interface Point {
  latitude: number;
  longitude: number;
}

const BROOKLYN = { latitude: 40.69, longitude: -73.99 };
const NEWARK = { latitude: 40.73, longitude: -74.17 };
const PHILADELPHIA = { latitude: 39.95, longitude: -75.16 };
const CHICAGO = { latitude: 41.88, longitude: -87.63 };
const LOS_ANGELES = { latitude: 34.05, longitude: -118.24 };

describe('BrokeringService (real PostgreSQL)', () => {
  const name = `oms_brokering_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let services: ReturnType<typeof servicesOn>;
  let db: PrimaryDatabase;

  /** Another process: its own pool, so its transactions run on connections of their own. */
  async function startProcess(outbox?: OutboxRepository) {
    const pool = createPostgresPool(postgresPoolConfig(url, 'brokering-int-spec'));
    pools.push(pool);
    return servicesOn(pool, outbox);
  }

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'brokering-int-spec'));
    services = await startProcess();
    db = services.db;
  });

  afterAll(async () => {
    await Promise.all(pools.filter((pool) => !pool.ended).map((pool) => pool.end()));
    await dropDatabases(primaryDatabaseUrl(name));
  });

  beforeEach(async () => {
    await truncateOrderData(db);
  });

  async function facility(at: Point, canShip = true): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude, can_ship) VALUES ($1, $1, 'WAREHOUSE', $2, $3, $4) RETURNING id`,
      [`F-${randomUUID()}`, at.latitude, at.longitude, canShip],
    );
    return id;
  }

  const product = () => insertProduct(db);

  /** Stock arrives the way the API brings it: a conditional update, a ledger row and an event. */
  async function receive(facilityId: string, productId: string, quantity: number): Promise<void> {
    await services.inventory.adjust({ facilityId, productId, delta: quantity, reason: 'received', actor: 'test' });
  }

  /** A new order, as OrdersService.create leaves it: APPROVED, with CREATED items waiting in BROKERING. */
  async function order(shipTo: Point | object, ...lines: [productId: string, quantity: number][]): Promise<{ id: string; itemIds: string[] }> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel)
       VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify({ line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', ...shipTo })],
    );
    const itemIds = await insertCreatedItems(db, id, lines);
    return { id, itemIds };
  }

  async function orderStatus(id: string): Promise<string> {
    const [row] = await db.query<{ status: string }>('SELECT status FROM sales_order WHERE id = $1', [id]);
    return row.status;
  }

  async function itemsOf(orderId: string): Promise<{ id: string; status: string; facilityId: string | null }[]> {
    return db.query('SELECT id, status, facility_id AS "facilityId" FROM order_item WHERE order_id = $1 ORDER BY line_number', [orderId]);
  }

  async function stockOf(facilityId: string, productId: string) {
    const [row] = await db.query<{ onHand: number; reserved: number; atp: number }>(
      `SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved, available_to_promise AS atp
         FROM inventory_item WHERE facility_id = $1 AND product_id = $2`,
      [facilityId, productId],
    );
    return row;
  }

  async function events(topic: string): Promise<Record<string, unknown>[]> {
    const rows = await db.query<{ payload: Record<string, unknown> }>('SELECT payload FROM outbox_event WHERE topic = $1 ORDER BY id', [topic]);
    return rows.map((row) => row.payload);
  }

  /**
   * What no interleaving may break: each inventory row reserves exactly what its allocated items
   * need, never more than on hand, and its ledger adds up to its balance.
   */
  async function stockInconsistencies(): Promise<unknown[]> {
    return db.query(`
      SELECT i.facility_id, i.product_id, i.quantity_on_hand, i.quantity_reserved, allocated.quantity AS allocated,
             ledger.on_hand AS ledger_on_hand, ledger.reserved AS ledger_reserved
        FROM inventory_item i
        CROSS JOIN LATERAL (SELECT COALESCE(sum(quantity), 0)::int AS quantity FROM order_item
                             WHERE status = 'ALLOCATED' AND facility_id = i.facility_id AND product_id = i.product_id) allocated
        CROSS JOIN LATERAL (SELECT COALESCE(sum(on_hand_delta), 0)::int AS on_hand, COALESCE(sum(reserved_delta), 0)::int AS reserved
                              FROM inventory_ledger WHERE facility_id = i.facility_id AND product_id = i.product_id) ledger
       WHERE i.quantity_reserved > i.quantity_on_hand OR i.quantity_reserved <> allocated.quantity
          OR ledger.on_hand <> i.quantity_on_hand OR ledger.reserved <> i.quantity_reserved`);
  }

  /** Orders whose status is not the one docs/architecture.md gives their items. */
  async function statusInconsistencies(): Promise<unknown[]> {
    return db.query(`
      SELECT o.id, o.status, array_agg(i.status ORDER BY i.line_number) AS items
        FROM sales_order o JOIN order_item i ON i.order_id = o.id
       GROUP BY o.id, o.status
      HAVING NOT CASE o.status
        WHEN 'CREATED' THEN bool_and(i.status = 'CREATED')
        WHEN 'APPROVED' THEN bool_and(i.status = 'CREATED')
        WHEN 'CANCELLED' THEN bool_and(i.status = 'CANCELLED')
        WHEN 'COMPLETED' THEN bool_and(i.status = 'SHIPPED')
        WHEN 'BROKERED' THEN bool_and(i.status IN ('ALLOCATED', 'SHIPPED'))
        WHEN 'PARTIALLY_BROKERED' THEN bool_and(i.status IN ('ALLOCATED', 'SHIPPED', 'BACKORDERED'))
                                    AND bool_or(i.status = 'BACKORDERED') AND bool_or(i.status IN ('ALLOCATED', 'SHIPPED'))
        WHEN 'BACKORDERED' THEN bool_and(i.status = 'BACKORDERED')
      END`);
  }

  it('ships the whole order from the nearest facility that has all of it', async () => {
    const [tee, mug] = [await product(), await product()];
    const [newark, philadelphia, losAngeles, store] = [
      await facility(NEWARK),
      await facility(PHILADELPHIA),
      await facility(LOS_ANGELES),
      await facility(BROOKLYN, false),
    ];
    await receive(newark, tee, 10);
    for (const full of [philadelphia, losAngeles, store]) {
      await receive(full, tee, 10);
      await receive(full, mug, 10);
    }
    const { id, itemIds } = await order(BROOKLYN, [tee, 2], [mug, 1]);

    expect(await services.brokering.brokerOrders([id])).toEqual({ brokered: [id], skipped: [] });

    expect(await orderStatus(id)).toBe('BROKERED');
    expect(await itemsOf(id)).toEqual([
      { id: itemIds[0], status: 'ALLOCATED', facilityId: philadelphia },
      { id: itemIds[1], status: 'ALLOCATED', facilityId: philadelphia },
    ]);
    expect(await stockOf(philadelphia, tee)).toEqual({ onHand: 10, reserved: 2, atp: 8 });
    expect(await stockOf(newark, tee)).toEqual({ onHand: 10, reserved: 0, atp: 10 });
    expect(await stockInconsistencies()).toEqual([]);
  });

  it('writes a ledger row per allocated line and the events the cache and the warehouse follow', async () => {
    const tee = await product();
    const warehouse = await facility(NEWARK);
    await receive(warehouse, tee, 5);
    const { id } = await order(BROOKLYN, [tee, 2], [tee, 1]);
    await db.query('TRUNCATE outbox_event');

    await services.brokering.brokerOrders([id]);

    const ledger = await db.query(
      `SELECT on_hand_delta, reserved_delta, reason, actor, order_id FROM inventory_ledger WHERE reason = 'brokered' ORDER BY id`,
    );
    expect(ledger).toEqual([
      { on_hand_delta: 0, reserved_delta: 2, reason: 'brokered', actor: 'system', order_id: id },
      { on_hand_delta: 0, reserved_delta: 1, reason: 'brokered', actor: 'system', order_id: id },
    ]);
    expect(await events('inventory.changed')).toEqual([
      {
        facilityId: warehouse,
        productId: tee,
        quantityOnHand: 5,
        quantityReserved: 3,
        availableToPromise: 2,
        onHandDelta: 0,
        reservedDelta: 3,
        reason: 'brokered',
        orderId: null,
      },
    ]);
    expect(await events('order.brokered')).toEqual([{ orderId: id, status: 'BROKERED' }]);
  });

  it('brokers an order whose address has no coordinates: every facility is as near, ties go by facility code', async () => {
    const tee = await product();
    // The lower id is the farther from anywhere a missing coordinate could be taken for (0, 0, or the facility itself).
    const [lower, higher] = [randomUUID(), randomUUID()].sort();
    for (const [facilityId, at] of [
      [lower, LOS_ANGELES],
      [higher, { latitude: 0, longitude: 0 }],
    ] as const) {
      await db.query(`INSERT INTO facility (id, code, name, type, latitude, longitude) VALUES ($1, $2, $2, 'WAREHOUSE', $3, $4)`, [
        facilityId,
        `F-${facilityId}`,
        at.latitude,
        at.longitude,
      ]);
      await receive(facilityId, tee, 5);
    }
    const { id } = await order({ line1: '1 Main St' }, [tee, 1]);

    expect(await services.brokering.brokerOrders([id])).toEqual({ brokered: [id], skipped: [] });
    expect((await itemsOf(id)).map((item) => item.facilityId)).toEqual([lower]);
  });

  it('splits over the fewest facilities, nearest first, when no single facility can ship the order', async () => {
    const [tee, mug, cap] = [await product(), await product(), await product()];
    const [newark, philadelphia, chicago] = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
    await receive(newark, tee, 1);
    await receive(philadelphia, mug, 1);
    await receive(philadelphia, cap, 1);
    await receive(chicago, tee, 1);
    await receive(chicago, mug, 1);
    const { id, itemIds } = await order(BROOKLYN, [tee, 1], [mug, 1], [cap, 1]);

    await services.brokering.brokerOrders([id]);

    expect(await orderStatus(id)).toBe('BROKERED');
    expect(await itemsOf(id)).toEqual([
      { id: itemIds[0], status: 'ALLOCATED', facilityId: newark },
      { id: itemIds[1], status: 'ALLOCATED', facilityId: philadelphia },
      { id: itemIds[2], status: 'ALLOCATED', facilityId: philadelphia },
    ]);
    expect(await stockOf(chicago, tee)).toMatchObject({ reserved: 0 });
    expect(await stockInconsistencies()).toEqual([]);
  });

  it('takes new orders waiting besides the named ones into the batch, oldest first, up to the number asked for', async () => {
    const tee = await product();
    const warehouse = await facility(NEWARK);
    const backordered = await order(BROOKLYN, [tee, 1]);
    await services.brokering.brokerOrders([backordered.id]);
    await receive(warehouse, tee, 10);
    const [oldest, older, newest] = [await order(BROOKLYN, [tee, 1]), await order(BROOKLYN, [tee, 1]), await order(BROOKLYN, [tee, 1])];

    expect(await services.brokering.brokerOrders([newest.id], 3)).toEqual({ brokered: [oldest.id, older.id, newest.id], skipped: [] });
    expect(await services.brokering.brokerOrders([newest.id], 3)).toEqual({ brokered: [], skipped: [newest.id] });

    // Backordered orders are re-brokering's (inventory.changed, the sweep), not taken as waiting new orders.
    expect(await orderStatus(backordered.id)).toBe('BACKORDERED');
    expect(await stockOf(warehouse, tee)).toEqual({ onHand: 10, reserved: 3, atp: 7 });
    expect(await stockInconsistencies()).toEqual([]);
  });

  it('a full batch of backorders that cannot change hands over to the orders behind it (keyset continuation)', async () => {
    const widget = await product();
    const warehouse = await facility(NEWARK);
    const big = [await order(BROOKLYN, [widget, 5]), await order(BROOKLYN, [widget, 5])];
    const small = await order(BROOKLYN, [widget, 1]);
    await services.brokering.rebrokerProducts([widget], 10);
    await services.brokering.brokerOrders([...big.map((o) => o.id), small.id]);
    await receive(warehouse, widget, 1);

    const first = await services.brokering.rebrokerProducts([widget], 2);
    expect(first).toMatchObject({ brokered: [], skipped: big.map((o) => o.id) });
    expect(first.next).toMatchObject({ backlog: true, id: big[1].id });
    expect(await services.brokering.rebrokerProducts([widget], 2, first.next)).toEqual({ brokered: [small.id], skipped: [] });
    expect(await orderStatus(small.id)).toBe('BROKERED');
    expect(await stockInconsistencies()).toEqual([]);
  });

  it('backorders what no facility can ship, and allocates it when stock arrives (rebrokerProducts)', async () => {
    const [tee, mug] = [await product(), await product()];
    const warehouse = await facility(NEWARK);
    await receive(warehouse, mug, 5);
    const partly = await order(BROOKLYN, [tee, 2], [mug, 1]);
    const nothing = await order(BROOKLYN, [tee, 1]);

    expect(await services.brokering.brokerPending(10)).toEqual({ brokered: [partly.id, nothing.id], skipped: [] });
    expect(await orderStatus(partly.id)).toBe('PARTIALLY_BROKERED');
    expect(await orderStatus(nothing.id)).toBe('BACKORDERED');
    expect((await itemsOf(partly.id)).map((item) => item.status)).toEqual(['BACKORDERED', 'ALLOCATED']);
    const queues = async (orderId: string) =>
      (await db.query<{ queue: string | null }>('SELECT queue FROM order_item WHERE order_id = $1 ORDER BY line_number', [orderId])).map(
        (item) => item.queue,
      );
    expect(await queues(partly.id)).toEqual(['BACKORDER', null]);
    expect(await events('order.brokered')).toEqual([
      { orderId: partly.id, status: 'PARTIALLY_BROKERED' },
      { orderId: nothing.id, status: 'BACKORDERED' },
    ]);

    // Without new stock a retry changes nothing and writes nothing, so a drain loop stops.
    const [{ count: eventsBefore }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox_event');
    expect(await services.brokering.rebrokerProducts([tee], 10)).toEqual({ brokered: [], skipped: [partly.id, nothing.id] });
    expect(await services.brokering.brokerPending(10)).toEqual({ brokered: [], skipped: [partly.id, nothing.id] });
    expect(await db.query('SELECT count(*)::int AS count FROM outbox_event')).toEqual([{ count: eventsBefore }]);

    await receive(warehouse, tee, 2);
    expect(await services.brokering.rebrokerProducts([tee], 10)).toEqual({ brokered: [partly.id], skipped: [nothing.id] });
    expect(await orderStatus(partly.id)).toBe('BROKERED');
    expect(await queues(partly.id)).toEqual([null, null]);
    expect(await orderStatus(nothing.id)).toBe('BACKORDERED');

    await receive(warehouse, tee, 1);
    expect(await services.brokering.rebrokerProducts([tee], 10)).toEqual({ brokered: [nothing.id], skipped: [] });
    expect(await orderStatus(nothing.id)).toBe('BROKERED');
    expect(await stockOf(warehouse, tee)).toEqual({ onHand: 3, reserved: 3, atp: 0 });
    expect(await stockInconsistencies()).toEqual([]);
    expect(await statusInconsistencies()).toEqual([]);
  });

  it('completes a brokered order when it ships, and never brokers a closed or locked order', async () => {
    const tee = await product();
    const warehouse = await facility(NEWARK);
    await receive(warehouse, tee, 10);
    const [shipped, cancelled, locked, open] = [
      await order(BROOKLYN, [tee, 1]),
      await order(BROOKLYN, [tee, 1]),
      await order(BROOKLYN, [tee, 1]),
      await order(BROOKLYN, [tee, 1]),
    ];
    await services.brokering.brokerOrders([shipped.id]);
    await services.shipments.packAndShip(shipped.id, warehouse, {}, 'test');
    expect(await orderStatus(shipped.id)).toBe('COMPLETED');
    await services.orders.cancel(cancelled.id, 'test');

    const other = (await startProcess()).db;
    const unknown = randomUUID();
    const outcome = await new Promise<BrokeringOutcome>((resolve, reject) => {
      other
        .transaction(async (tx) => {
          await tx.query('SELECT 1 FROM sales_order WHERE id = $1 FOR UPDATE', [locked.id]);
          resolve(await services.brokering.brokerOrders([shipped.id, cancelled.id, unknown, locked.id, open.id, open.id]));
        })
        .catch(reject);
    });

    expect(outcome).toEqual({ brokered: [open.id], skipped: [shipped.id, cancelled.id, unknown, locked.id] });
    expect(await orderStatus(locked.id)).toBe('APPROVED');
    expect(await services.brokering.brokerOrders([])).toEqual({ brokered: [], skipped: [] });
    expect(await services.brokering.rebrokerProducts([], 10)).toEqual({ brokered: [], skipped: [] });
    expect(await stockInconsistencies()).toEqual([]);
    expect(await statusInconsistencies()).toEqual([]);
  });

  it('commits the reservation, the items, the order, the ledger and the events together or not at all', async () => {
    const tee = await product();
    const warehouse = await facility(NEWARK);
    await receive(warehouse, tee, 5);
    const { id } = await order(BROOKLYN, [tee, 2]);
    const failingOutbox = new OutboxRepository();
    failingOutbox.enqueueMany = () => Promise.reject(new Error('outbox down'));
    const failing = await startProcess(failingOutbox);

    await expect(failing.brokering.brokerOrders([id])).rejects.toThrow('outbox down');

    expect(await orderStatus(id)).toBe('APPROVED');
    expect((await itemsOf(id)).map((item) => item.status)).toEqual(['CREATED']);
    expect(await stockOf(warehouse, tee)).toEqual({ onHand: 5, reserved: 0, atp: 5 });
    expect(await db.query(`SELECT 1 FROM inventory_ledger WHERE reason = 'brokered'`)).toEqual([]);
    expect(await events('order.brokered')).toEqual([]);
  });

  it('plans again with every candidate row locked when the stock it planned on is taken before it locks it', async () => {
    const tee = await product();
    const [newark, philadelphia] = [await facility(NEWARK), await facility(PHILADELPHIA)];
    await receive(newark, tee, 5);
    await receive(philadelphia, tee, 5);
    const { id, itemIds } = await order(BROOKLYN, [tee, 2]);
    const other = await startProcess();
    let rowTaken!: () => void;
    let commit!: () => void;
    const taken = new Promise<void>((resolve) => (rowTaken = resolve));
    const committing = new Promise<void>((resolve) => (commit = resolve));
    // Another process writes off 4 of Newark's 5 tees and holds the row while brokering plans on the 5 last committed.
    const writeOff = other.db.transaction(async (tx) => {
      await tx.query('UPDATE inventory_item SET quantity_on_hand = quantity_on_hand - 4 WHERE facility_id = $1 AND product_id = $2', [newark, tee]);
      await tx.query(
        `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor) VALUES ($1, $2, -4, 0, 'damaged', 'test')`,
        [newark, tee],
      );
      rowTaken();
      await committing;
    });
    await taken;

    const brokering = services.brokering.brokerOrders([id]);
    await eventually(
      async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).length > 0,
    );
    commit();
    await writeOff;

    expect(await brokering).toEqual({ brokered: [id], skipped: [] });
    expect(await itemsOf(id)).toEqual([{ id: itemIds[0], status: 'ALLOCATED', facilityId: philadelphia }]);
    expect(await stockOf(newark, tee)).toEqual({ onHand: 1, reserved: 0, atp: 1 });
    expect(await stockOf(philadelphia, tee)).toEqual({ onHand: 5, reserved: 2, atp: 3 });
    expect(await stockInconsistencies()).toEqual([]);
  });

  it('allocates exactly the ATP when workers in several processes broker the same stock at once', async () => {
    const tee = await product();
    const [newark, philadelphia] = [await facility(NEWARK), await facility(PHILADELPHIA)];
    await receive(newark, tee, 12);
    await receive(philadelphia, tee, 8);
    const orders: { id: string; itemIds: string[] }[] = [];
    for (let n = 0; n < 60; n++) orders.push(await order(BROOKLYN, [tee, 1]));
    const workers = await Promise.all([startProcess(), startProcess(), startProcess(), startProcess()]);

    const brokeredPerWorker = await Promise.all(
      workers.map(async (worker) => {
        const brokered: string[] = [];
        for (;;) {
          const outcome = await worker.brokering.brokerPending(10);
          if (outcome.brokered.length === 0) return brokered;
          brokered.push(...outcome.brokered);
        }
      }),
    );

    expect(brokeredPerWorker.flat().sort()).toEqual(orders.map((o) => o.id).sort());
    const [counts] = await db.query(`SELECT count(*) FILTER (WHERE status = 'ALLOCATED')::int AS allocated,
      count(*) FILTER (WHERE status = 'BACKORDERED')::int AS backordered FROM order_item`);
    expect(counts).toEqual({ allocated: 20, backordered: 40 });
    expect(await stockOf(newark, tee)).toEqual({ onHand: 12, reserved: 12, atp: 0 });
    expect(await stockOf(philadelphia, tee)).toEqual({ onHand: 8, reserved: 8, atp: 0 });
    const [ledger] = await db.query(`SELECT sum(reserved_delta)::int AS reserved FROM inventory_ledger`);
    expect(ledger).toEqual({ reserved: 20 });
    expect(await stockInconsistencies()).toEqual([]);
    expect(await statusInconsistencies()).toEqual([]);
  });

  it('never oversells nor deadlocks while brokering races cancels, shipments and restocking of multi-line orders', async () => {
    const products = [await product(), await product(), await product()];
    const facilities = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
    for (const facilityId of facilities) for (const productId of products) await receive(facilityId, productId, 4);
    const [brokerA, brokerB, clerk, shipper] = await Promise.all([startProcess(), startProcess(), startProcess(), startProcess()]);
    const unexpected: unknown[] = [];
    const expectedConflicts = (work: Promise<unknown>) =>
      work.catch((error: unknown) => {
        if (!(error instanceof ConflictError)) unexpected.push(error);
      });
    const deadlocksBefore = await deadlockCount();

    for (let round = 0; round < 12; round++) {
      const orders: { id: string; itemIds: string[] }[] = [];
      for (let n = 0; n < 10; n++) {
        const lines = products.filter((_, p) => (n + p + round) % 3 !== 0).map((productId, l): [string, number] => [productId, 1 + ((n + l) % 3)]);
        orders.push(await order(n % 2 === 0 ? BROOKLYN : CHICAGO, ...lines));
      }
      const drain = async (worker: ReturnType<typeof servicesOn>) => {
        for (let batch = 0; batch < 20; batch++) if ((await worker.brokering.brokerPending(3)).brokered.length === 0) return;
      };
      const cancelSome = async () => {
        for (const { id } of orders.filter((_, n) => n % 3 === round % 3)) await expectedConflicts(clerk.orders.cancel(id, 'test'));
      };
      const shipWhatIsAllocated = async () => {
        for (const { id } of orders) {
          const allocatedAt = new Set(
            (await itemsOf(id)).flatMap((item) => (item.status === 'ALLOCATED' && item.facilityId ? [item.facilityId] : [])),
          );
          for (const facilityId of allocatedAt) await expectedConflicts(shipper.shipments.packAndShip(id, facilityId, {}, 'test'));
        }
      };
      const restock = async () => {
        for (const productId of products) {
          await expectedConflicts(
            clerk.inventory.adjust({ facilityId: facilities[round % 3], productId, delta: 3, reason: 'received', actor: 'test' }),
          );
          await expectedConflicts(brokerB.brokering.rebrokerProducts([productId], 5));
        }
      };
      await Promise.all(
        [drain(brokerA), drain(brokerB), cancelSome(), shipWhatIsAllocated(), restock()].map((work) => work.catch((e) => unexpected.push(e))),
      );

      expect(unexpected).toEqual([]);
      expect(await stockInconsistencies()).toEqual([]);
      expect(await statusInconsistencies()).toEqual([]);
    }
    const [brokered] = await db.query(`SELECT count(*)::int AS allocated FROM order_item WHERE status IN ('ALLOCATED', 'SHIPPED')`);
    expect(brokered).toMatchObject({ allocated: expect.any(Number) });
    expect((brokered as { allocated: number }).allocated).toBeGreaterThan(0);
    // A backend reports its statistics when it exits, so close the racing pools before counting.
    await Promise.all([brokerA, brokerB, clerk, shipper].map((worker) => worker.close()));
    expect(await deadlockCount()).toBe(deadlocksBefore);
  });

  /** Deadlocks PostgreSQL detected in this database (PrimaryDatabase.transaction would have retried them silently). */
  async function deadlockCount(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [row] = await db.query<{ deadlocks: number }>(
      'SELECT deadlocks::int AS deadlocks FROM pg_stat_database WHERE datname = current_database()',
    );
    return row.deadlocks;
  }
});
