import { Injectable } from '@nestjs/common';
import { selectColumns } from '../database/select-columns';
import { InventoryItem } from '../entities/inventory-item.entity';
import { Product } from '../entities/product.entity';
import { outboxInsert } from '../outbox/outbox-insert';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import type { Queryable } from '../read-routing/queryable';

const PRODUCT_COLUMNS = selectColumns(Product);
const STOCK_PROPERTIES = ['facilityId', 'quantityOnHand', 'quantityReserved', 'availableToPromise', 'minimumStock', 'brokerable'] as const;
const STOCK_COLUMNS = selectColumns(InventoryItem, STOCK_PROPERTIES);

export interface ProductFields {
  sku: string;
  name: string;
  price: string;
  currency: string;
}

export type FacilityStock = Pick<InventoryItem, (typeof STOCK_PROPERTIES)[number]> & {
  /** Units of SHIPPED transfer orders toward the facility. */
  inTransit: number;
  /** Units of OPEN purchase orders due at the facility and not received yet. */
  onOrder: number;
};

/** SQL of products; a duplicate SKU surfaces as the database's unique violation. */
@Injectable()
export class ProductsRepository {
  async insert(db: Queryable, product: ProductFields): Promise<Product> {
    const [row] = await db.query<Product>(`INSERT INTO product (sku, name, price, currency) VALUES ($1, $2, $3, $4) RETURNING ${PRODUCT_COLUMNS}`, [
      product.sku,
      product.name,
      product.price,
      product.currency,
    ]);
    return row;
  }

  async findById(db: Queryable, id: string): Promise<Product | undefined> {
    const [row] = await db.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM product WHERE id = $1`, [id]);
    return row;
  }

  page(db: Queryable, filter: { sku?: string } & PageRequest): Promise<Page<Product>> {
    const filters = filter.sku === undefined ? [] : ['sku = $1'];
    const params = filter.sku === undefined ? [] : [filter.sku];
    return keysetPage<Product>(db, { select: PRODUCT_COLUMNS, from: 'product', filters, params, direction: 'asc' }, filter);
  }

  /** Changes the given fields (null leaves one as it is). */
  async update(db: Queryable, id: string, changes: { name: string | null; price: string | null }): Promise<Product | undefined> {
    const event = outboxInsert(`SELECT 'product.changed', id, jsonb_build_object('productId', id) FROM changed`, 4);
    const [row] = await db.query<Product>(
      `WITH changed AS (
         UPDATE product SET name = COALESCE($2, name), price = COALESCE($3, price)
          WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}
       ), event AS (${event.sql})
       SELECT * FROM changed`,
      [id, changes.name, changes.price, ...event.params],
    );
    return row;
  }

  /**
   * The product's stock at each facility that holds a row of it, or has units of it in transit
   * toward it (SHIPPED transfer orders) or on order (the open quantity of OPEN purchase orders due
   * there); a facility without an inventory row shows zeros for its stock.
   */
  stockByFacility(db: Queryable, productId: string): Promise<FacilityStock[]> {
    return db.query<FacilityStock>(
      `WITH stock AS (SELECT ${STOCK_COLUMNS} FROM inventory_item WHERE product_id = $1),
            in_transit AS (SELECT t.to_facility_id AS "facilityId", sum(ti.quantity)::int AS units
                             FROM transfer_order t JOIN transfer_order_item ti ON ti.transfer_order_id = t.id
                            WHERE t.status = 'SHIPPED' AND ti.product_id = $1 GROUP BY t.to_facility_id),
            on_order AS (SELECT po.facility_id AS "facilityId", sum(pi.quantity - pi.received_quantity)::int AS units
                           FROM purchase_order po JOIN purchase_order_item pi ON pi.purchase_order_id = po.id
                          WHERE po.status = 'OPEN' AND pi.product_id = $1 GROUP BY po.facility_id)
       SELECT f."facilityId",
              ${STOCK_PROPERTIES.filter((property) => property !== 'facilityId')
                .map((property) => `COALESCE(s."${property}", 0) AS "${property}"`)
                .join(', ')},
              COALESCE(t.units, 0) AS "inTransit", COALESCE(o.units, 0) AS "onOrder"
         FROM (SELECT "facilityId" FROM stock UNION SELECT "facilityId" FROM in_transit UNION SELECT "facilityId" FROM on_order) f
         LEFT JOIN stock s USING ("facilityId") LEFT JOIN in_transit t USING ("facilityId") LEFT JOIN on_order o USING ("facilityId")
        ORDER BY f."facilityId"`,
      [productId],
    );
  }
}
