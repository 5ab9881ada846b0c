import { Client } from 'pg';
import { findViolations } from './invariants';
import { createTestDatabases, TestDatabases } from './test-databases';

/**
 * The invariant checker the drills end with can fail: each corruption below breaks a promise of
 * docs/architecture.md in a consistent database, and the checker names exactly the invariants broken.
 * Every corruption runs in a transaction that is rolled back, so each starts from the same state.
 */
describe('invariant checker (test/support/invariants.ts)', () => {
  let databases: TestDatabases;
  let client: Client;
  const ids = {
    product: '00000000-0000-4000-8000-000000000001',
    facility: '00000000-0000-4000-8000-000000000002',
    brokered: '00000000-0000-4000-8000-000000000003',
    cancelled: '00000000-0000-4000-8000-000000000004',
    newOrder: '00000000-0000-4000-8000-000000000005',
    otherFacility: '00000000-0000-4000-8000-000000000006',
    parked: '00000000-0000-4000-8000-000000000007',
    transfer: '00000000-0000-4000-8000-000000000008',
  };

  const insertOrder = (id: string, status: string) =>
    client.query(
      `INSERT INTO sales_order (id, status, customer_email, shipping_address, total, sales_channel)
       VALUES ($1, $2, 'c@example.com', '{"latitude": 40.7, "longitude": -74}', 2, 'test')`,
      [id, status],
    );
  /** Items not yet allocated wait in the queue brokering gives them. */
  const insertItem = (orderId: string, status: string, facilityId: string | null) =>
    client.query(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, facility_id, queue)
       VALUES ($1, 1, $2, 'SKU-1', 2, 1, $3, $4, CASE $3::text WHEN 'CREATED' THEN 'BROKERING' WHEN 'BACKORDERED' THEN 'BACKORDER' END)`,
      [orderId, ids.product, status, facilityId],
    );
  const ledger = (onHand: number, reserved: number, orderId: string | null) =>
    client.query(
      `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, order_id)
       VALUES ($1, $2, $3, $4, 'test', 'system', $5)`,
      [ids.facility, ids.product, onHand, reserved, orderId],
    );
  /** A transfer order of 2 units from the facility to the other one, with its ledger rows at the facility (the inventory row follows them). */
  const insertTransfer = async (status: 'CREATED' | 'SHIPPED' | 'CANCELLED', ledgerRows: [onHand: number, reserved: number][]) => {
    await client.query(
      `INSERT INTO transfer_order (id, from_facility_id, to_facility_id, status, created_by, shipped_at, cancelled_at)
       VALUES ($1, $2, $3, $4::text, 'test', CASE WHEN $4::text = 'SHIPPED' THEN now() END, CASE WHEN $4::text = 'CANCELLED' THEN now() END)`,
      [ids.transfer, ids.facility, ids.otherFacility, status],
    );
    await client.query('INSERT INTO transfer_order_item (transfer_order_id, product_id, quantity) VALUES ($1, $2, 2)', [ids.transfer, ids.product]);
    for (const [onHand, reserved] of ledgerRows) {
      await client.query(
        `INSERT INTO inventory_ledger (facility_id, product_id, on_hand_delta, reserved_delta, reason, actor, transfer_order_id)
         VALUES ($1, $2, $3, $4, 'test', 'system', $5)`,
        [ids.facility, ids.product, onHand, reserved, ids.transfer],
      );
      await client.query(
        'UPDATE inventory_item SET quantity_on_hand = quantity_on_hand + $3, quantity_reserved = quantity_reserved + $4 WHERE facility_id = $1 AND product_id = $2',
        [ids.facility, ids.product, onHand, reserved],
      );
    }
  };

  beforeAll(async () => {
    databases = await createTestDatabases('invariants');
    client = new Client({ connectionString: databases.databaseUrl });
    await client.connect();
    // 10 on hand; a brokered order holds 2 of them; a cancelled order reserved 2 and released them.
    await client.query(`INSERT INTO product (id, sku, name, price) VALUES ($1, 'SKU-1', 'P', 1)`, [ids.product]);
    await client.query(`INSERT INTO facility (id, code, name, type, latitude, longitude) VALUES ($1, 'F', 'F', 'WAREHOUSE', 40, -74)`, [
      ids.facility,
    ]);
    await client.query('INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand, quantity_reserved) VALUES ($1, $2, 10, 2)', [
      ids.facility,
      ids.product,
    ]);
    await ledger(10, 0, null);
    await insertOrder(ids.brokered, 'BROKERED');
    await insertItem(ids.brokered, 'ALLOCATED', ids.facility);
    await ledger(0, 2, ids.brokered);
    await insertOrder(ids.cancelled, 'CANCELLED');
    await insertItem(ids.cancelled, 'CANCELLED', null);
    await ledger(0, 2, ids.cancelled);
    await ledger(0, -2, ids.cancelled);
    await client.query(`INSERT INTO outbox_event (topic, aggregate_id, payload, published_at) VALUES ('order.created', $1, '{}', now())`, [
      ids.brokered,
    ]);
    // Routing: the brokered item was rejected by another facility before the seeded default rule allocated it here, the
    // facility took one order today of its one a day, and an order waits with one item in a merchant's queue and one
    // unfillable until it is cancelled.
    await client.query(
      `INSERT INTO facility (id, code, name, type, latitude, longitude, maximum_orders_per_day) VALUES ($1, 'G', 'G', 'STORE', 41, -74, 1)`,
      [ids.otherFacility],
    );
    await client.query(
      `INSERT INTO order_item_rejection (item_id, facility_id, reason) SELECT id, $2, 'DAMAGED' FROM order_item WHERE order_id = $1`,
      [ids.brokered, ids.otherFacility],
    );
    await client.query(
      `INSERT INTO order_history (order_id, item_id, type, facility_id, routing_group_id, routing_id, routing_rule_id)
       SELECT i.order_id, i.id, 'ALLOCATED', i.facility_id, g.id, r.id, rr.id
         FROM order_item i, routing_group g JOIN routing r ON r.group_id = g.id JOIN routing_rule rr ON rr.routing_id = r.id
        WHERE i.order_id = $1 AND rr.sequence = 10`,
      [ids.brokered],
    );
    await client.query(`UPDATE facility SET maximum_orders_per_day = 1 WHERE id = $1`, [ids.facility]);
    await client.query(`INSERT INTO facility_order_day (facility_id, day, orders_allocated) VALUES ($1, current_date, 1)`, [ids.facility]);
    await insertOrder(ids.parked, 'BACKORDERED');
    await client.query(
      `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue, auto_cancel_at)
       VALUES ($1, 1, $2, 'SKU-1', 1, 1, 'BACKORDERED', 'HOLD', NULL), ($1, 2, $2, 'SKU-1', 1, 1, 'BACKORDERED', 'UNFILLABLE', now() + interval '3 days')`,
      [ids.parked, ids.product],
    );
  });

  afterAll(async () => {
    await client?.end();
    await databases?.drop();
  });

  const brokenBy = async (corrupt: () => Promise<unknown>): Promise<string[]> => {
    await client.query('BEGIN');
    try {
      await corrupt();
      return (await findViolations(client)).map((violation) => violation.invariant);
    } finally {
      await client.query('ROLLBACK');
    }
  };

  it('finds nothing to report in a consistent database', async () => {
    expect(await findViolations(client)).toEqual([]);
  });

  it.each<[string, () => Promise<unknown>, string[]]>([
    [
      'oversell: on hand below reserved (with the CHECK that forbids it dropped)',
      async () => {
        await client.query('ALTER TABLE inventory_item DROP CONSTRAINT inventory_reserved_within_on_hand');
        await client.query('UPDATE inventory_item SET quantity_on_hand = 1');
        await ledger(-9, 0, null);
      },
      ['no oversell'],
    ],
    [
      'a balance changed without its ledger row',
      () => client.query('UPDATE inventory_item SET quantity_on_hand = 11'),
      ['inventory equals its ledger'],
    ],
    [
      'an item reserved twice',
      async () => {
        await client.query('UPDATE inventory_item SET quantity_reserved = 4');
        await ledger(0, 2, ids.brokered);
      },
      ['reserved equals allocated', 'no orphaned or double reservation'],
    ],
    [
      "a cancelled order's reservation never released",
      async () => {
        await client.query('UPDATE inventory_item SET quantity_reserved = 4');
        await client.query('DELETE FROM inventory_ledger WHERE order_id = $1 AND reserved_delta < 0', [ids.cancelled]);
      },
      ['reserved equals allocated', 'no orphaned or double reservation'],
    ],
    [
      "a reservation booked to another order than the item's",
      () => client.query('UPDATE inventory_ledger SET order_id = $1 WHERE order_id = $2', [ids.cancelled, ids.brokered]),
      ['no orphaned or double reservation'],
    ],
    [
      'an order never brokered',
      async () => {
        await insertOrder(ids.newOrder, 'APPROVED');
        await insertItem(ids.newOrder, 'CREATED', null);
      },
      ['every order accounted for'],
    ],
    [
      'an order never approved',
      async () => {
        await insertOrder(ids.newOrder, 'CREATED');
        await insertItem(ids.newOrder, 'CREATED', null);
      },
      ['every order accounted for'],
    ],
    [
      'an item waiting in no queue',
      async () => {
        await insertOrder(ids.newOrder, 'BACKORDERED');
        await insertItem(ids.newOrder, 'BACKORDERED', null);
        await client.query('UPDATE order_item SET queue = NULL WHERE order_id = $1', [ids.newOrder]);
      },
      ['waiting items are queued'],
    ],
    [
      'a new item waiting in another queue than BROKERING',
      async () => {
        await insertOrder(ids.newOrder, 'APPROVED');
        await insertItem(ids.newOrder, 'CREATED', null);
        await client.query(`UPDATE order_item SET queue = 'BACKORDER' WHERE order_id = $1`, [ids.newOrder]);
      },
      ['every order accounted for', 'waiting items are queued'],
    ],
    [
      'an auto-cancel time on an item waiting elsewhere than UNFILLABLE',
      () => client.query(`UPDATE order_item SET auto_cancel_at = now() WHERE order_id = $1 AND queue = 'HOLD'`, [ids.parked]),
      ['auto-cancel only while unfillable'],
    ],
    [
      'an auto-cancel time left on an allocated item',
      () => client.query(`UPDATE order_item SET auto_cancel_at = now() WHERE order_id = $1`, [ids.brokered]),
      ['auto-cancel only while unfillable'],
    ],
    [
      'an item allocated at a facility that rejected it',
      () => client.query(`UPDATE order_item_rejection SET facility_id = $1`, [ids.facility]),
      ['a rejecting facility is never chosen again'],
    ],
    [
      'an allocation whose history names no rule',
      () => client.query(`UPDATE order_history SET routing_rule_id = NULL WHERE type = 'ALLOCATED'`),
      ['every allocation names its rule'],
    ],
    ['a facility past its maximum orders of the day', () => client.query('UPDATE facility_order_day SET orders_allocated = 2'), ['capacity holds']],
    [
      'nothing, for a facility past its maximum when a rule ignores the limit',
      async () => {
        await client.query('UPDATE facility_order_day SET orders_allocated = 2');
        await client.query(`UPDATE routing_rule SET inventory_filters = '[{"field": "ignoreFacilityOrderLimit", "operator": "equals", "value": true}]'
                             WHERE sequence = 20`);
      },
      [],
    ],
    ['an order without items', () => insertOrder(ids.newOrder, 'BROKERED'), ['every order accounted for']],
    [
      'an order cancelled with its item still allocated',
      () => client.query(`UPDATE sales_order SET status = 'CANCELLED' WHERE id = $1`, [ids.brokered]),
      ['order status agrees with its items'],
    ],
    [
      'an order held with its item still allocated',
      () => client.query(`UPDATE sales_order SET status = 'HELD', hold_reason = 'OTHER', held_since = now() WHERE id = $1`, [ids.brokered]),
      ['order status agrees with its items'],
    ],
    [
      'nothing, for an item being picked or packed at its facility: it still holds its reservation there',
      () => client.query(`UPDATE order_item SET status = 'PACKED' WHERE order_id = $1`, [ids.brokered]),
      [],
    ],
    [
      'a shipped item whose reservation was never released',
      async () => {
        await client.query(`UPDATE order_item SET status = 'SHIPPED' WHERE order_id = $1`, [ids.brokered]);
        await client.query(`UPDATE sales_order SET status = 'COMPLETED' WHERE id = $1`, [ids.brokered]);
      },
      ['reserved equals allocated', 'no orphaned or double reservation'],
    ],
    [
      'an order completed with its item still picking',
      async () => {
        await client.query(`UPDATE order_item SET status = 'PICKING' WHERE order_id = $1`, [ids.brokered]);
        await client.query(`UPDATE sales_order SET status = 'COMPLETED' WHERE id = $1`, [ids.brokered]);
      },
      ['order status agrees with its items'],
    ],
    ['nothing, for a transfer order that holds its units reserved at its source', () => insertTransfer('CREATED', [[0, 2]]), []],
    [
      'nothing, for a shipped transfer order',
      () =>
        insertTransfer('SHIPPED', [
          [0, 2],
          [-2, -2],
        ]),
      [],
    ],
    [
      "a cancelled transfer order's reservation never released",
      () => insertTransfer('CANCELLED', [[0, 2]]),
      ['reserved equals allocated', 'transfer reservations'],
    ],
    [
      'a shipped transfer order whose units never left on hand',
      () =>
        insertTransfer('SHIPPED', [
          [0, 2],
          [0, -2],
        ]),
      ['transfer reservations'],
    ],
    [
      'a transfer order that reserved without its ledger row',
      async () => {
        await insertTransfer('CREATED', []);
        await client.query('UPDATE inventory_item SET quantity_reserved = quantity_reserved + 2');
      },
      ['inventory equals its ledger', 'transfer reservations'],
    ],
    [
      'an outbox event never relayed',
      () => client.query(`INSERT INTO outbox_event (topic, aggregate_id, payload) VALUES ('order.created', $1, '{}')`, [ids.brokered]),
      ['no lost work in the outbox'],
    ],
  ])('reports %s', async (_, corrupt, broken) => {
    expect(await brokenBy(corrupt)).toEqual(broken);
  });
});
