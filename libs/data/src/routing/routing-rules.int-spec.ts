import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPostgresPool, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertProduct } from '../../../../test/support/fixture-rows';
import { dropDatabases, primaryDatabaseUrl, truncateOrderData } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';
import type { OrderFilter, OrderSort, RoutingGroup } from './routing-config';
import { NewRoutingRule } from './routing-config.service';
import { todayIn } from './today';

/**
 * Each routing filter, sort and unfilled action of the contract (docs/api.md, Routing
 * configuration) through BrokeringService on a real database: the group is configured the way
 * the internal API does it, real orders are brokered, and the rows are checked.
 */

const DAY_MS = 86_400_000;

const servicesOn = dataServicesOn;

interface Point {
  latitude: number;
  longitude: number;
}

// From Brooklyn: Newark about 16 km, Philadelphia about 130 km, Chicago about 1,150 km, Los Angeles about 3,950 km.
const BROOKLYN = { latitude: 40.69, longitude: -73.99 };
const NEWARK = { latitude: 40.73, longitude: -74.17 };
const PHILADELPHIA = { latitude: 39.95, longitude: -75.16 };
const CHICAGO = { latitude: 41.88, longitude: -87.63 };
const LOS_ANGELES = { latitude: 34.05, longitude: -118.24 };

const NEAREST_FIRST = [{ field: 'distance', direction: 'asc' }] as const;
const FARTHEST_FIRST = [{ field: 'distance', direction: 'desc' }] as const;

interface RoutingSpec {
  orderFilters?: OrderFilter[];
  orderSorts?: OrderSort[];
  /** Each rule SINGLE, nearest first, NEXT_RULE unless given. */
  rules: Partial<NewRoutingRule>[];
}

interface OrderOptions {
  salesChannel?: string;
  shippingMethod?: string;
  priority?: number;
  /** YYYY-MM-DD. */
  promiseDate?: string;
  tags?: string[];
  total?: number;
}

/** A line: product, quantity and unit price (1 unless given). */
type Line = [productId: string, quantity: number, unitPrice?: number];

interface ItemRow {
  id: string;
  status: string;
  facilityId: string | null;
  queue: string | null;
  autoCancelAt: Date | null;
}

describe('Routing rules through brokering (real PostgreSQL)', () => {
  const name = `oms_routing_rules_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  let pool: Pool;
  let services: ReturnType<typeof servicesOn>;
  let db: PrimaryDatabase;
  let seededGroupId: string;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'routing-rules-int-spec'));
    pool = createPostgresPool(postgresPoolConfig(url, 'routing-rules-int-spec'));
    services = servicesOn(pool);
    db = services.db;
    // Only one ORDER_APPROVED group may be ACTIVE: the seeded default steps aside for each test's own.
    const seeded = (await services.config.activeGroup('ORDER_APPROVED'))!;
    seededGroupId = seeded.id;
    await services.config.updateGroup(seeded.id, { status: 'PAUSED' });
  });

  afterAll(async () => {
    await pool.end();
    await dropDatabases(url);
  });

  beforeEach(async () => {
    await truncateOrderData(db, 'routing_run', 'facility_group');
    await db.query('DELETE FROM routing_group WHERE id <> $1', [seededGroupId]);
  });

  /** A group configured as the internal API does it; routings and rules in the order given. */
  async function groupOf(trigger: 'ORDER_APPROVED' | 'SCHEDULE', routings: RoutingSpec[]): Promise<RoutingGroup> {
    const { config } = services;
    const cron = trigger === 'SCHEDULE' ? '0 * * * *' : undefined;
    const group = await config.createGroup({ name: `test ${trigger}`, trigger, cron, status: 'ACTIVE' });
    for (const [r, spec] of routings.entries()) {
      const { rules, ...filtersAndSorts } = spec;
      const routing = await config.addRouting(group.id, { name: `routing ${r + 1}`, sequence: (r + 1) * 10, status: 'ACTIVE', ...filtersAndSorts });
      for (const [n, rule] of rules.entries()) {
        await config.addRule(routing.id, {
          name: `rule ${n + 1}`,
          sequence: (n + 1) * 10,
          status: 'ACTIVE',
          assignment: 'SINGLE',
          inventorySorts: [...NEAREST_FIRST],
          ...rule,
        });
      }
    }
    return config.getGroup(group.id);
  }

  /** The ACTIVE ORDER_APPROVED group that brokering routes by. */
  function routeBy(...routings: RoutingSpec[]): Promise<RoutingGroup> {
    return groupOf('ORDER_APPROVED', routings);
  }

  async function facility(at: Point, more: { type?: 'WAREHOUSE' | 'STORE'; maximumOrdersPerDay?: number } = {}): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude, maximum_orders_per_day) VALUES ($1, $1, $2, $3, $4, $5) RETURNING id`,
      [`F-${randomUUID()}`, more.type ?? 'WAREHOUSE', at.latitude, at.longitude, more.maximumOrdersPerDay ?? null],
    );
    return id;
  }

  /** A facility group (tables of migration 1000) with its members at their sequence. */
  async function facilityGroup(code: string, members: [facilityId: string, sequence: number][]): Promise<void> {
    const [{ id }] = await db.query<{ id: string }>(`INSERT INTO facility_group (code, name, type) VALUES ($1, $1, 'BROKERING') RETURNING id`, [
      code,
    ]);
    for (const [facilityId, sequence] of members) {
      await db.query('INSERT INTO facility_group_member (group_id, facility_id, sequence) VALUES ($1, $2, $3)', [id, facilityId, sequence]);
    }
  }

  const product = () => insertProduct(db);

  /** Stock arrives the way the API brings it: a conditional update, a ledger row and an event. */
  async function receive(facilityId: string, productId: string, quantity: number): Promise<void> {
    await services.inventory.adjust({ facilityId, productId, delta: quantity, reason: 'received', actor: 'test' });
  }

  /** A new order, as OrdersService.create leaves it: APPROVED, with CREATED items waiting in BROKERING. */
  async function order(shipTo: Point | null, lines: Line[], options: OrderOptions = {}): Promise<{ id: string; itemIds: string[] }> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, shipping_method, priority, promise_date, tags)
       VALUES ('APPROVED', 'ada@example.com', $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        JSON.stringify({ line1: '1 Main St', city: 'Town', postalCode: '1', country: 'US', ...shipTo }),
        options.total ?? 0,
        options.salesChannel ?? 'web',
        options.shippingMethod ?? 'STANDARD',
        options.priority ?? 5,
        options.promiseDate ?? null,
        options.tags ?? [],
      ],
    );
    const items = await db.query<{ id: string }>(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
       SELECT $1, n, p.id, p.sku, q, l.unit_price, 'CREATED', 'BROKERING'
         FROM unnest($2::uuid[], $3::int[], $4::numeric[]) WITH ORDINALITY AS l(product_id, q, unit_price, n)
         JOIN product p ON p.id = l.product_id ORDER BY n RETURNING id`,
      [id, lines.map(([productId]) => productId), lines.map(([, quantity]) => quantity), lines.map(([, , unitPrice]) => unitPrice ?? 1)],
    );
    return { id, itemIds: items.map((item) => item.id) };
  }

  async function itemsOf(orderId: string): Promise<ItemRow[]> {
    return db.query<ItemRow>(
      `SELECT id, status, facility_id AS "facilityId", queue, auto_cancel_at AS "autoCancelAt"
         FROM order_item WHERE order_id = $1 ORDER BY line_number`,
      [orderId],
    );
  }

  /** Where each item of the order is allocated (null: not allocated). */
  async function facilitiesOf(orderId: string): Promise<(string | null)[]> {
    return (await itemsOf(orderId)).map((item) => (item.status === 'ALLOCATED' ? item.facilityId : null));
  }

  const allocated = (facilityId: string) => ({ status: 'ALLOCATED', facilityId, queue: null, autoCancelAt: null });
  const waiting = (queue: string) => ({ status: 'BACKORDERED', facilityId: null, queue });

  async function orderStatus(id: string): Promise<string> {
    const [row] = await db.query<{ status: string }>('SELECT status FROM sales_order WHERE id = $1', [id]);
    return row.status;
  }

  async function reserved(facilityId: string, productId: string): Promise<number> {
    const [row] = await db.query<{ reserved: number }>(
      'SELECT quantity_reserved AS reserved FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
      [facilityId, productId],
    );
    return row?.reserved ?? 0;
  }

  /** Orders counted today (UTC, the brokering time zone here) per facility that counted any. */
  async function ordersCounted(): Promise<Record<string, number>> {
    const rows = await db.query<{ facilityId: string; orders: number }>(
      `SELECT facility_id AS "facilityId", orders_allocated AS orders FROM facility_order_day WHERE day = $1 AND orders_allocated > 0`,
      [todayIn('UTC')],
    );
    return Object.fromEntries(rows.map((row) => [row.facilityId, row.orders]));
  }

  /** The item entries of the order's history, oldest first. */
  async function itemHistory(orderId: string) {
    return db.query(
      `SELECT item_id AS "itemId", type, facility_id AS "facilityId", reason, routing_group_id AS "groupId", routing_id AS "routingId",
              routing_rule_id AS "ruleId"
         FROM order_history WHERE order_id = $1 AND item_id IS NOT NULL ORDER BY id`,
      [orderId],
    );
  }

  async function runs() {
    return db.query<{
      groupId: string;
      trigger: string;
      finished: boolean;
      ordersConsidered: number;
      itemsAllocated: number;
      itemsUnfilled: number;
      byRule: { ruleId: string; itemsAllocated: number }[];
    }>(
      `SELECT group_id AS "groupId", trigger, finished_at >= started_at AS finished, orders_considered AS "ordersConsidered",
              items_allocated AS "itemsAllocated", items_unfilled AS "itemsUnfilled", by_rule AS "byRule"
         FROM routing_run ORDER BY started_at, id`,
    );
  }

  /** The ids of the group's routings, and of each routing's rules. */
  function idsOf(group: RoutingGroup) {
    return { routings: group.routings.map((routing) => routing.id), rules: group.routings.map((routing) => routing.rules.map((rule) => rule.id)) };
  }

  /** The three facilities most tests choose among, each with `quantity` of the product. */
  async function threeStocked(productId: string, quantity = 5) {
    const [newark, philadelphia, chicago] = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
    for (const facilityId of [newark, philadelphia, chicago]) await receive(facilityId, productId, quantity);
    return { newark, philadelphia, chicago };
  }

  describe('inventory filters change the chosen facility', () => {
    it('facilityGroup keeps only the members of the group', async () => {
      const tee = await product();
      const { newark, philadelphia, chicago } = await threeStocked(tee);
      await facilityGroup('REGIONAL', [
        [chicago, 1],
        [philadelphia, 2],
      ]);
      await routeBy({ rules: [{ inventoryFilters: [{ field: 'facilityGroup', operator: 'in', value: ['REGIONAL'] }] }] });
      const { id } = await order(BROOKLYN, [[tee, 2]]);

      expect(await services.brokering.brokerOrders([id])).toEqual({ brokered: [id], skipped: [] });

      expect(await itemsOf(id)).toMatchObject([allocated(philadelphia)]);
      expect(await orderStatus(id)).toBe('BROKERED');
      expect([await reserved(newark, tee), await reserved(philadelphia, tee), await reserved(chicago, tee)]).toEqual([0, 2, 0]);
      expect(await ordersCounted()).toEqual({ [philadelphia]: 1 });
    });

    it('facilityType keeps only facilities of that type', async () => {
      const tee = await product();
      const [newark, philadelphiaStore, chicagoStore] = [
        await facility(NEWARK),
        await facility(PHILADELPHIA, { type: 'STORE' }),
        await facility(CHICAGO, { type: 'STORE' }),
      ];
      for (const facilityId of [newark, philadelphiaStore, chicagoStore]) await receive(facilityId, tee, 5);
      await routeBy({ rules: [{ inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }] }] });
      const { id } = await order(BROOKLYN, [[tee, 1]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(philadelphiaStore)]);
      expect([await reserved(newark, tee), await reserved(philadelphiaStore, tee)]).toEqual([0, 1]);
    });

    it('distanceKm keeps only facilities within the distance, and none for an order without coordinates', async () => {
      const tee = await product();
      const { newark, philadelphia, chicago } = await threeStocked(tee);
      const losAngeles = await facility(LOS_ANGELES);
      await receive(losAngeles, tee, 5);
      // Farthest first: without the filter Los Angeles would ship.
      await routeBy({
        rules: [{ inventoryFilters: [{ field: 'distanceKm', operator: 'less-equals', value: 1500 }], inventorySorts: [...FARTHEST_FIRST] }],
      });
      const located = await order(BROOKLYN, [[tee, 1]]);
      const unlocated = await order(null, [[tee, 1]]);

      expect(await services.brokering.brokerOrders([located.id, unlocated.id])).toEqual({ brokered: [located.id, unlocated.id], skipped: [] });

      expect(await itemsOf(located.id)).toMatchObject([allocated(chicago)]);
      expect(await itemsOf(unlocated.id)).toMatchObject([waiting('BACKORDER')]);
      expect(await orderStatus(unlocated.id)).toBe('BACKORDERED');
      for (const facilityId of [newark, philadelphia, losAngeles]) expect(await reserved(facilityId, tee)).toBe(0);
      expect(await reserved(chicago, tee)).toBe(1);
    });

    it('brokeringSafetyStock keeps only facilities with at least that brokerable quantity (minimum stock counts against it)', async () => {
      const tee = await product();
      const [newark, philadelphia] = [await facility(NEWARK), await facility(PHILADELPHIA)];
      await receive(newark, tee, 10);
      await receive(philadelphia, tee, 6);
      // Newark has the most on hand, but its minimum stock leaves 3 brokerable: enough for the order, not for the filter.
      await db.query('UPDATE inventory_item SET minimum_stock = 7 WHERE facility_id = $1', [newark]);
      await routeBy({ rules: [{ inventoryFilters: [{ field: 'brokeringSafetyStock', operator: 'greater-equals', value: 5 }] }] });
      const { id } = await order(BROOKLYN, [[tee, 2]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(philadelphia)]);
      expect([await reserved(newark, tee), await reserved(philadelphia, tee)]).toEqual([0, 2]);
    });

    it('ignoreFacilityOrderLimit lets a facility at its daily maximum take the order', async () => {
      const tee = await product();
      const [newark, philadelphia] = [await facility(NEWARK, { maximumOrdersPerDay: 1 }), await facility(PHILADELPHIA)];
      await receive(newark, tee, 10);
      await receive(philadelphia, tee, 10);
      const group = await routeBy(
        {
          orderFilters: [{ field: 'tag', operator: 'equals', value: 'vip' }],
          rules: [{ inventoryFilters: [{ field: 'ignoreFacilityOrderLimit', operator: 'equals', value: true }] }],
        },
        { rules: [{}] },
      );
      const first = await order(BROOKLYN, [[tee, 1]]);
      await services.brokering.brokerOrders([first.id]);
      expect(await facilitiesOf(first.id)).toEqual([newark]);
      expect(await ordersCounted()).toEqual({ [newark]: 1 });

      // Newark is at its maximum: the next order goes elsewhere, unless its rule ignores the limit.
      const plain = await order(BROOKLYN, [[tee, 1]]);
      await services.brokering.brokerOrders([plain.id]);
      const vip = await order(BROOKLYN, [[tee, 1]], { tags: ['vip'] });
      await services.brokering.brokerOrders([vip.id]);

      expect(await facilitiesOf(plain.id)).toEqual([philadelphia]);
      expect(await facilitiesOf(vip.id)).toEqual([newark]);
      expect(await ordersCounted()).toEqual({ [newark]: 2, [philadelphia]: 1 });
      expect(await reserved(newark, tee)).toBe(2);
      expect((await itemHistory(vip.id)).at(-1)).toMatchObject({ type: 'ALLOCATED', routingId: idsOf(group).routings[0] });
    });

    it('shipmentThreshold allocates nothing by the rule when a shipment (or the rest) would be worth less', async () => {
      const [cheap, dear] = [await product(), await product()];
      const [newark, philadelphia, chicago] = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
      await receive(newark, dear, 5);
      await receive(philadelphia, cheap, 5);
      await receive(chicago, cheap, 5);
      await receive(chicago, dear, 5);
      const group = await routeBy({
        rules: [
          {
            assignment: 'MULTI',
            inventoryFilters: [
              { field: 'distanceKm', operator: 'less', value: 500 },
              { field: 'shipmentThreshold', operator: 'greater-equals', value: 10 },
            ],
          },
          {},
        ],
      });
      const [split, whole] = idsOf(group).rules[0];

      // Split nearby, Philadelphia's shipment would be worth 5: the first rule refuses, the second ships it whole from Chicago.
      const small = await order(BROOKLYN, [
        [cheap, 1, 5],
        [dear, 1, 50],
      ]);
      await services.brokering.brokerOrders([small.id]);
      expect(await facilitiesOf(small.id)).toEqual([chicago, chicago]);
      expect((await itemHistory(small.id)).map((entry) => entry.ruleId)).toEqual([whole, whole]);

      // Worth 20 there, the split passes.
      const large = await order(BROOKLYN, [
        [cheap, 1, 20],
        [dear, 1, 50],
      ]);
      await services.brokering.brokerOrders([large.id]);
      expect(await facilitiesOf(large.id)).toEqual([philadelphia, newark]);
      expect((await itemHistory(large.id)).map((entry) => entry.ruleId)).toEqual([split, split]);
      expect([
        await reserved(chicago, cheap),
        await reserved(chicago, dear),
        await reserved(philadelphia, cheap),
        await reserved(newark, dear),
      ]).toEqual([1, 1, 1, 1]);
    });

    it('allItemsAvailable allocates all of the items by the rule or none of them', async () => {
      const [tee, mug] = [await product(), await product()];
      const [newark, chicago] = [await facility(NEWARK), await facility(CHICAGO)];
      await receive(newark, tee, 5);
      await receive(chicago, tee, 5);
      await receive(chicago, mug, 5);
      const group = await routeBy({
        rules: [
          {
            assignment: 'MULTI',
            inventoryFilters: [
              { field: 'distanceKm', operator: 'less', value: 500 },
              { field: 'allItemsAvailable', operator: 'equals', value: true },
            ],
          },
          { assignment: 'MULTI' },
        ],
      });
      const [nearby, anywhere] = idsOf(group).rules[0];

      // Nearby has the tee but not the mug: the first rule takes neither, so the tee does not ship apart from the mug.
      const both = await order(BROOKLYN, [
        [tee, 1],
        [mug, 1],
      ]);
      await services.brokering.brokerOrders([both.id]);
      expect(await facilitiesOf(both.id)).toEqual([chicago, chicago]);
      expect((await itemHistory(both.id)).map((entry) => entry.ruleId)).toEqual([anywhere, anywhere]);
      expect(await reserved(newark, tee)).toBe(0);

      const teeOnly = await order(BROOKLYN, [[tee, 1]]);
      await services.brokering.brokerOrders([teeOnly.id]);
      expect(await facilitiesOf(teeOnly.id)).toEqual([newark]);
      expect((await itemHistory(teeOnly.id)).map((entry) => entry.ruleId)).toEqual([nearby]);
    });
  });

  describe('inventory sorts change the chosen facility', () => {
    it('distance desc ships from the farthest facility', async () => {
      const tee = await product();
      const [newark, philadelphia, chicago] = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
      // The farthest has the least: the tie-break (more brokerable first) would not choose it either.
      await receive(newark, tee, 5);
      await receive(philadelphia, tee, 5);
      await receive(chicago, tee, 2);
      await routeBy({ rules: [{ inventorySorts: [...FARTHEST_FIRST] }] });
      const { id } = await order(BROOKLYN, [[tee, 1]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(chicago)]);
      expect(await reserved(chicago, tee)).toBe(1);
    });

    it('inventoryBalance sorts by the brokerable quantity of the items (asc: the least that still fits)', async () => {
      const tee = await product();
      const [newark, philadelphia, chicago] = [await facility(NEWARK), await facility(PHILADELPHIA), await facility(CHICAGO)];
      await receive(newark, tee, 9);
      await receive(philadelphia, tee, 2);
      await receive(chicago, tee, 5);
      // Neither distance nor the tie-break (more brokerable first) would choose Philadelphia.
      await routeBy({ rules: [{ inventorySorts: [{ field: 'inventoryBalance', direction: 'asc' }] }] });
      const { id } = await order(BROOKLYN, [[tee, 2]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(philadelphia)]);
      expect(await reserved(philadelphia, tee)).toBe(2);
    });

    it('facilitySequence follows the member sequence in the filtered facility group', async () => {
      const tee = await product();
      const { newark, philadelphia, chicago } = await threeStocked(tee);
      await facilityGroup('CHAIN', [
        [chicago, 1],
        [philadelphia, 2],
        [newark, 3],
      ]);
      await routeBy({
        rules: [
          {
            inventoryFilters: [{ field: 'facilityGroup', operator: 'in', value: ['CHAIN'] }],
            inventorySorts: [{ field: 'facilitySequence', direction: 'asc' }],
          },
        ],
      });
      const { id } = await order(BROOKLYN, [[tee, 1]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(chicago)]);
    });
  });

  it('SINGLE backorders an order no one facility can ship where MULTI splits it, counting the order once per facility', async () => {
    const [tee, mug] = [await product(), await product()];
    const [newark, philadelphia] = [await facility(NEWARK), await facility(PHILADELPHIA)];
    await receive(newark, tee, 5);
    await receive(philadelphia, mug, 5);
    await routeBy(
      { orderFilters: [{ field: 'salesChannel', operator: 'equals', value: 'single' }], rules: [{ assignment: 'SINGLE' }] },
      { orderFilters: [{ field: 'salesChannel', operator: 'equals', value: 'multi' }], rules: [{ assignment: 'MULTI' }] },
    );
    const lines: Line[] = [
      [tee, 1],
      [mug, 1],
      [tee, 1],
    ];
    const single = await order(BROOKLYN, lines, { salesChannel: 'single' });
    const multi = await order(BROOKLYN, lines, { salesChannel: 'multi' });

    await services.brokering.brokerOrders([single.id, multi.id]);

    expect(await itemsOf(single.id)).toMatchObject([waiting('BACKORDER'), waiting('BACKORDER'), waiting('BACKORDER')]);
    expect(await orderStatus(single.id)).toBe('BACKORDERED');
    expect(await itemsOf(multi.id)).toMatchObject([allocated(newark), allocated(philadelphia), allocated(newark)]);
    expect(await orderStatus(multi.id)).toBe('BROKERED');
    expect([await reserved(newark, tee), await reserved(philadelphia, mug)]).toEqual([2, 1]);
    expect(await ordersCounted()).toEqual({ [newark]: 1, [philadelphia]: 1 });
  });

  describe('unfilled actions', () => {
    it('NEXT_RULE hands what a rule leaves to the next rule', async () => {
      const tee = await product();
      const [newark, store] = [await facility(NEWARK), await facility(PHILADELPHIA, { type: 'STORE' })];
      await receive(newark, tee, 5);
      const group = await routeBy({
        rules: [{ inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }], unfilledAction: { type: 'NEXT_RULE' } }, {}],
      });
      const { id, itemIds } = await order(BROOKLYN, [[tee, 1]]);

      await services.brokering.brokerOrders([id]);

      expect(await itemsOf(id)).toMatchObject([allocated(newark)]);
      expect(await itemHistory(id)).toEqual([
        expect.objectContaining({ itemId: itemIds[0], type: 'ALLOCATED', facilityId: newark, ruleId: idsOf(group).rules[0][1] }),
      ]);
      expect(await reserved(store, tee)).toBe(0);
    });

    it('MOVE_TO_QUEUE parks what a rule leaves in the queue, runs no further rule, and stock arriving does not route it', async () => {
      const tee = await product();
      const [newark, store] = [await facility(NEWARK), await facility(PHILADELPHIA, { type: 'STORE' })];
      await receive(newark, tee, 5);
      await routeBy({
        rules: [
          {
            inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }],
            unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'MERCHANT' },
          },
          {},
        ],
      });
      const { id, itemIds } = await order(BROOKLYN, [[tee, 1]]);

      expect(await services.brokering.brokerOrders([id])).toEqual({ brokered: [id], skipped: [] });

      expect(await itemsOf(id)).toMatchObject([{ ...waiting('MERCHANT'), autoCancelAt: null }]);
      expect(await orderStatus(id)).toBe('BACKORDERED');
      expect(await reserved(newark, tee)).toBe(0);
      expect(await itemHistory(id)).toEqual([expect.objectContaining({ itemId: itemIds[0], type: 'QUEUED', reason: 'MERCHANT', facilityId: null })]);

      // Stock the first rule would take arrives: only a SCHEDULE group that routes MERCHANT moves the item.
      await receive(store, tee, 5);
      expect(await services.brokering.rebrokerProducts([tee], 10)).toEqual({ brokered: [], skipped: [] });
      expect(await services.brokering.brokerPending(10)).toEqual({ brokered: [], skipped: [] });
      expect(await services.brokering.brokerOrders([id])).toEqual({ brokered: [], skipped: [id] });
      expect(await itemsOf(id)).toMatchObject([waiting('MERCHANT')]);
      expect(await reserved(store, tee)).toBe(0);
    });

    it('AUTO_CANCEL_DAYS parks what a rule leaves in UNFILLABLE, to be cancelled that many days from now', async () => {
      const tee = await product();
      const newark = await facility(NEWARK);
      await routeBy({ rules: [{ unfilledAction: { type: 'AUTO_CANCEL_DAYS', days: 3 } }] });
      const { id, itemIds } = await order(BROOKLYN, [[tee, 1]]);

      const before = Date.now();
      await services.brokering.brokerOrders([id]);
      const after = Date.now();

      const [item] = await itemsOf(id);
      expect(item).toMatchObject(waiting('UNFILLABLE'));
      expect(item.autoCancelAt!.getTime()).toBeGreaterThanOrEqual(before + 3 * DAY_MS);
      expect(item.autoCancelAt!.getTime()).toBeLessThanOrEqual(after + 3 * DAY_MS);
      expect(await orderStatus(id)).toBe('BACKORDERED');
      expect(await itemHistory(id)).toEqual([expect.objectContaining({ itemId: itemIds[0], type: 'QUEUED', reason: 'UNFILLABLE' })]);

      // UNFILLABLE is not a queue that stock arriving routes.
      await receive(newark, tee, 5);
      expect(await services.brokering.rebrokerProducts([tee], 10)).toEqual({ brokered: [], skipped: [] });
      expect(await itemsOf(id)).toEqual([item]);
    });
  });

  describe('order filters and sorts', () => {
    it('salesChannel sends the orders of one channel to another routing', async () => {
      const tee = await product();
      const { newark, chicago } = await threeStocked(tee);
      const group = await routeBy(
        { orderFilters: [{ field: 'salesChannel', operator: 'equals', value: 'wholesale' }], rules: [{ inventorySorts: [...FARTHEST_FIRST] }] },
        { rules: [{}] },
      );
      const { routings, rules } = idsOf(group);
      const wholesale = await order(BROOKLYN, [[tee, 1]], { salesChannel: 'wholesale' });
      const web = await order(BROOKLYN, [[tee, 1]], { salesChannel: 'web' });

      await services.brokering.brokerOrders([wholesale.id, web.id]);

      expect(await facilitiesOf(wholesale.id)).toEqual([chicago]);
      expect(await facilitiesOf(web.id)).toEqual([newark]);
      expect(await itemHistory(wholesale.id)).toMatchObject([{ type: 'ALLOCATED', routingId: routings[0], ruleId: rules[0][0] }]);
      expect(await itemHistory(web.id)).toMatchObject([{ type: 'ALLOCATED', routingId: routings[1], ruleId: rules[1][0] }]);
    });

    const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

    it.each<[string, OrderFilter, OrderOptions, OrderOptions]>([
      ['tag', { field: 'tag', operator: 'in', value: ['vip', 'gold'] }, { tags: ['new', 'gold'] }, { tags: ['new'] }],
      ['priority', { field: 'priority', operator: 'greater-equals', value: 8 }, { priority: 8 }, { priority: 7 }],
      [
        'shippingMethod',
        { field: 'shippingMethod', operator: 'equals', value: 'EXPRESS' },
        { shippingMethod: 'EXPRESS' },
        { shippingMethod: 'STANDARD' },
      ],
      ['orderTotal', { field: 'orderTotal', operator: 'greater', value: 100 }, { total: 100.5 }, { total: 100 }],
      [
        'promiseDaysCutoff',
        { field: 'promiseDaysCutoff', operator: 'less-equals', value: 2 },
        { promiseDate: inDays(1) },
        { promiseDate: inDays(10) },
      ],
    ])('%s sends the orders that match to another routing', async (_field, filter, matching, other) => {
      const tee = await product();
      const { newark, chicago } = await threeStocked(tee);
      await routeBy({ orderFilters: [filter], rules: [{ inventorySorts: [...FARTHEST_FIRST] }] }, { rules: [{}] });
      const [matches, missing] = [await order(BROOKLYN, [[tee, 1]], matching), await order(BROOKLYN, [[tee, 1]], other)];

      await services.brokering.brokerOrders([matches.id, missing.id]);

      expect(await facilitiesOf(matches.id)).toEqual([chicago]);
      expect(await facilitiesOf(missing.id)).toEqual([newark]);
    });

    it('priority desc gives the last unit contested within one batch to the higher-priority order', async () => {
      const tee = await product();
      const newark = await facility(NEWARK);
      await receive(newark, tee, 1);
      await routeBy({ orderSorts: [{ field: 'priority', direction: 'desc' }], rules: [{}] });
      const older = await order(BROOKLYN, [[tee, 1]], { priority: 2 });
      const urgent = await order(BROOKLYN, [[tee, 1]], { priority: 9 });

      expect(await services.brokering.brokerOrders([older.id, urgent.id])).toEqual({ brokered: [older.id, urgent.id], skipped: [] });

      expect(await itemsOf(urgent.id)).toMatchObject([allocated(newark)]);
      expect(await itemsOf(older.id)).toMatchObject([waiting('BACKORDER')]);
      expect(await reserved(newark, tee)).toBe(1);
    });
  });

  it('names the group, routing and rule of every allocation in the history', async () => {
    const [tee, mug] = [await product(), await product()];
    const [newark, store] = [await facility(NEWARK), await facility(PHILADELPHIA, { type: 'STORE' })];
    await receive(store, tee, 5);
    await receive(newark, mug, 5);
    const group = await routeBy({
      rules: [{ assignment: 'MULTI', inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }] }, {}],
    });
    const { routings, rules } = idsOf(group);
    const { id, itemIds } = await order(BROOKLYN, [
      [tee, 1],
      [mug, 1],
    ]);

    await services.brokering.brokerOrders([id]);

    expect(await itemHistory(id)).toEqual([
      { itemId: itemIds[0], type: 'ALLOCATED', facilityId: store, reason: null, groupId: group.id, routingId: routings[0], ruleId: rules[0][0] },
      { itemId: itemIds[1], type: 'ALLOCATED', facilityId: newark, reason: null, groupId: group.id, routingId: routings[0], ruleId: rules[0][1] },
    ]);
  });

  it('records a routing run with trigger EVENT that counts the batch', async () => {
    const [tee, mug] = [await product(), await product()];
    const [newark, store] = [await facility(NEWARK), await facility(PHILADELPHIA, { type: 'STORE' })];
    await receive(store, tee, 1);
    await receive(newark, mug, 5);
    const group = await routeBy({
      rules: [{ assignment: 'MULTI', inventoryFilters: [{ field: 'facilityType', operator: 'equals', value: 'STORE' }] }, {}],
    });
    const [storeRule, anyRule] = idsOf(group).rules[0];
    const orders = [
      await order(BROOKLYN, [
        [tee, 1],
        [mug, 1],
      ]),
      await order(BROOKLYN, [[tee, 1]]),
      await order(BROOKLYN, [[mug, 2]]),
    ];

    await services.brokering.brokerOrders(orders.map((o) => o.id));

    const [run, ...others] = await runs();
    expect(others).toEqual([]);
    expect(run).toMatchObject({ groupId: group.id, trigger: 'EVENT', finished: true, ordersConsidered: 3, itemsAllocated: 3, itemsUnfilled: 1 });
    expect(run.byRule).toHaveLength(2);
    expect(run.byRule).toEqual(
      expect.arrayContaining([
        { ruleId: storeRule, itemsAllocated: 1 },
        { ruleId: anyRule, itemsAllocated: 2 },
      ]),
    );
  });

  it('runGroup of a SCHEDULE group routes only the items in the queue its routing filters on, in batches, and records one run', async () => {
    const tee = await product();
    const newark = await facility(NEWARK);
    await routeBy(
      {
        orderFilters: [{ field: 'tag', operator: 'equals', value: 'merchant' }],
        rules: [{ unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'MERCHANT' } }],
      },
      {
        orderFilters: [{ field: 'tag', operator: 'equals', value: 'other' }],
        rules: [{ unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'OTHER' } }],
      },
      { rules: [{}] },
    );
    const merchant = [await order(BROOKLYN, [[tee, 1]], { tags: ['merchant'] }), await order(BROOKLYN, [[tee, 1]], { tags: ['merchant'] })];
    const other = await order(BROOKLYN, [[tee, 1]], { tags: ['other'] });
    const backordered = await order(BROOKLYN, [[tee, 1]]);
    await services.brokering.brokerOrders([...merchant, other, backordered].map((o) => o.id));
    expect(await itemsOf(other.id)).toMatchObject([waiting('OTHER')]);
    expect(await itemsOf(backordered.id)).toMatchObject([waiting('BACKORDER')]);
    await db.query('TRUNCATE routing_run');

    await receive(newark, tee, 10);
    const schedule = await groupOf('SCHEDULE', [{ orderFilters: [{ field: 'queue', operator: 'equals', value: 'MERCHANT' }], rules: [{}] }]);
    const { routings, rules } = idsOf(schedule);

    const stats = await services.brokering.runGroup(schedule.id, 1);

    expect(stats).toEqual({ ordersConsidered: 2, itemsAllocated: 2, itemsUnfilled: 0, byRule: [{ ruleId: rules[0][0], itemsAllocated: 2 }] });
    for (const { id } of merchant) {
      expect(await itemsOf(id)).toMatchObject([allocated(newark)]);
      expect((await itemHistory(id)).at(-1)).toMatchObject({ type: 'ALLOCATED', groupId: schedule.id, routingId: routings[0], ruleId: rules[0][0] });
    }
    expect(await itemsOf(other.id)).toMatchObject([waiting('OTHER')]);
    expect(await itemsOf(backordered.id)).toMatchObject([waiting('BACKORDER')]);
    expect(await reserved(newark, tee)).toBe(2);
    expect(await runs()).toEqual([
      {
        groupId: schedule.id,
        trigger: 'SCHEDULE',
        finished: true,
        ordersConsidered: 2,
        itemsAllocated: 2,
        itemsUnfilled: 0,
        byRule: [{ ruleId: rules[0][0], itemsAllocated: 2 }],
      },
    ]);
  });
});
