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

export type FacilityStock = Pick<InventoryItem, (typeof STOCK_PROPERTIES)[number]>;

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

  stockByFacility(db: Queryable, productId: string): Promise<FacilityStock[]> {
    return db.query<FacilityStock>(`SELECT ${STOCK_COLUMNS} FROM inventory_item WHERE product_id = $1 ORDER BY facility_id`, [productId]);
  }
}
