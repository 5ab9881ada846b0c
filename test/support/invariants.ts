import { ClientBase } from 'pg';
import { eventually } from './http';
import { withClient } from './test-databases';

/**
 * The promises of docs/architecture.md that a database must keep whatever happened to the processes
 * around it, each written as one SQL query that returns the rows breaking it: a drill asserts that
 * every query returns nothing. The schema is the one of libs/data/src/migrations: a reservation is
 * an order item held by its facility (ALLOCATED, PICKING, PACKED, READY_FOR_PICKUP; it names the
 * facility) or a CREATED transfer order's item (at its source)
 * whose quantity is counted in its inventory row's quantity_reserved, and every change of an inventory row has a ledger row in the same transaction.
 */
export interface Invariant {
  name: string;
  /** What holds when the query returns no row. */
  promise: string;
  sql: string;
  /** Holds only where workers relay the outbox: a check of services alone, without workers, leaves it out. */
  needsWorkers?: true;
}

export interface InvariantChoice {
  /** Leave out the invariants that only workers keep (the services were called directly, with no worker running). */
  withoutWorkers?: boolean;
}

/** Item statuses that hold stock reserved at the item's facility (RESERVING_ITEM_STATUSES), and those that left it with the customer. */
const RESERVING = `'ALLOCATED', 'PICKING', 'PACKED', 'READY_FOR_PICKUP'`;
const DELIVERED = `'SHIPPED', 'HANDED_OVER'`;

/** Items waiting in a queue (WAITING_ITEM_STATUSES): sold, reserved nowhere. */
const WAITING = `'CREATED', 'BACKORDERED'`;

/**
 * Every channel's availability of every product recomputed from scratch (the formula of the
 * README, written again here, not availability_publish): brokerable stock of the channel's group
 * (every facility without one) at facilities that broker, plus (for a channel that sells
 * pre-orders) the open quantity of OPEN purchase orders due there, minus what waits, minus the threshold.
 */
export const RECOMPUTED_AVAILABILITY = `
  SELECT c.code AS channel, p.id AS product_id,
         GREATEST(0, COALESCE((SELECT sum(i.brokerable) FROM inventory_item i JOIN facility f ON f.id = i.facility_id
                                WHERE i.product_id = p.id AND f.allow_brokering
                                  AND (c.facility_group_id IS NULL
                                       OR i.facility_id IN (SELECT facility_id FROM facility_group_member WHERE group_id = c.facility_group_id))), 0)
                     + CASE WHEN c.preorder_from_purchase_orders
                            THEN COALESCE((SELECT sum(pi.quantity - pi.received_quantity) FROM purchase_order_item pi
                                             JOIN purchase_order po ON po.id = pi.purchase_order_id AND po.status = 'OPEN'
                                             JOIN facility f ON f.id = po.facility_id
                                            WHERE pi.product_id = p.id AND f.allow_brokering
                                              AND (c.facility_group_id IS NULL
                                                   OR po.facility_id IN (SELECT facility_id FROM facility_group_member WHERE group_id = c.facility_group_id))), 0)
                            ELSE 0 END
                     - COALESCE((SELECT sum(quantity) FROM order_item WHERE product_id = p.id AND status IN (${WAITING})), 0)
                     - c.threshold_units)::int AS available
    FROM sales_channel c CROSS JOIN product p`;

export const INVARIANTS: Invariant[] = [
  {
    name: 'no oversell',
    promise: 'reserved never exceeds on hand, and ATP (on hand - reserved) is never negative (invariant 1)',
    sql: `SELECT facility_id, product_id, quantity_on_hand, quantity_reserved, available_to_promise FROM inventory_item
           WHERE quantity_reserved > quantity_on_hand OR available_to_promise < 0 OR quantity_on_hand < 0 OR quantity_reserved < 0
              OR available_to_promise <> quantity_on_hand - quantity_reserved`,
  },
  {
    name: 'inventory equals its ledger',
    promise: "every inventory row's on hand and reserved equal the sums of its ledger rows' deltas",
    sql: `SELECT i.facility_id, i.product_id, i.quantity_on_hand, i.quantity_reserved,
                 COALESCE(l.on_hand, 0) AS ledger_on_hand, COALESCE(l.reserved, 0) AS ledger_reserved
            FROM inventory_item i
            LEFT JOIN (SELECT facility_id, product_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
                         FROM inventory_ledger GROUP BY facility_id, product_id) l USING (facility_id, product_id)
           WHERE i.quantity_on_hand <> COALESCE(l.on_hand, 0) OR i.quantity_reserved <> COALESCE(l.reserved, 0)`,
  },
  {
    name: 'reserved equals allocated',
    promise:
      "every inventory row's reserved quantity equals the quantities of the order items held there (allocated, picking, packed, ready) " +
      'and of the CREATED transfer orders that take units from there',
    sql: `SELECT COALESCE(i.facility_id, a.facility_id) AS facility_id, COALESCE(i.product_id, a.product_id) AS product_id,
                 i.quantity_reserved, COALESCE(a.allocated, 0) AS allocated
            FROM inventory_item i
            FULL JOIN (SELECT facility_id, product_id, sum(quantity) AS allocated
                         FROM (SELECT facility_id, product_id, quantity FROM order_item WHERE status IN (${RESERVING})
                               UNION ALL
                               SELECT t.from_facility_id, ti.product_id, ti.quantity FROM transfer_order t
                                 JOIN transfer_order_item ti ON ti.transfer_order_id = t.id WHERE t.status = 'CREATED') held
                        GROUP BY facility_id, product_id) a USING (facility_id, product_id)
           WHERE COALESCE(i.quantity_reserved, -1) <> COALESCE(a.allocated, 0)`,
  },
  {
    name: 'no orphaned or double reservation',
    promise:
      "per order, facility and product, the ledger's net reservation equals what the order's live items hold allocated there: " +
      'a cancelled order released all, a shipped item turned its reservation into a shipment, no item was reserved twice, ' +
      'and every reservation names its order (those of transfer orders aside: see transfer reservations)',
    sql: `SELECT COALESCE(l.order_id, a.order_id) AS order_id, COALESCE(l.facility_id, a.facility_id) AS facility_id,
                 COALESCE(l.product_id, a.product_id) AS product_id, COALESCE(l.reserved, 0) AS ledger_reserved,
                 COALESCE(a.allocated, 0) AS allocated, o.status AS order_status
            FROM (SELECT order_id, facility_id, product_id, sum(reserved_delta) AS reserved FROM inventory_ledger
                   WHERE reserved_delta <> 0 AND transfer_order_id IS NULL GROUP BY order_id, facility_id, product_id) l
            FULL JOIN (SELECT order_id, facility_id, product_id, sum(quantity) AS allocated FROM order_item
                        WHERE status IN (${RESERVING}) GROUP BY order_id, facility_id, product_id) a
              ON a.order_id = l.order_id AND a.facility_id = l.facility_id AND a.product_id = l.product_id
            LEFT JOIN sales_order o ON o.id = COALESCE(l.order_id, a.order_id)
           WHERE COALESCE(l.reserved, 0) <> COALESCE(a.allocated, 0) OR o.id IS NULL`,
  },
  {
    name: 'transfer reservations',
    promise:
      "per transfer order and product, the ledger's net reserved delta at its source is the quantity while CREATED and 0 otherwise; " +
      'its on-hand deltas are -quantity at the source once SHIPPED or RECEIVED and +quantity at the destination once RECEIVED (0 otherwise), ' +
      'and it moves stock nowhere else',
    sql: `WITH expected AS (
            SELECT t.id AS transfer_order_id, t.status, t.from_facility_id AS facility_id, ti.product_id,
                   CASE WHEN t.status = 'CREATED' THEN ti.quantity ELSE 0 END AS reserved,
                   CASE WHEN t.status IN ('SHIPPED', 'RECEIVED') THEN -ti.quantity ELSE 0 END AS on_hand
              FROM transfer_order t JOIN transfer_order_item ti ON ti.transfer_order_id = t.id
            UNION ALL
            SELECT t.id, t.status, t.to_facility_id, ti.product_id, 0, CASE WHEN t.status = 'RECEIVED' THEN ti.quantity ELSE 0 END
              FROM transfer_order t JOIN transfer_order_item ti ON ti.transfer_order_id = t.id
          ), booked AS (
            SELECT transfer_order_id, facility_id, product_id, sum(reserved_delta) AS reserved, sum(on_hand_delta) AS on_hand
              FROM inventory_ledger WHERE transfer_order_id IS NOT NULL GROUP BY transfer_order_id, facility_id, product_id
          )
          SELECT COALESCE(e.transfer_order_id, b.transfer_order_id) AS transfer_order_id, e.status,
                 COALESCE(e.facility_id, b.facility_id) AS facility_id, COALESCE(e.product_id, b.product_id) AS product_id,
                 COALESCE(e.reserved, 0) AS expected_reserved, COALESCE(b.reserved, 0) AS ledger_reserved,
                 COALESCE(e.on_hand, 0) AS expected_on_hand, COALESCE(b.on_hand, 0) AS ledger_on_hand
            FROM expected e
            FULL JOIN booked b ON b.transfer_order_id = e.transfer_order_id AND b.facility_id = e.facility_id AND b.product_id = e.product_id
           WHERE COALESCE(e.reserved, 0) <> COALESCE(b.reserved, 0) OR COALESCE(e.on_hand, 0) <> COALESCE(b.on_hand, 0)`,
  },
  {
    name: 'every order accounted for',
    promise:
      'every order was brokered (BROKERED, PARTIALLY_BROKERED, BACKORDERED), fulfilled (COMPLETED) or CANCELLED: none is still ' +
      'CREATED or APPROVED once the workers have had time (invariant 2), and none has no item',
    sql: `SELECT o.id, o.status, o.created_at, count(i.id) AS items FROM sales_order o LEFT JOIN order_item i ON i.order_id = o.id
           GROUP BY o.id HAVING o.status IN ('CREATED', 'APPROVED') OR count(i.id) = 0`,
  },
  {
    name: 'order status agrees with its items',
    promise:
      'cancelled items aside (one open item at least), "held" meaning allocated, picking, packed or ready and "delivered" shipped or ' +
      'handed over: CREATED, APPROVED: all items CREATED; HELD: none held or delivered (a hold released them); BROKERED: all held or ' +
      'delivered; PARTIALLY_BROKERED: some held or delivered, the rest backordered; BACKORDERED: all backordered; COMPLETED: all ' +
      'delivered (some cancelled, maybe); CANCELLED: all cancelled',
    sql: `SELECT * FROM (
            SELECT o.id, o.status, count(i.id) AS items,
                   count(i.id) FILTER (WHERE i.status = 'CREATED') AS created,
                   count(i.id) FILTER (WHERE i.status IN (${RESERVING})) AS allocated,
                   count(i.id) FILTER (WHERE i.status = 'BACKORDERED') AS backordered,
                   count(i.id) FILTER (WHERE i.status IN (${DELIVERED})) AS shipped,
                   count(i.id) FILTER (WHERE i.status = 'CANCELLED') AS cancelled
              FROM sales_order o JOIN order_item i ON i.order_id = o.id GROUP BY o.id) s
           WHERE NOT CASE status
             WHEN 'CREATED' THEN created > 0 AND created + cancelled = items
             WHEN 'APPROVED' THEN created > 0 AND created + cancelled = items
             WHEN 'HELD' THEN allocated + shipped = 0
             WHEN 'BROKERED' THEN allocated + shipped > 0 AND allocated + shipped + cancelled = items
             WHEN 'PARTIALLY_BROKERED' THEN allocated + shipped > 0 AND backordered > 0 AND allocated + shipped + backordered + cancelled = items
             WHEN 'BACKORDERED' THEN backordered > 0 AND backordered + cancelled = items
             WHEN 'COMPLETED' THEN shipped > 0 AND shipped + cancelled = items
             WHEN 'CANCELLED' THEN cancelled = items
             ELSE false END`,
  },
  {
    name: 'waiting items are queued',
    promise: 'every item not yet allocated (CREATED, BACKORDERED) waits in a queue, a new (CREATED) one in BROKERING, and no other item has one',
    sql: `SELECT id, order_id, status, queue FROM order_item
           WHERE (status IN ('CREATED', 'BACKORDERED')) <> (queue IS NOT NULL) OR (status = 'CREATED' AND queue <> 'BROKERING')`,
  },
  {
    name: 'auto-cancel only while unfillable',
    promise: 'an item has an auto-cancel time only while it waits in UNFILLABLE, where a rule with AUTO_CANCEL_DAYS parked it',
    sql: `SELECT id, order_id, status, queue, auto_cancel_at FROM order_item
           WHERE auto_cancel_at IS NOT NULL AND (status <> 'BACKORDERED' OR queue <> 'UNFILLABLE')`,
  },
  {
    name: 'a rejecting facility is never chosen again',
    promise: 'no item is held by, or delivered from, a facility that rejected it',
    sql: `SELECT i.id, i.order_id, i.status, i.facility_id, r.reason FROM order_item i
            JOIN order_item_rejection r ON r.item_id = i.id AND r.facility_id = i.facility_id
           WHERE i.status IN (${RESERVING}, ${DELIVERED})`,
  },
  {
    name: 'pickup orders at their store',
    promise: "no item of a PICKUP order is allocated anywhere but at the order's pickup facility",
    sql: `SELECT i.id, i.order_id, i.facility_id, o.pickup_facility_id FROM order_item i JOIN sales_order o ON o.id = i.order_id
           WHERE o.shipping_method = 'PICKUP' AND i.status = 'ALLOCATED' AND i.facility_id <> o.pickup_facility_id`,
  },
  {
    name: 'every allocation names its rule',
    promise: 'every ALLOCATED history entry names its item and the routing group, routing and rule that made the allocation',
    sql: `SELECT id, order_id, item_id, routing_group_id, routing_id, routing_rule_id FROM order_history
           WHERE type = 'ALLOCATED' AND (item_id IS NULL OR routing_group_id IS NULL OR routing_id IS NULL OR routing_rule_id IS NULL)`,
  },
  {
    name: 'capacity holds',
    promise:
      'no facility takes more orders in a day than its maximumOrdersPerDay (invariant 10), as long as no rule ignores the limit ' +
      '(ignoreFacilityOrderLimit) and no maximum is lowered below the orders a facility took that day',
    sql: `SELECT d.facility_id, d.day, d.orders_allocated, f.maximum_orders_per_day FROM facility_order_day d JOIN facility f ON f.id = d.facility_id
           WHERE d.orders_allocated > f.maximum_orders_per_day
             AND NOT EXISTS (SELECT 1 FROM routing_rule WHERE inventory_filters @> '[{"field": "ignoreFacilityOrderLimit"}]')`,
  },
  {
    name: 'no over-return',
    promise: 'only shipped or handed-over items are returned, and never more units of an item than it has',
    sql: `SELECT i.id, i.status, i.quantity, sum(r.quantity) AS returned FROM order_item i JOIN order_return_item r ON r.item_id = i.id
           GROUP BY i.id HAVING sum(r.quantity) > i.quantity OR i.status NOT IN (${DELIVERED})`,
  },
  {
    name: 'channel availability follows stock',
    promise:
      "every channel's availability of every product, and the last change of its feed, equal the availability recomputed from stock, waiting items and the channel",
    sql: `WITH recomputed AS (${RECOMPUTED_AVAILABILITY}),
               last_change AS (SELECT DISTINCT ON (channel_code, product_id) channel_code, product_id, available FROM availability_change
                                ORDER BY channel_code, product_id, sequence DESC)
          SELECT r.channel, r.product_id, r.available, ca.available AS kept, l.available AS last_change
            FROM recomputed r
            LEFT JOIN channel_availability ca ON ca.channel_code = r.channel AND ca.product_id = r.product_id
            LEFT JOIN last_change l ON l.channel_code = r.channel AND l.product_id = r.product_id
           WHERE r.available <> COALESCE(ca.available, 0) OR r.available <> COALESCE(l.available, 0)`,
  },
  {
    name: 'promises within what is on order',
    promise:
      "the units promised against a purchase order's line never exceed its open quantity (none once it is received in full or closed), " +
      'and only backordered items carry a promise',
    sql: `SELECT pi.purchase_order_id, pi.product_id, po.status, pi.quantity - pi.received_quantity AS open, p.promised
            FROM purchase_order_item pi JOIN purchase_order po ON po.id = pi.purchase_order_id
            JOIN (SELECT promised_purchase_order_id, product_id, sum(quantity) AS promised, bool_and(status = 'BACKORDERED') AS waiting
                    FROM order_item WHERE promised_purchase_order_id IS NOT NULL GROUP BY promised_purchase_order_id, product_id) p
              ON p.promised_purchase_order_id = pi.purchase_order_id AND p.product_id = pi.product_id
           WHERE NOT p.waiting OR po.status <> 'OPEN' OR p.promised > pi.quantity - pi.received_quantity
          UNION ALL
          SELECT i.promised_purchase_order_id, i.product_id, NULL, NULL, i.quantity FROM order_item i
           WHERE i.promised_purchase_order_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM purchase_order_item pi WHERE pi.purchase_order_id = i.promised_purchase_order_id AND pi.product_id = i.product_id)`,
  },
  {
    name: 'no lost work in the outbox',
    promise: 'every committed outbox event was relayed to the queues once the workers have had time (invariant 2)',
    sql: `SELECT id, topic, aggregate_id, created_at FROM outbox_event WHERE published_at IS NULL`,
    needsWorkers: true,
  },
];

export interface Violation {
  invariant: string;
  promise: string;
  count: number;
  /** The first rows that break it. */
  rows: Record<string, unknown>[];
}

const ROWS_SHOWN = 10;

/** Runs every invariant's query on the connection as it is (in the caller's transaction, if any); returns the broken ones. */
export async function findViolations(client: ClientBase, choice: InvariantChoice = {}): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const { name, promise, sql } of INVARIANTS.filter((invariant) => !(choice.withoutWorkers && invariant.needsWorkers))) {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    if (rows.length > 0) violations.push({ invariant: name, promise, count: rows.length, rows: rows.slice(0, ROWS_SHOWN) });
  }
  return violations;
}

/** Runs every invariant's query in one snapshot of the database; returns the broken ones (none: all hold). */
export function invariantViolations(databaseUrl: string, choice: InvariantChoice = {}): Promise<Violation[]> {
  return withClient(databaseUrl, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await findViolations(client, choice);
    } finally {
      await client.query('COMMIT');
    }
  });
}

/** One readable paragraph per broken invariant, with the rows that break it. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => `${v.invariant}: ${v.count} row(s) break "${v.promise}", e.g.\n${v.rows.map((row) => `  ${JSON.stringify(row)}`).join('\n')}`)
    .join('\n');
}

/** Fails with every broken invariant and its rows. */
export async function assertInvariants(databaseUrl: string, choice: InvariantChoice = {}): Promise<void> {
  const violations = await invariantViolations(databaseUrl, choice);
  if (violations.length > 0) throw new Error(`Invariants of docs/architecture.md broken:\n${describeViolations(violations)}`);
}

/**
 * What is still in flight: orders never brokered, outbox events not yet relayed, and transactions
 * open for more than a second (one that commits later, e.g. behind the locks of a killed process,
 * would bring events after the check).
 */
export function pendingWork(databaseUrl: string): Promise<{ waitingOrders: number; unpublishedEvents: number; longTransactions: number }> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ waitingOrders: number; unpublishedEvents: number; longTransactions: number }>(
      `SELECT (SELECT count(*) FROM sales_order WHERE status IN ('CREATED', 'APPROVED'))::int AS "waitingOrders",
              (SELECT count(*) FROM outbox_event WHERE published_at IS NULL)::int AS "unpublishedEvents",
              (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND xact_start < clock_timestamp() - interval '1 second')::int AS "longTransactions"`,
    );
    return rows[0];
  });
}

/**
 * Waits until the workers have brokered every order and relayed every event, then checks every
 * invariant; resolves with the time the system took to settle. Past `settleMs` it checks anyway,
 * so that what was left over is reported as the violation it is.
 */
export async function settleAndAssertInvariants(databaseUrl: string, settleMs = 60_000): Promise<number | undefined> {
  const settledIn = await eventually(
    async () => {
      const pending = await pendingWork(databaseUrl);
      return pending.waitingOrders === 0 && pending.unpublishedEvents === 0 && pending.longTransactions === 0;
    },
    settleMs,
    250,
  ).catch(() => undefined);
  await assertInvariants(databaseUrl);
  return settledIn;
}
