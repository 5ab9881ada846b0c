import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@app/platform';
import type { Queryable } from '../read-routing/queryable';
import { ORDER_ITEM_TRANSITIONS, ORDER_TRANSITIONS } from './order-transitions';
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
}

type StatusTable = 'sales_order' | 'order_item';

interface StatusColumn {
  noun: string;
  statement: string;
  allowed: { from: string[]; to: string[] };
}

/**
 * Moves every row whose current status may be followed by its new one ($3, $4: the allowed pairs;
 * items also take the facility a change places them at, $5) and returns the others with the status
 * they have, as read before the update: the refused moves.
 */
function guardedMove(table: StatusTable): string {
  const placesItems = table === 'order_item';
  return `WITH wanted AS (
     SELECT * FROM unnest($1::uuid[], $2::text[]${placesItems ? ', $5::uuid[]' : ''}) AS w(id, status${placesItems ? ', facility_id' : ''})
   ), moved AS (
     UPDATE ${table} t SET status = w.status${placesItems ? ', facility_id = COALESCE(w.facility_id, t.facility_id)' : ''}
       FROM wanted w
      WHERE t.id = w.id AND (t.status, w.status) IN (SELECT * FROM unnest($3::text[], $4::text[]))
     RETURNING t.id
   )
   SELECT w.id, (SELECT status FROM ${table} WHERE id = w.id) AS "from", w.status AS "to"
     FROM wanted w
    WHERE w.id NOT IN (SELECT id FROM moved)`;
}

function statusColumn<S extends string>(table: StatusTable, noun: string, transitions: TransitionTable<S>): StatusColumn {
  return { noun, statement: guardedMove(table), allowed: transitionPairs(transitions) };
}

const ORDERS = statusColumn('sales_order', 'order', ORDER_TRANSITIONS);
const ITEMS = statusColumn('order_item', 'order item', ORDER_ITEM_TRANSITIONS);

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
      [changes.map((change) => change.facilityId ?? null)],
    );
  }

  private async move(tx: Queryable, column: StatusColumn, changes: [id: string, status: string][], extra: unknown[] = []): Promise<void> {
    if (changes.length === 0) return;
    const refused = await tx.query<{ id: string; from: string | null; to: string }>(column.statement, [
      changes.map(([id]) => id),
      changes.map(([, status]) => status),
      column.allowed.from,
      column.allowed.to,
      ...extra,
    ]);
    if (refused.length === 0) return;
    const [first] = refused;
    if (first.from === null) throw new NotFoundError(`${column.noun} ${first.id} not found`);
    throw new ConflictError(`${column.noun} ${first.id} is ${first.from} and cannot become ${first.to}`);
  }
}
