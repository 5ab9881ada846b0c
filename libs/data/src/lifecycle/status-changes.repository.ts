import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@app/platform';
import type { Queryable } from '../read-routing/queryable';
import { ITEM_HISTORY_OF_STATUS, ORDER_HISTORY_OF_STATUS } from './history-of-status';
import { ORDER_ITEM_TRANSITIONS, ORDER_TRANSITIONS } from './order-transitions';
import { defaultQueueOf } from './queue-of-status';
import type { OrderItemStatus, OrderStatus } from './statuses';
import { TransitionTable, transitionPairs } from './transition-table';

export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
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
}

type StatusTable = 'sales_order' | 'order_item';

interface StatusColumn {
  noun: string;
  statement: string;
  allowed: { from: string[]; to: string[] };
  /** Status moved to -> the history entry the move writes (parallel arrays). */
  history: { status: string[]; type: string[] };
}

/**
 * Moves every row whose current status may be followed by its new one ($3, $4: the allowed pairs;
 * items also take the facility a change places them at, $7, and the queue and auto-cancel time
 * they wait with, $8 and $9), writes the order history of the moves that change a status ($5, $6:
 * status -> entry type), and returns the others with the status they have, as read before the
 * update: the refused moves.
 */
function guardedMove(table: StatusTable): string {
  const placesItems = table === 'order_item';
  return `WITH wanted AS (
     SELECT * FROM unnest($1::uuid[], $2::text[]${placesItems ? ', $7::uuid[], $8::text[], $9::timestamptz[]' : ''})
       AS w(id, status${placesItems ? ', facility_id, queue, auto_cancel_at' : ''})
   ), before AS (
     SELECT id, status FROM ${table} WHERE id IN (SELECT id FROM wanted)
   ), moved AS (
     UPDATE ${table} t
        SET status = w.status${placesItems ? ', facility_id = COALESCE(w.facility_id, t.facility_id), queue = w.queue, auto_cancel_at = w.auto_cancel_at' : ''}
       FROM wanted w, before b
      WHERE t.id = w.id AND b.id = t.id AND (t.status, w.status) IN (SELECT * FROM unnest($3::text[], $4::text[]))
     RETURNING t.id, t.status, b.status AS previous, ${placesItems ? 't.order_id, t.id AS item_id, t.facility_id' : 't.id AS order_id, NULL::uuid AS item_id, NULL::uuid AS facility_id'}
   ), history AS (
     INSERT INTO order_history (order_id, item_id, type, facility_id)
     SELECT m.order_id, m.item_id, h.type, m.facility_id
       FROM moved m JOIN unnest($5::text[], $6::text[]) AS h(status, type) ON h.status = m.status
      WHERE m.status <> m.previous
   )
   SELECT w.id, (SELECT status FROM ${table} WHERE id = w.id) AS "from", w.status AS "to"
     FROM wanted w
    WHERE w.id NOT IN (SELECT id FROM moved)`;
}

function statusColumn<S extends string>(
  table: StatusTable,
  noun: string,
  transitions: TransitionTable<S>,
  historyOfStatus: Partial<Record<S, string>>,
): StatusColumn {
  const entries = Object.entries(historyOfStatus) as [string, string][];
  return {
    noun,
    statement: guardedMove(table),
    allowed: transitionPairs(transitions),
    history: { status: entries.map(([status]) => status), type: entries.map(([, type]) => type) },
  };
}

const ORDERS = statusColumn('sales_order', 'order', ORDER_TRANSITIONS, ORDER_HISTORY_OF_STATUS);
const ITEMS = statusColumn('order_item', 'order item', ORDER_ITEM_TRANSITIONS, ITEM_HISTORY_OF_STATUS);

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
