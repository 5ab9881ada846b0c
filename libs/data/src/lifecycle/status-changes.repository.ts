import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@app/platform';
import type { Queryable } from '../read-routing/queryable';
import { ITEM_HISTORY_OF_STATUS, ORDER_HISTORY_OF_STATUS } from './history-of-status';
import type { OrderHistoryType } from '../entities/order-history-entry.entity';
import { ORDER_ITEM_TRANSITIONS, ORDER_TRANSITIONS, UNALLOCATED_ITEM_STATUSES } from './order-transitions';
import { defaultQueueOf } from './queue-of-status';
import type { OrderItemStatus, OrderStatus } from './statuses';
import { TransitionTable, transitionPairs } from './transition-table';

export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  /** What the history entry of the change says besides what the status gives. */
  history?: OrderHistoryDetail;
}

export interface OrderHistoryDetail {
  /** The entry's type, when not the status's own (history-of-status.ts): e.g. RELEASED for a held order approved again. */
  type?: OrderHistoryType;
  reason?: string;
  note?: string | null;
}

export interface ItemStatusChange {
  itemId: string;
  status: OrderItemStatus;
  /** The facility a change places the item at (an allocation); absent or null leaves the item's facility as it is. */
  facilityId?: string | null;
  /** The queue the item waits in after the change; absent: the status's own (queue-of-status.ts), none once allocated. */
  queue?: string | null;
  /** When the waiting item is to be cancelled unless allocated first; absent or null: never. */
  autoCancelAt?: Date | null;
  /** What the history entry of the change says besides what the status gives. */
  history?: ItemHistoryDetail;
}

export interface ItemHistoryDetail {
  /** The entry's type, when not the status's own (history-of-status.ts): e.g. REJECTED for a rejected item that waits again. */
  type?: OrderHistoryType;
  /** The facility the entry names, when not the item's own after the change. */
  facilityId?: string;
  reason?: string;
  note?: string | null;
  /** The routing that made an allocation. */
  routing?: { groupId: string; routingId: string; ruleId: string };
}

interface StatusColumn {
  noun: string;
  statement: string;
  allowed: { from: string[]; to: string[] };
  /** Status moved to -> the history entry the move writes (parallel arrays). */
  history: { status: string[]; type: string[] };
}

/**
 * Moves every order whose current status may be followed by its new one ($3, $4: the allowed
 * pairs), writes the order history of the moves that change a status ($5, $6: status -> entry
 * type; $7..$9: the entry's type when the change names one, its reason and note), and returns the
 * others with the status they have, as read before the update: the refused moves.
 */
const ORDER_MOVE = `WITH wanted AS (
     SELECT * FROM unnest($1::uuid[], $2::text[], $7::text[], $8::text[], $9::text[]) AS w(id, status, history_type, reason, note)
   ), before AS (
     SELECT id, status FROM sales_order WHERE id IN (SELECT id FROM wanted)
   ), moved AS (
     UPDATE sales_order t SET status = w.status
       FROM wanted w, before b
      WHERE t.id = w.id AND b.id = t.id AND (t.status, w.status) IN (SELECT * FROM unnest($3::text[], $4::text[]))
     RETURNING t.id, t.status, b.status AS previous
   ), history AS (
     INSERT INTO order_history (order_id, type, reason, note)
     SELECT m.id, COALESCE(w.history_type, h.type), w.reason, w.note
       FROM moved m JOIN wanted w ON w.id = m.id LEFT JOIN unnest($5::text[], $6::text[]) AS h(status, type) ON h.status = m.status
      WHERE m.status <> m.previous AND COALESCE(w.history_type, h.type) IS NOT NULL
   )
   SELECT w.id, (SELECT status FROM sales_order WHERE id = w.id) AS "from", w.status AS "to"
     FROM wanted w
    WHERE w.id NOT IN (SELECT id FROM moved)`;

/**
 * The same for items, which also take the facility a change places them at ($7; an item that waits
 * again, $10, loses its facility), the queue and auto-cancel time they wait with ($8, $9), and what
 * their history entry says besides ($11..$17: its type, facility, reason, note, and the routing
 * group, routing and rule of an allocation). An entry is written when the status or the queue
 * changes, or when the change names its type; a QUEUED entry's reason is the queue. An item that
 * waits again or is cancelled leaves the open picklist it is on: nobody is to pick it any more. The
 * entries of one call share one time, the statement's: the items shipped together are one shipment
 * in the history (clock_timestamp(), the column's default, would set them microseconds apart).
 */
const ITEM_MOVE = `WITH wanted AS (
     SELECT * FROM unnest($1::uuid[], $2::text[], $7::uuid[], $8::text[], $9::timestamptz[], $11::text[], $12::uuid[], $13::text[], $14::text[],
                          $15::uuid[], $16::uuid[], $17::uuid[])
       AS w(id, status, facility_id, queue, auto_cancel_at, history_type, history_facility_id, reason, note, routing_group_id, routing_id, routing_rule_id)
   ), before AS (
     SELECT id, status, queue FROM order_item WHERE id IN (SELECT id FROM wanted)
   ), moved AS (
     UPDATE order_item t
        SET status = w.status, queue = w.queue, auto_cancel_at = w.auto_cancel_at,
            facility_id = CASE WHEN w.status = ANY($10::text[]) THEN NULL ELSE COALESCE(w.facility_id, t.facility_id) END
       FROM wanted w, before b
      WHERE t.id = w.id AND b.id = t.id AND (t.status, w.status) IN (SELECT * FROM unnest($3::text[], $4::text[]))
     RETURNING t.id, t.status, b.status AS previous, t.queue, b.queue AS previous_queue, t.order_id, t.facility_id
   ), history AS (
     INSERT INTO order_history (order_id, item_id, type, facility_id, reason, note, routing_group_id, routing_id, routing_rule_id, at)
     SELECT m.order_id, m.id, COALESCE(w.history_type, h.type), COALESCE(w.history_facility_id, m.facility_id),
            COALESCE(w.reason, CASE WHEN COALESCE(w.history_type, h.type) = 'QUEUED' THEN m.queue END), w.note,
            w.routing_group_id, w.routing_id, w.routing_rule_id, statement_timestamp()
       FROM moved m JOIN wanted w ON w.id = m.id LEFT JOIN unnest($5::text[], $6::text[]) AS h(status, type) ON h.status = m.status
      WHERE COALESCE(w.history_type, h.type) IS NOT NULL
        AND (w.history_type IS NOT NULL OR m.status <> m.previous OR m.queue IS DISTINCT FROM m.previous_queue)
   ), unpicked AS (
     DELETE FROM picklist_item p USING moved m
      WHERE p.order_item_id = m.id AND p.open AND (m.status = ANY($10::text[]) OR m.status = 'CANCELLED')
   )
   SELECT w.id, (SELECT status FROM order_item WHERE id = w.id) AS "from", w.status AS "to"
     FROM wanted w
    WHERE w.id NOT IN (SELECT id FROM moved)`;

function statusColumn<S extends string>(
  statement: string,
  noun: string,
  transitions: TransitionTable<S>,
  historyOfStatus: Partial<Record<S, string>>,
): StatusColumn {
  const entries = Object.entries(historyOfStatus) as [string, string][];
  return {
    noun,
    statement,
    allowed: transitionPairs(transitions),
    history: { status: entries.map(([status]) => status), type: entries.map(([, type]) => type) },
  };
}

const ORDERS = statusColumn(ORDER_MOVE, 'order', ORDER_TRANSITIONS, ORDER_HISTORY_OF_STATUS);
const ITEMS = statusColumn(ITEM_MOVE, 'order item', ORDER_ITEM_TRANSITIONS, ITEM_HISTORY_OF_STATUS);

/**
 * The one writer of order and item statuses: every change, single or set-based, is checked by the
 * database against the transitions table in the statement that writes it, in the caller's
 * transaction. A change the table refuses is a ConflictError naming the current status (a
 * NotFoundError for an unknown row); the rows moved by the same call stay written until that error
 * rolls the caller's transaction back, so callers let it propagate.
 */
@Injectable()
export class StatusChangesRepository {
  async moveOrders(tx: Queryable, changes: OrderStatusChange[]): Promise<void> {
    await this.move(
      tx,
      ORDERS,
      changes.map((change) => [change.orderId, change.status]),
      [
        changes.map((change) => change.history?.type ?? null),
        changes.map((change) => change.history?.reason ?? null),
        changes.map((change) => change.history?.note ?? null),
      ],
    );
  }

  async moveItems(tx: Queryable, changes: ItemStatusChange[]): Promise<void> {
    await this.move(
      tx,
      ITEMS,
      changes.map((change) => [change.itemId, change.status]),
      [
        changes.map((change) => change.facilityId ?? null),
        changes.map((change) => (change.queue === undefined ? defaultQueueOf(change.status) : change.queue)),
        changes.map((change) => change.autoCancelAt ?? null),
        UNALLOCATED_ITEM_STATUSES,
        changes.map((change) => change.history?.type ?? null),
        changes.map((change) => change.history?.facilityId ?? null),
        changes.map((change) => change.history?.reason ?? null),
        changes.map((change) => change.history?.note ?? null),
        changes.map((change) => change.history?.routing?.groupId ?? null),
        changes.map((change) => change.history?.routing?.routingId ?? null),
        changes.map((change) => change.history?.routing?.ruleId ?? null),
      ],
    );
  }

  private async move(tx: Queryable, column: StatusColumn, changes: [id: string, status: string][], extra: unknown[] = []): Promise<void> {
    if (changes.length === 0) return;
    const refused = await tx.query<{ id: string; from: string | null; to: string }>(column.statement, [
      changes.map(([id]) => id),
      changes.map(([, status]) => status),
      column.allowed.from,
      column.allowed.to,
      column.history.status,
      column.history.type,
      ...extra,
    ]);
    if (refused.length === 0) return;
    const [first] = refused;
    if (first.from === null) throw new NotFoundError(`${column.noun} ${first.id} not found`);
    throw new ConflictError(`${column.noun} ${first.id} is ${first.from} and cannot become ${first.to}`);
  }
}
