import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { ShipmentPackageRow, ShipmentRow } from '../entities/fulfilment.entity';
import type { Queryable } from '../read-routing/queryable';

const SHIPMENT_COLUMNS = selectColumns(ShipmentRow);
const PACKAGE_PROPERTIES = ['weightGrams', 'lengthCm', 'widthCm', 'heightCm'] as const;
const PACKAGE_COLUMNS = selectColumns(ShipmentPackageRow, ['shipmentId', ...PACKAGE_PROPERTIES]);
type PackageMeasures = Pick<ShipmentPackageRow, (typeof PACKAGE_PROPERTIES)[number]>;

/** A package's measures, each optional (a positive whole number). */
export interface ShipmentPackage {
  weightGrams?: number | null;
  lengthCm?: number | null;
  widthCm?: number | null;
  heightCm?: number | null;
}

export interface ShipmentItemView {
  itemId: string;
  productId: string;
  sku: string;
  quantity: number;
}

export interface ShipmentView extends ShipmentRow {
  items: ShipmentItemView[];
  packages: PackageMeasures[];
}

export interface Tracking {
  carrier: string;
  trackingNumber: string;
  service?: string;
}

export interface ShipmentReference {
  orderId: string;
  facilityId: string;
  salesChannel: string;
}

/** Shipments, their items and packages. A shipment is written only under its order's lock (lock-order.ts). */
@Injectable()
export class ShipmentsRepository {
  /** Inserts a PACKED shipment of these items, with its packages in the order given; returns its id. */
  async insertPacked(tx: Queryable, orderId: string, facilityId: string, itemIds: string[], packages: ShipmentPackage[]): Promise<string> {
    const [{ id }] = await tx.query<{ id: string }>(
      `WITH shipment AS (INSERT INTO shipment (order_id, facility_id, status) VALUES ($1, $2, 'PACKED') RETURNING id),
            items AS (INSERT INTO shipment_item (shipment_id, order_item_id) SELECT shipment.id, unnest($3::uuid[]) FROM shipment),
            packages AS (
              INSERT INTO shipment_package (shipment_id, package_number, weight_grams, length_cm, width_cm, height_cm)
              SELECT shipment.id, p.n, p.weight, p.length, p.width, p.height
                FROM shipment, unnest($4::int[], $5::int[], $6::int[], $7::int[]) WITH ORDINALITY AS p(weight, length, width, height, n))
       SELECT id FROM shipment`,
      [
        orderId,
        facilityId,
        itemIds,
        packages.map((p) => p.weightGrams ?? null),
        packages.map((p) => p.lengthCm ?? null),
        packages.map((p) => p.widthCm ?? null),
        packages.map((p) => p.heightCm ?? null),
      ],
    );
    return id;
  }

  /** Whose shipment it is, read without a lock: the caller locks the order, then reads the shipment again (find) under it. */
  async referenceOf(db: Queryable, id: string): Promise<ShipmentReference | undefined> {
    const [row] = await db.query<ShipmentReference>(
      `SELECT s.order_id AS "orderId", s.facility_id AS "facilityId", o.sales_channel AS "salesChannel"
         FROM shipment s JOIN sales_order o ON o.id = s.order_id WHERE s.id = $1`,
      [id],
    );
    return row;
  }

  /** Ships the shipment, with the carrier and tracking number when known (the one-step fulfilment may have none). */
  async markShipped(tx: Queryable, id: string, tracking: Partial<Tracking>): Promise<void> {
    await tx.query(
      `UPDATE shipment SET status = 'SHIPPED', carrier = $2, tracking_number = $3, service = $4, shipped_at = clock_timestamp() WHERE id = $1`,
      [id, tracking.carrier ?? null, tracking.trackingNumber ?? null, tracking.service ?? null],
    );
  }

  async markUnpacked(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE shipment SET status = 'UNPACKED' WHERE id = $1`, [id]);
  }

  async find(db: Queryable, id: string): Promise<ShipmentView | undefined> {
    const [shipment] = await this.findMany(db, 'id = $1', [id]);
    return shipment;
  }

  /** The order's shipments, oldest first. */
  ofOrder(db: Queryable, orderId: string): Promise<ShipmentView[]> {
    return this.findMany(db, 'order_id = $1', [orderId]);
  }

  private async findMany(db: Queryable, condition: string, params: unknown[]): Promise<ShipmentView[]> {
    const rows = await db.query<ShipmentRow>(`SELECT ${SHIPMENT_COLUMNS} FROM shipment WHERE ${condition} ORDER BY created_at, id`, params);
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const items = await db.query<ShipmentItemView & { shipmentId: string }>(
      `SELECT s.shipment_id AS "shipmentId", i.id AS "itemId", i.product_id AS "productId", i.sku, i.quantity
         FROM shipment_item s JOIN order_item i ON i.id = s.order_item_id
        WHERE s.shipment_id = ANY($1::uuid[]) ORDER BY i.line_number`,
      [ids],
    );
    const packages = await db.query<PackageMeasures & { shipmentId: string }>(
      `SELECT ${PACKAGE_COLUMNS} FROM shipment_package WHERE shipment_id = ANY($1::uuid[]) ORDER BY package_number`,
      [ids],
    );
    return rows.map((row) => ({
      ...row,
      items: items.filter((item) => item.shipmentId === row.id).map(({ shipmentId: _, ...item }) => item),
      packages: packages.filter((pkg) => pkg.shipmentId === row.id).map(({ shipmentId: _, ...pkg }) => pkg),
    }));
  }
}
