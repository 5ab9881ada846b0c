import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { createPostgresPool, InvalidInputError, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn, NO_CACHE } from '../../../../test/support/data-services';
import { insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants, RECOMPUTED_AVAILABILITY } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { ChannelsRepository } from '../channels/channels.repository';
import { ChannelsService } from '../channels/channels.service';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { AvailabilityRepository } from './availability.repository';
import { AvailabilityChange, AvailabilityService } from './availability.service';
import { FeedReaders } from './feed-readers';

const WRITERS = 8;
const CHANGES = 2000;
/** Products every writer adds to (racing for them) and products each writer has alone. */
const SHARED_PRODUCTS = 4;
const OWN_PRODUCTS_PER_WRITER = 2;
/** The services are called directly: no worker relays the outbox. */
const SERVICES_ONLY = { withoutWorkers: true };

/**
 * Channel availability and its change feed on real PostgreSQL: the value follows stock, waiting
 * items and the channel's scope at each commit, and the feed, written by 8 processes at once,
 * gives every change once, in commit order, from any cursor with any page size.
 */
describe('AvailabilityService and the change feed (real PostgreSQL)', () => {
  const name = `oms_availability_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let writers: ReturnType<typeof dataServicesOn>[];
  let api: ReturnType<typeof dataServicesOn>;
  let channels: ChannelsService;
  let availability: AvailabilityService;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'availability-int-spec'));
    for (let n = 0; n < WRITERS; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'availability-int-spec')));
    writers = pools.map((pool) => dataServicesOn(pool));
    api = writers[0];
    channels = new ChannelsService(api.db, new ChannelsRepository(), NO_CACHE);
    availability = new AvailabilityService(api.db, new AvailabilityRepository(), new ChannelsRepository(), new FeedReaders());
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  async function facility(type: 'STORE' | 'WAREHOUSE', latitude: number): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, $2, $3, -74.0) RETURNING id`,
      [`F-${randomUUID()}`, type, latitude],
    );
    return id;
  }

  async function group(facilityIds: string[]): Promise<string> {
    const code = `G-${randomUUID().slice(0, 8)}`;
    const [{ id }] = await api.db.query<{ id: string }>(`INSERT INTO facility_group (code, name, type) VALUES ($1, $1, 'CHANNEL') RETURNING id`, [
      code,
    ]);
    for (const [sequence, facilityId] of facilityIds.entries()) {
      await api.db.query('INSERT INTO facility_group_member (group_id, facility_id, sequence) VALUES ($1, $2, $3)', [id, facilityId, sequence]);
    }
    return code;
  }

  const channelCode = () => `C-${randomUUID().slice(0, 8)}`;
  const receive = (facilityId: string, productId: string, delta: number, services = api) =>
    services.inventory.adjust({ facilityId, productId, delta, reason: 'received', actor: 'test' });
  const availableOn = async (channel: string, productId: string) => (await availability.ofProduct(channel, productId)).available;

  async function recomputed(channel: string, productId: string): Promise<number> {
    const [row] = await api.db.query<{ available: number }>(
      `SELECT available FROM (${RECOMPUTED_AVAILABILITY}) r WHERE channel = $1 AND product_id = $2`,
      [channel, productId],
    );
    return row.available;
  }

  /** The whole feed of the channel from `cursor`, page by page. */
  async function readFeed(channel: string, limit: number, cursor?: string): Promise<{ items: AvailabilityChange[]; cursors: string[] }> {
    const items: AvailabilityChange[] = [];
    const cursors: string[] = [];
    for (;;) {
      const page = await availability.changes(channel, { cursor, limit });
      items.push(...page.items);
      cursors.push(page.nextCursor);
      if (page.items.length < limit) return { items, cursors };
      cursor = page.nextCursor;
    }
  }

  async function approvedOrder(productId: string, quantity: number): Promise<{ orderId: string; itemId: string }> {
    const [{ id: orderId }] = await api.db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel) VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify({ line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 })],
    );
    const [{ id: itemId }] = await api.db.query<{ id: string }>(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
       SELECT $1, 1, id, sku, $3, 1, 'CREATED', 'BROKERING' FROM product WHERE id = $2 RETURNING id`,
      [orderId, productId, quantity],
    );
    return { orderId, itemId };
  }

  describe('a channel limited to two stores with a threshold of 2', () => {
    let east: string;
    let west: string;
    let warehouse: string;
    let productId: string;
    let web: string;
    let everywhere: string;

    beforeAll(async () => {
      [east, west, warehouse] = await Promise.all([facility('STORE', 40.7), facility('STORE', 40.8), facility('WAREHOUSE', 41.5)]);
      productId = await insertProduct(api.db);
      await receive(east, productId, 5);
      await receive(west, productId, 4);
      await receive(warehouse, productId, 10);
      web = channelCode();
      everywhere = channelCode();
      await channels.create({ code: web, name: 'Web', type: 'API', facilityGroup: await group([east, west]) });
      await channels.setThreshold(web, 2);
      await channels.create({ code: everywhere, name: 'Everywhere', type: 'API' });
    });

    it("shows the stores' brokerable sum minus 2, and every facility's without a group", async () => {
      expect(await availableOn(web, productId)).toBe(5 + 4 - 2);
      expect(await availableOn(everywhere, productId)).toBe(5 + 4 + 10);
    });

    it('follows receipts, minimum stock and facilities that stop brokering, at the commit', async () => {
      await receive(east, productId, 3);
      expect(await availableOn(web, productId)).toBe(8 + 4 - 2);
      await api.inventory.setOnHand({ facilityId: west, productId, minimumStock: 1, reason: 'safety stock', actor: 'test' });
      expect(await availableOn(web, productId)).toBe(8 + 3 - 2);
      await api.db.query('UPDATE facility SET allow_brokering = false WHERE id = $1', [west]);
      expect(await availableOn(web, productId)).toBe(8 - 2);
      await api.db.query('UPDATE facility SET allow_brokering = true WHERE id = $1', [west]);
      expect(await availableOn(web, productId)).toBe(8 + 3 - 2);
      expect(await availableOn(everywhere, productId)).toBe(8 + 3 + 10);
    });

    it('subtracts units waiting in the queues, and follows allocations and rejections', async () => {
      const before = await availableOn(web, productId);
      const { orderId, itemId } = await approvedOrder(productId, 3);
      expect(await availableOn(web, productId)).toBe(before - 3);
      expect(await availableOn(everywhere, productId)).toBe(8 + 3 + 10 - 3);

      await api.brokering.brokerOrders([orderId]);
      expect(await availableOn(web, productId)).toBe(await recomputed(web, productId));
      expect(await availableOn(everywhere, productId)).toBe(8 + 3 + 10 - 3);

      await api.rejections.reject({ orderId, itemId, reason: 'NOT_IN_STOCK' }, 'test');
      expect(await availableOn(web, productId)).toBe(await recomputed(web, productId));
      expect(await availableOn(everywhere, productId)).toBe(await recomputed(everywhere, productId));
      await assertInvariants(url, SERVICES_ONLY);
    });

    it("follows the group's members, the threshold and the group, and never goes below 0", async () => {
      const before = await availableOn(web, productId);
      const [{ groupId }] = await api.db.query<{ groupId: string }>('SELECT facility_group_id AS "groupId" FROM sales_channel WHERE code = $1', [
        web,
      ]);
      await api.db.query('INSERT INTO facility_group_member (group_id, facility_id, sequence) VALUES ($1, $2, 3)', [groupId, warehouse]);
      expect(await availableOn(web, productId)).toBe(await recomputed(web, productId));
      expect(await availableOn(web, productId)).toBeGreaterThan(before);
      await api.db.query('DELETE FROM facility_group_member WHERE group_id = $1 AND facility_id = $2', [groupId, warehouse]);
      expect(await availableOn(web, productId)).toBe(before);
      await channels.setThreshold(web, 1000);
      expect(await availableOn(web, productId)).toBe(0);
      await channels.setThreshold(web, 0);
      await channels.update(web, { facilityGroup: null });
      expect(await availableOn(web, productId)).toBe(await availableOn(everywhere, productId));
      await assertInvariants(url, SERVICES_ONLY);
    });

    it('writes an availability.changed outbox event with each change', async () => {
      const [event] = await api.db.query<{ payload: Record<string, unknown>; aggregateId: string }>(
        `SELECT payload, aggregate_id AS "aggregateId" FROM outbox_event WHERE topic = 'availability.changed' AND payload->>'channel' = $1 ORDER BY id DESC LIMIT 1`,
        [web],
      );
      expect(event).toEqual({
        aggregateId: productId,
        payload: { channel: web, productId, sku: expect.any(String), available: await availableOn(web, productId), at: expect.stringMatching(/Z$/) },
      });
    });

    it('finds products by SKU, and refuses unknown channels and products', async () => {
      const [{ sku }] = await api.db.query<{ sku: string }>('SELECT sku FROM product WHERE id = $1', [productId]);
      expect(await availability.productIdOf({ sku })).toBe(productId);
      await expect(availability.productIdOf({ sku: 'NO-SUCH-SKU' })).rejects.toThrow(NotFoundError);
      await expect(availability.ofProduct('NO-SUCH-CHANNEL', productId)).rejects.toThrow(NotFoundError);
      await expect(availability.ofProduct(web, randomUUID())).rejects.toThrow(NotFoundError);
      await expect(availability.ofProduct(web, productId, { channels: ['other'], facilities: null })).rejects.toThrow(NotFoundError);
      await expect(availability.changes(web, { cursor: 'garbage', limit: 10 })).rejects.toThrow(InvalidInputError);
    });
  });

  describe(`${WRITERS} writers making ${CHANGES} changes at once`, () => {
    let channel: string;
    let warehouse: string;
    let shared: string[];
    let own: string[][];
    let start: string;

    beforeAll(async () => {
      channel = channelCode();
      await channels.create({ code: channel, name: 'Race', type: 'API' });
      warehouse = await facility('WAREHOUSE', 42);
      shared = await Promise.all(Array.from({ length: SHARED_PRODUCTS }, () => insertProduct(api.db)));
      own = await Promise.all(writers.map(() => Promise.all(Array.from({ length: OWN_PRODUCTS_PER_WRITER }, () => insertProduct(api.db)))));
      start = (await readFeed(channel, 200)).cursors.at(-1)!;
      // Each change receives one unit: a product's availability counts its commits, so its values in feed order must be 1, 2, 3, ...
      await Promise.all(
        writers.map(async (services, writer) => {
          for (let n = 0; n < CHANGES / WRITERS; n += 1) {
            const productId = n % 2 === 0 ? shared[(writer + n) % SHARED_PRODUCTS] : own[writer][Math.floor(n / 2) % OWN_PRODUCTS_PER_WRITER];
            await receive(warehouse, productId, 1, services);
          }
        }),
      );
    }, 120_000);

    it('gives each change once, in commit order, with any page size', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 200 }), async (limit) => {
          const { items } = await readFeed(channel, limit, start);
          expect(items).toHaveLength(CHANGES);
          const valuesOf = (productId: string) => items.filter((item) => item.productId === productId).map((item) => item.available);
          for (const productId of [...shared, ...own.flat()]) {
            const values = valuesOf(productId);
            expect(values).toEqual(values.map((_, index) => index + 1));
            expect(values.at(-1)).toBe(await recomputed(channel, productId));
          }
          const times = items.map((item) => item.at.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
        }),
        { numRuns: 6, examples: [[1], [200], [7]] },
      );
    }, 120_000);

    it('resumes from a cursor mid-way with the rest, and stays at the end with nothing new', async () => {
      const whole = await readFeed(channel, 50, start);
      const { items, cursors } = await readFeed(channel, 50, whole.cursors[12]);
      expect(items).toEqual(whole.items.slice(13 * 50));
      const end = cursors.at(-1)!;
      expect(await availability.changes(channel, { cursor: end, limit: 50 })).toEqual({ items: [], nextCursor: end });
    });

    it('snapshots every product with the feed position it corresponds to', async () => {
      await availability.takeSnapshots();
      await receive(warehouse, shared[0], 1);
      const items = [];
      let cursor: string | undefined;
      let page;
      do {
        page = await availability.snapshot(channel, { cursor, limit: 3 });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const expected = await api.db.query<{ productId: string; available: number }>(
        `SELECT product_id AS "productId", available FROM (${RECOMPUTED_AVAILABILITY}) r WHERE channel = $1 ORDER BY product_id`,
        [channel],
      );
      const atSnapshot = expected.map((row) => (row.productId === shared[0] ? { ...row, available: row.available - 1 } : row));
      expect(items.map(({ productId, available }) => ({ productId, available }))).toEqual(atSnapshot);
      // Following the feed from the snapshot's position brings it up to date.
      const after = await readFeed(channel, 50, page.feedCursor);
      expect(after.items).toEqual([
        expect.objectContaining({ productId: shared[0], available: atSnapshot.find((row) => row.productId === shared[0])!.available + 1 }),
      ]);
      await assertInvariants(url, SERVICES_ONLY);
    });

    it('keeps the newest snapshots only, and measures how far readers are behind', async () => {
      for (let n = 0; n < 4; n += 1) await availability.takeSnapshots();
      const [{ kept }] = await api.db.query<{ kept: number }>('SELECT count(*)::int AS kept FROM availability_snapshot WHERE channel_code = $1', [
        channel,
      ]);
      expect(kept).toBe(3);
      expect((await availability.feedLagSeconds()).get(channel)).toBe(0);
      await receive(warehouse, shared[1], 1);
      expect((await availability.feedLagSeconds(new Date(Date.now() + 5000))).get(channel)).toBeGreaterThanOrEqual(4);
    });
  });
});
