import { Injectable } from '@nestjs/common';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';
import type { TransferOrderStatus } from './supply-statuses';

export interface TransferOrderItemView {
  productId: string;
  sku: string;
  quantity: number;
}

export interface TransferOrderView {
  id: string;
  /** The facility the units leave. */
  from: string;
  /** The facility they go to. */
  to: string;
  status: TransferOrderStatus;
  items: TransferOrderItemView[];
  createdAt: Date;
  shippedAt: Date | null;
  receivedAt: Date | null;
  cancelledAt: Date | null;
}

export interface NewTransferOrderItem {
  productId: string;
  quantity: number;
}

export interface TransferOrderFilter {
  status?: TransferOrderStatus;
  /** Transfers from or to this facility. */
  facilityId?: string;
}

const TRANSFER_VIEW = `id, from_facility_id AS "from", to_facility_id AS "to", status,
       created_at AS "createdAt", shipped_at AS "shippedAt", received_at AS "receivedAt", cancelled_at AS "cancelledAt",
       (SELECT json_agg(json_build_object('productId', ti.product_id, 'sku', p.sku, 'quantity', ti.quantity) ORDER BY p.sku)
          FROM transfer_order_item ti JOIN product p ON p.id = ti.product_id WHERE ti.transfer_order_id = transfer_order.id) AS items`;

/** The time column a status sets when a transfer order enters it. */
const STATUS_TIME: Record<Exclude<TransferOrderStatus, 'CREATED'>, string> = {
  SHIPPED: 'shipped_at',
  RECEIVED: 'received_at',
  CANCELLED: 'cancelled_at',
};

/** SQL of transfer orders and their items; the caller passes the connection or transaction. */
@Injectable()
export class TransferOrdersRepository {
  /** The ids among these facilities and products that do not exist. */
  async missing(db: Queryable, facilityIds: string[], productIds: string[]): Promise<{ facilities: string[]; products: string[] }> {
    const [found] = await db.query<{ facilities: string[]; products: string[] }>(
      `SELECT ARRAY(SELECT f FROM unnest($1::uuid[]) AS f WHERE NOT EXISTS (SELECT 1 FROM facility WHERE id = f))::text[] AS facilities,
              ARRAY(SELECT p FROM unnest($2::uuid[]) AS p WHERE NOT EXISTS (SELECT 1 FROM product WHERE id = p))::text[] AS products`,
      [facilityIds, productIds],
    );
    return found;
  }

  async insert(tx: Queryable, transfer: { from: string; to: string; items: NewTransferOrderItem[]; createdBy: string }): Promise<string> {
    const [{ id }] = await tx.query<{ id: string }>(
      `WITH created AS (INSERT INTO transfer_order (from_facility_id, to_facility_id, created_by) VALUES ($1, $2, $3) RETURNING id),
            items AS (INSERT INTO transfer_order_item (transfer_order_id, product_id, quantity)
                      SELECT created.id, i.product_id, i.quantity FROM created, unnest($4::uuid[], $5::int[]) AS i(product_id, quantity))
       SELECT id FROM created`,
      [transfer.from, transfer.to, transfer.createdBy, transfer.items.map((item) => item.productId), transfer.items.map((item) => item.quantity)],
    );
    return id;
  }

  async find(db: Queryable, id: string): Promise<TransferOrderView | undefined> {
    const [found] = await db.query<TransferOrderView>(`SELECT ${TRANSFER_VIEW} FROM transfer_order WHERE id = $1`, [id]);
    return found;
  }

  /** Locks the transfer order's row: it comes before the inventory rows it changes in the lock order (1a of lock-order.ts). */
  async lock(tx: Queryable, id: string): Promise<TransferOrderView | undefined> {
    const [found] = await tx.query<TransferOrderView>(`SELECT ${TRANSFER_VIEW} FROM transfer_order WHERE id = $1 FOR UPDATE OF transfer_order`, [id]);
    return found;
  }

  /** Moves the (locked) transfer order into `status`, with the time it did. */
  async transition(tx: Queryable, id: string, status: Exclude<TransferOrderStatus, 'CREATED'>): Promise<void> {
    await tx.query(`UPDATE transfer_order SET status = $2, ${STATUS_TIME[status]} = now() WHERE id = $1`, [id, status]);
  }

  /** A page of transfer orders, newest first; with `facilities`, only those from or to one of them. */
  page(db: Queryable, filter: TransferOrderFilter & { facilities: readonly string[] | null } & PageRequest): Promise<Page<TransferOrderView>> {
    const filters: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) filters.push(`status = $${params.push(filter.status)}`);
    if (filter.facilityId !== undefined) {
      const n = params.push(filter.facilityId);
      filters.push(`(from_facility_id = $${n} OR to_facility_id = $${n})`);
    }
    if (filter.facilities !== null) {
      const n = params.push(filter.facilities);
      filters.push(`(from_facility_id = ANY($${n}::uuid[]) OR to_facility_id = ANY($${n}::uuid[]))`);
    }
    return keysetPage<TransferOrderView>(db, { select: TRANSFER_VIEW, from: 'transfer_order', filters, params, direction: 'desc' }, filter);
  }
}
