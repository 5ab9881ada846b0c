import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { InventoryItem } from '../entities/inventory-item.entity';
import { OrderItem } from '../entities/order-item.entity';
import { BROKERABLE_ORDER_STATUSES, UNALLOCATED_ITEM_STATUSES } from '../lifecycle/order-transitions';
import type { ItemStatusChange } from '../lifecycle/status-changes.repository';
import type { OrderItemStatus, OrderStatus } from '../lifecycle/statuses';
import type { Queryable } from '../read-routing/queryable';
import type { StockKey } from '../database/lock-order';
import type { StockLevel, StockReservation } from './stock-reservations';
import type { GeoPoint } from '../routing/geo';
import type { OrderFacts } from '../routing/order-filters';
import { BACKORDER_QUEUE, BROKERING_QUEUE, REJECTED_QUEUE } from '../routing/routing-config';

/** What routing filters and sorts read of an order (queues aside: they come from its items). */
export type LockedOrderFacts = Omit<OrderFacts, 'orderId' | 'queues'>;

export interface LockedOrder extends LockedOrderFacts {
  id: string;
  status: OrderStatus;
  /** Null when the shipping address has no coordinates. */
  shipTo: GeoPoint | null;
  /** The store a PICKUP order is collected at. */
  pickupFacilityId: string | null;
  /** Where the order stands in the claim order, so that the next claim can continue after it. */
  position: ClaimPosition;
}

/** A keyset position: never brokered (APPROVED) orders first, then by creation time (exact, as text) and id. */
export interface ClaimPosition {
  backlog: boolean;
  createdAt: string;
  id: string;
}

export type LockedItem = Pick<OrderItem, (typeof LOCKED_ITEM_PROPERTIES)[number]>;

/** What brokering does to an item: allocates it to a facility, or parks it in a queue. */
export interface ItemUpdate extends ItemStatusChange {
  status: Extract<OrderItemStatus, 'ALLOCATED' | 'BACKORDERED'>;
  facilityId: string | null;
}

/**
 * The queues whose items brokering routes when orders arrive and stock moves: new items, backorders
 * and rejected items. Items parked in other queues wait for a SCHEDULE group that routes them.
 */
export const ROUTED_QUEUES = [BROKERING_QUEUE, BACKORDER_QUEUE, REJECTED_QUEUE];

/** The queues whose items stock arriving routes again. */
const STOCK_AWAITING_QUEUES = [BACKORDER_QUEUE, REJECTED_QUEUE];

const INVENTORY_COLUMNS = selectColumns(InventoryItem);
const LOCKED_ITEM_PROPERTIES = ['id', 'orderId', 'lineNumber', 'productId', 'quantity', 'unitPrice', 'status', 'facilityId', 'queue'] as const;
const LOCKED_ITEM_COLUMNS = selectColumns(OrderItem, LOCKED_ITEM_PROPERTIES);

/** The columns of sales_order that LOCKED_ORDER_SELECT reads. */
const LOCKED_ORDER_COLUMNS =
  'id, status, shipping_address, created_at, sales_channel, shipping_method, pickup_facility_id, priority, promise_date, tags, total';

/** The orders' rows as brokering reads them, with what routing filters and sorts read. */
const LOCKED_ORDER_SELECT = `SELECT id, status,
  CASE WHEN jsonb_typeof(shipping_address->'latitude') = 'number' AND jsonb_typeof(shipping_address->'longitude') = 'number'
       THEN json_build_object('latitude', (shipping_address->>'latitude')::float8, 'longitude', (shipping_address->>'longitude')::float8) END AS "shipTo",
  created_at::text AS "orderDate", sales_channel AS "salesChannel", shipping_method AS "shippingMethod",
  pickup_facility_id AS "pickupFacilityId", priority,
  to_char(promise_date, 'YYYY-MM-DD') AS "promiseDate", shipping_address->>'country' AS country, tags, total::float8 AS "orderTotal",
  json_build_object('backlog', status <> 'APPROVED', 'createdAt', created_at::text, 'id', id) AS position`;

/**
 * What brokering may allocate of the products $1 (ATP above each row's safety stock) at facilities
 * that take part in brokering and ship or hand over pickup orders (the engine keeps each order to
 * the facilities that serve its shipping method).
 */
const SHIPPABLE_STOCK_SELECT = `SELECT i.facility_id AS "facilityId", i.product_id AS "productId", i.brokerable AS "availableToPromise"
    FROM inventory_item i JOIN facility f ON f.id = i.facility_id
   WHERE i.product_id = ANY($1::uuid[]) AND i.brokerable > 0 AND (f.can_ship OR f.can_pickup) AND f.allow_brokering`;

/** Claims continue strictly after the previous batch's last order, so a batch of orders that cannot change now never hides the ones behind it. */
const AFTER_POSITION = `($4::boolean IS NULL OR (o.status <> 'APPROVED', o.created_at, o.id) > ($4::boolean, $5::timestamptz, $6::uuid))`;

/** Open orders with items of the products $2 waiting for stock ($7), in claim order after a position, $3 of them. */
const BACKORDERED_OF_PRODUCTS = `FROM sales_order o
  WHERE o.status = ANY($1::text[]) AND ${AFTER_POSITION}
    AND EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.status = 'BACKORDERED' AND i.queue = ANY($7::text[])
                   AND i.product_id = ANY($2::uuid[]))
  ORDER BY o.status <> 'APPROVED', o.created_at, o.id
  LIMIT $3`;

function positionParams(after: ClaimPosition | undefined): unknown[] {
  return [after?.backlog ?? null, after?.createdAt ?? null, after?.id ?? null];
}

/**
 * SQL of brokering: claiming orders, locking what they need in the global lock order
 * (database/lock-order.ts) and applying a whole batch's plan with one statement per table. The
 * caller passes the transaction; every lock is held until it ends.
 */
@Injectable()
export class BrokeringRepository {
  /**
   * Locks those of the orders that are open and not locked by anyone else and, up to `total` orders
   * in all, new (APPROVED) orders waiting besides them, oldest first; never waits.
   */
  lockOpenOrders(tx: Queryable, orderIds: string[], total = orderIds.length, waitForLocks = false): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(
      `WITH named AS (
         SELECT ${LOCKED_ORDER_COLUMNS} FROM sales_order
          WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])
          ORDER BY id FOR UPDATE${waitForLocks ? '' : ' SKIP LOCKED'}
       ), waiting AS (
         SELECT ${LOCKED_ORDER_COLUMNS} FROM sales_order
          WHERE status = 'APPROVED' AND id <> ALL($1::uuid[])
          ORDER BY created_at, id LIMIT greatest($3::int - cardinality($1::uuid[]), 0) FOR UPDATE SKIP LOCKED
       )
       ${LOCKED_ORDER_SELECT} FROM (SELECT * FROM named UNION ALL SELECT * FROM waiting) locked
        ORDER BY created_at, id`,
      [orderIds, BROKERABLE_ORDER_STATUSES, total],
    );
  }

  /**
   * Claims up to `limit` open orders with unallocated items waiting in the queues that brokering
   * routes (ROUTED_QUEUES): never brokered ones (APPROVED) first,
   * so that a backlog of backorders cannot starve new orders, then oldest first. SKIP LOCKED lets
   * concurrent workers claim disjoint batches; it never waits, so it cannot deadlock either.
   */
  claimPendingOrders(tx: Queryable, limit: number, after?: ClaimPosition): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(
      `${LOCKED_ORDER_SELECT} FROM sales_order o
        WHERE o.status = ANY($1::text[]) AND ${AFTER_POSITION}
          AND EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.status = ANY($2::text[]) AND i.queue = ANY($7::text[]))
        ORDER BY o.status <> 'APPROVED', o.created_at, o.id
        LIMIT $3 FOR UPDATE OF o SKIP LOCKED`,
      [BROKERABLE_ORDER_STATUSES, UNALLOCATED_ITEM_STATUSES, limit, ...positionParams(after), ROUTED_QUEUES],
    );
  }

  /**
   * Claims up to `limit` open orders with unallocated items waiting in these queues (null: in any
   * queue but BROKERING), never brokered ones first, then oldest first; a routing group's run.
   */
  claimQueuedOrders(tx: Queryable, queues: readonly string[] | null, limit: number, after?: ClaimPosition): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(
      `${LOCKED_ORDER_SELECT} FROM sales_order o
        WHERE o.status = ANY($1::text[]) AND ${AFTER_POSITION}
          AND EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.status = ANY($2::text[])
                         AND (CASE WHEN $7::text[] IS NULL THEN i.queue <> $8 ELSE i.queue = ANY($7::text[]) END))
        ORDER BY o.status <> 'APPROVED', o.created_at, o.id
        LIMIT $3 FOR UPDATE OF o SKIP LOCKED`,
      [BROKERABLE_ORDER_STATUSES, UNALLOCATED_ITEM_STATUSES, limit, ...positionParams(after), queues, BROKERING_QUEUE],
    );
  }

  /**
   * Claims up to `limit` open orders with items of these products waiting for stock, oldest first:
   * in BACKORDER, or in REJECTED (a pickup order's items that its store could not take wait there).
   */
  claimBackorderedOrders(tx: Queryable, productIds: string[], limit: number, after?: ClaimPosition): Promise<LockedOrder[]> {
    return tx.query<LockedOrder>(`${LOCKED_ORDER_SELECT} ${BACKORDERED_OF_PRODUCTS} FOR UPDATE OF o SKIP LOCKED`, [
      BROKERABLE_ORDER_STATUSES,
      productIds,
      limit,
      ...positionParams(after),
      STOCK_AWAITING_QUEUES,
    ]);
  }

  /** The same orders without locks: the ones a caller then waits for, in the lock order (BrokeringService.rebrokerProductsNow). */
  readBackorderedOrders(db: Queryable, productIds: string[], limit: number, after?: ClaimPosition): Promise<LockedOrder[]> {
    return db.query<LockedOrder>(`${LOCKED_ORDER_SELECT} ${BACKORDERED_OF_PRODUCTS}`, [
      BROKERABLE_ORDER_STATUSES,
      productIds,
      limit,
      ...positionParams(after),
      STOCK_AWAITING_QUEUES,
    ]);
  }

  /** The orders as brokering reads them, without locks (the simulator). */
  readOrders(db: Queryable, orderIds: string[]): Promise<LockedOrder[]> {
    return db.query<LockedOrder>(`${LOCKED_ORDER_SELECT} FROM sales_order WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [orderIds]);
  }

  /** Every item of the orders, without locks, in line order (the simulator). */
  readItems(db: Queryable, orderIds: string[]): Promise<LockedItem[]> {
    return db.query<LockedItem>(`SELECT ${LOCKED_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_number`, [
      orderIds,
    ]);
  }

  /** Locks every item of the orders, by id; the caller holds the orders' locks. Returned in line order. */
  lockItems(tx: Queryable, orderIds: string[]): Promise<LockedItem[]> {
    return tx.query<LockedItem>(
      `SELECT * FROM (SELECT ${LOCKED_ITEM_COLUMNS} FROM order_item WHERE order_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE) locked
        ORDER BY "orderId", "lineNumber"`,
      [orderIds],
    );
  }

  /**
   * The stock of these products with ATP at facilities that ship, as last committed, without locks:
   * brokering plans on it, then locks only the rows it reserves from (lockStockRows).
   */
  readShippableStock(tx: Queryable, productIds: string[]): Promise<StockLevel[]> {
    if (productIds.length === 0) return Promise.resolve([]);
    return tx.query<StockLevel>(`${SHIPPABLE_STOCK_SELECT} ORDER BY i.facility_id, i.product_id`, [productIds]);
  }

  /**
   * The same stock, each inventory row locked in the lock order of inventory rows: the sort runs
   * below the row locking, so rows are locked in it. A row locked by another transaction is read
   * again once it commits, with its new ATP.
   */
  lockShippableStock(tx: Queryable, productIds: string[]): Promise<StockLevel[]> {
    if (productIds.length === 0) return Promise.resolve([]);
    return tx.query<StockLevel>(`${SHIPPABLE_STOCK_SELECT} ORDER BY i.facility_id, i.product_id FOR UPDATE OF i`, [productIds]);
  }

  /**
   * Locks these inventory rows in their lock order and returns what brokering may allocate of them
   * after any transaction that held them has committed; rows at facilities that no longer ship (nor
   * offer pickup) or take part in brokering are left out.
   */
  lockStockRows(tx: Queryable, keys: StockKey[]): Promise<StockLevel[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return tx.query<StockLevel>(
      `SELECT i.facility_id AS "facilityId", i.product_id AS "productId", i.brokerable AS "availableToPromise"
         FROM inventory_item i JOIN facility f ON f.id = i.facility_id
         JOIN unnest($1::uuid[], $2::uuid[]) AS k(facility_id, product_id) ON i.facility_id = k.facility_id AND i.product_id = k.product_id
        WHERE (f.can_ship OR f.can_pickup) AND f.allow_brokering
        ORDER BY i.facility_id, i.product_id
          FOR UPDATE OF i`,
      [keys.map((key) => key.facilityId), keys.map((key) => key.productId)],
    );
  }

  /**
   * Adds the reservations to their (locked) inventory rows, each only if it leaves the row's safety stock,
   * and returns the rows it changed with their new balances: fewer rows than reservations means
   * some did not fit.
   */
  reserve(tx: Queryable, reservations: StockReservation[]): Promise<InventoryItem[]> {
    if (reservations.length === 0) return Promise.resolve([]);
    return tx.query<InventoryItem>(
      `UPDATE inventory_item SET quantity_reserved = quantity_reserved + r.quantity
         FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS r(reserved_facility_id, reserved_product_id, quantity)
        WHERE facility_id = r.reserved_facility_id AND product_id = r.reserved_product_id
          AND quantity_reserved + r.quantity + minimum_stock <= quantity_on_hand
        RETURNING ${INVENTORY_COLUMNS}`,
      [reservations.map((r) => r.facilityId), reservations.map((r) => r.productId), reservations.map((r) => r.quantity)],
    );
  }
}
