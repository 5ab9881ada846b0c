import { randomBytes, randomUUID } from 'node:crypto';
import type { CacheInvalidator } from '@app/cache';
import { createPostgresPool, InvalidInputError, migrateDatabase, postgresPoolConfig, runInWorkContext, UnprocessableError } from '@app/platform';
import { insertApiKey } from '../../../../test/support/fixture-rows';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';
import { ItemReservations } from '../inventory/item-reservations';
import { InventoryJournal } from '../inventory/inventory-journal';
import { InventoryRepository } from '../inventory/inventory.repository';
import { StatusChangesRepository } from '../lifecycle/status-changes.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { ReadRouter } from '../read-routing/read-router';
import type { OrderLineInput } from './order-lines';
import { OrdersRepository } from './orders.repository';
import { CreateOrderInput, OrdersService, Requester } from './orders.service';
import type { ApprovalRulesService } from '../approval/approval-rules.service';

/** No approval rules: every order is approved (approval rules are tested end to end). */
const NO_APPROVAL_RULES = { current: () => Promise.resolve([]) } as unknown as ApprovalRulesService;

/** List reads are the only use of the router, and these tests make none. */
const NO_LIST_READS = {} as ReadRouter;
/** Creating an order drops the channel availability of its products; nothing is cached here. */
const NO_CACHE = { invalidate: () => Promise.resolve() } as unknown as CacheInvalidator;

const ADDRESS = { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 };

function ordersOn(db: PrimaryDatabase): OrdersService {
  const inventory = new InventoryRepository();
  const outbox = new OutboxRepository();
  const journal = new InventoryJournal(inventory, outbox);
  return new OrdersService(
    db,
    NO_LIST_READS,
    new OrdersRepository(),
    outbox,
    NO_CACHE,
    new StatusChangesRepository(),
    NO_APPROVAL_RULES,
    new ItemReservations(inventory, journal),
  );
}

function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('OrdersService.create: one statement prices and inserts, exactly once per key (real PostgreSQL)', () => {
  const name = `oms_orders_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const databases: PrimaryDatabase[] = [];
  /** Two processes: each its own pool, so that their statements really run at the same time. */
  let first: OrdersService;
  let second: OrdersService;
  let db: PrimaryDatabase;
  let web: Requester;
  let shirt: { id: string; sku: string };
  let cap: { id: string; sku: string };
  let mug: { id: string; sku: string };

  function open(): PrimaryDatabase {
    const database = new PrimaryDatabase(createPostgresPool(postgresPoolConfig(url, 'orders-int-spec')));
    databases.push(database);
    return database;
  }

  async function product(price: string, currency = 'USD'): Promise<{ id: string; sku: string }> {
    const [row] = await db.query<{ id: string; sku: string }>(
      'INSERT INTO product (sku, name, price, currency) VALUES ($1, $1, $2, $3) RETURNING id, sku',
      [`SKU-${randomUUID()}`, price, currency],
    );
    return row;
  }

  const input = (items: OrderLineInput[], externalId?: string): CreateOrderInput => ({
    customer: { email: 'ada@example.com' },
    shippingAddress: ADDRESS,
    items,
    ...(externalId === undefined ? {} : { externalId }),
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'orders-int-spec'));
    db = open();
    first = ordersOn(db);
    second = ordersOn(open());
    web = { apiKeyId: await insertApiKey((sql, params) => db.query(sql, params), 'web', 'web'), salesChannel: 'web' };
    [shirt, cap, mug] = [await product('19.99'), await product('5.50'), await product('8.00', 'EUR')];
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.onApplicationShutdown()));
    await dropDatabases(primaryDatabaseUrl(name));
  });

  describe('pricing, in the insert statement', () => {
    it('resolves lines by id or SKU, takes the catalog price unless the client gives one, and totals exactly', async () => {
      const { order, created } = await first.create(
        input([
          { productId: shirt.id, quantity: 3 },
          { sku: cap.sku, quantity: 1, unitPrice: '4.5' },
        ]),
        web,
      );
      expect(created).toBe(true);
      expect(order).toMatchObject({ total: '64.47', currency: 'USD', status: 'APPROVED' });
      expect(order.items).toEqual([
        expect.objectContaining({ productId: shirt.id, sku: shirt.sku, quantity: 3, unitPrice: '19.99' }),
        expect.objectContaining({ productId: cap.id, sku: cap.sku, quantity: 1, unitPrice: '4.50' }),
      ]);
      expect(await first.get(order.id)).toEqual(order);
      expect(await count("outbox_event WHERE topic = 'order.created' AND aggregate_id = $1", [order.id])).toBe(1);
    });

    it('refuses unknown products (as each line named it) and mixed currencies in one 400, storing nothing', async () => {
      const orders = await count('sales_order');
      const error = await errorOf(
        first.create(
          input([
            { sku: 'NOPE', quantity: 1 },
            { productId: mug.id, quantity: 1 },
            { productId: randomUUID(), quantity: 1 },
            { sku: shirt.sku, quantity: 1 },
          ]),
          web,
        ),
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).details).toEqual([
        { field: 'items[0].sku', message: 'unknown product' },
        { field: 'items[2].productId', message: 'unknown product' },
        { field: 'items', message: 'items are priced in several currencies: EUR, USD' },
      ]);
      expect(await count('sales_order')).toBe(orders);
    });

    it('refuses a total larger than numeric(16,2) instead of failing in the database, storing nothing', async () => {
      const orders = await count('sales_order');
      const error = await errorOf(first.create(input([{ productId: shirt.id, quantity: 100_000, unitPrice: '999999999999.99' }]), web));
      expect((error as InvalidInputError).details).toEqual([{ field: 'items', message: 'the total exceeds 99999999999999.99' }]);
      expect(await count('sales_order')).toBe(orders);
    });

    it('writes the order.created event with the id of the request under way', async () => {
      const requestId = `req-${randomUUID()}`;
      const { order } = await runInWorkContext({ id: requestId }, () => first.create(input([{ productId: shirt.id, quantity: 1 }]), web));
      const events = await db.query("SELECT request_id FROM outbox_event WHERE topic = 'order.created' AND aggregate_id = $1", [order.id]);
      expect(events).toEqual([{ request_id: requestId }]);
    });
  });

  describe('order fields, approval and items waiting to be brokered', () => {
    async function facility(canPickup: boolean): Promise<string> {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO facility (code, name, type, latitude, longitude, can_pickup) VALUES ($1, $1, 'STORE', 40, -74, $2) RETURNING id`,
        [`F-${randomUUID()}`, canPickup],
      );
      return row.id;
    }

    it('stores the fields with their defaults, approves the order at once (history CREATED, APPROVED) and queues its items for brokering', async () => {
      const { order } = await first.create(input([{ productId: shirt.id, quantity: 1 }]), web);
      expect(order).toMatchObject({
        status: 'APPROVED',
        shippingMethod: 'STANDARD',
        pickupFacilityId: null,
        priority: 5,
        promiseDate: null,
        tags: [],
      });
      expect(order.items).toEqual([expect.objectContaining({ status: 'CREATED', queue: 'BROKERING', autoCancelAt: null })]);
      expect(await first.get(order.id)).toEqual(order);
      expect((await first.history(order.id)).map((entry) => entry.type)).toEqual(['CREATED', 'APPROVED']);

      const pickupAt = await facility(true);
      const { order: pickup } = await first.create(
        {
          ...input([{ productId: shirt.id, quantity: 1 }]),
          shippingAddress: { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US' },
          shippingMethod: 'PICKUP',
          pickupFacilityId: pickupAt,
          priority: 9,
          promiseDate: '2028-02-29',
          tags: ['vip', 'gift', 'vip'],
        },
        web,
      );
      expect(pickup).toMatchObject({
        shippingMethod: 'PICKUP',
        pickupFacilityId: pickupAt,
        priority: 9,
        promiseDate: '2028-02-29',
        tags: ['vip', 'gift'],
      });
      expect(await first.get(pickup.id)).toEqual(pickup);
    });

    it('refuses an unknown pickup facility or one that does not offer pickup with a 400 naming pickupFacilityId, storing nothing', async () => {
      const orders = await count('sales_order');
      for (const [pickupFacilityId, message] of [
        [await facility(false), 'does not offer pickup'],
        [randomUUID(), 'does not exist'],
      ]) {
        const error = await errorOf(
          first.create({ ...input([{ productId: shirt.id, quantity: 1 }]), shippingMethod: 'PICKUP', pickupFacilityId }, web),
        );
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).details).toEqual([{ field: 'pickupFacilityId', message: `facility ${pickupFacilityId} ${message}` }]);
      }
      expect(await count('sales_order')).toBe(orders);
    });

    it('replays an order whose pickup facility has stopped offering pickup since: a replay answers before the catalog does', async () => {
      const pickupAt = await facility(true);
      const key = { ...web, idempotencyKey: `key-${randomUUID()}` };
      const body = {
        ...input([{ productId: shirt.id, quantity: 1 }], `EXT-${randomUUID()}`),
        shippingMethod: 'PICKUP' as const,
        pickupFacilityId: pickupAt,
      };
      const { order } = await first.create(body, key);
      await db.query('UPDATE facility SET can_pickup = false WHERE id = $1', [pickupAt]);
      expect(await first.create(body, key)).toMatchObject({ created: false, order: { id: order.id } });
      expect(await first.create(body, web)).toMatchObject({ created: false, order: { id: order.id } });
    });
  });

  describe('replays, without locks: unique keys and ON CONFLICT', () => {
    const line = () => [{ productId: shirt.id, quantity: 1 }];

    it('20 concurrent creates with one Idempotency-Key over two pools make one order, every answer that order', async () => {
      const key = { ...web, idempotencyKey: `key-${randomUUID()}` };
      const body = input(line());
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).create(body, key)));
      expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await count('idempotency_record WHERE key = $1', [key.idempotencyKey])).toBe(1);
      expect(await count("outbox_event WHERE topic = 'order.created' AND aggregate_id = $1", [results[0].order.id])).toBe(1);
    });

    it('20 concurrent creates of one externalId, each with an Idempotency-Key of its own, make one order that every key then names', async () => {
      const externalId = `EXT-${randomUUID()}`;
      const body = input(line(), externalId);
      const keys = Array.from({ length: 20 }, (_, i) => `key-${i}-${randomUUID()}`);
      const results = await Promise.all(keys.map((idempotencyKey, i) => (i % 2 === 0 ? first : second).create(body, { ...web, idempotencyKey })));
      const [orderId] = new Set(results.map((result) => result.order.id));
      expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await count('sales_order WHERE external_id = $1', [externalId])).toBe(1);
      const records = await db.query<{ orderId: string }>('SELECT order_id AS "orderId" FROM idempotency_record WHERE key = ANY($1)', [keys]);
      expect(records).toHaveLength(keys.length);
      expect(records.every((record) => record.orderId === orderId)).toBe(true);
    });

    it('the same externalId sent concurrently without keys makes one order', async () => {
      const externalId = `EXT-${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).create(input(line(), externalId), web)));
      expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it('a key used with another body is a 422, even when that body would not price, and creates nothing', async () => {
      const key = { ...web, idempotencyKey: `key-${randomUUID()}` };
      await first.create(input(line()), key);
      const orders = await count('sales_order');
      await expect(first.create(input([{ productId: shirt.id, quantity: 2 }]), key)).rejects.toBeInstanceOf(UnprocessableError);
      await expect(first.create(input([{ sku: 'NOPE', quantity: 1 }]), key)).rejects.toBeInstanceOf(UnprocessableError);
      expect(await count('sales_order')).toBe(orders);
    });

    it('a known externalId answers its order, remembering a new key for it: that key with another body is then a 422', async () => {
      const externalId = `EXT-${randomUUID()}`;
      const { order } = await first.create(input(line(), externalId), web);
      const retry = { ...web, idempotencyKey: `key-${randomUUID()}` };
      const replay = await first.create(input(line(), externalId), retry);
      expect(replay).toMatchObject({ created: false, order: { id: order.id } });
      await expect(first.create(input(line(), `EXT-${randomUUID()}`), retry)).rejects.toBeInstanceOf(UnprocessableError);
    });

    it('an externalId is unique within its channel only', async () => {
      const other = { id: await insertApiKey((sql, params) => db.query(sql, params), 'shop', 'shop') };
      const externalId = `EXT-${randomUUID()}`;
      const onWeb = await first.create(input(line(), externalId), web);
      const onShop = await first.create(input(line(), externalId), { apiKeyId: other.id, salesChannel: 'shop' });
      expect(onShop.created).toBe(true);
      expect(onShop.order.id).not.toBe(onWeb.order.id);
    });
  });
});
