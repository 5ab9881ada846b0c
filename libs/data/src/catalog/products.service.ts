import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Database } from '../database/database';
import { isPostgresError, PG_UNIQUE_VIOLATION } from '../common/postgres-errors';
import { normalizeAmount } from '../common/money';
import type { Product } from '../entities/product.entity';
import { keysetPage, Page, PageRequest } from '../read-routing/keyset-page';
import { ReadRouter } from '../read-routing/read-router';

export interface CreateProductInput {
  sku: string;
  name: string;
  price: string;
  currency?: string;
}

export interface UpdateProductInput {
  name?: string;
  price?: string;
}

export interface ProductAvailability {
  productId: string;
  availableToPromise: number;
  facilities: { facilityId: string; quantityOnHand: number; quantityReserved: number; availableToPromise: number }[];
}

export const PRODUCT_COLUMNS = `id, sku, name, price, currency, created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class ProductsService {
  constructor(
    private readonly db: Database,
    private readonly reads: ReadRouter,
  ) {}

  async create(input: CreateProductInput): Promise<Product> {
    try {
      const [product] = await this.db.query<Product>(
        `INSERT INTO product (sku, name, price, currency) VALUES ($1, $2, $3, $4) RETURNING ${PRODUCT_COLUMNS}`,
        [input.sku, input.name, normalizeAmount(input.price), input.currency ?? 'USD'],
      );
      return product;
    } catch (error) {
      if (isPostgresError(error, PG_UNIQUE_VIOLATION)) throw new ConflictException(`a product with SKU ${input.sku} already exists`);
      throw error;
    }
  }

  async get(id: string): Promise<Product> {
    const [product] = await this.db.query<Product>(`SELECT ${PRODUCT_COLUMNS} FROM product WHERE id = $1`, [id]);
    if (!product) throw new NotFoundException(`product ${id} not found`);
    return product;
  }

  async list(filter: { sku?: string } & PageRequest, clientId?: string): Promise<Page<Product>> {
    const db = await this.reads.forListRead(clientId);
    const filters = filter.sku === undefined ? [] : ['sku = $1'];
    const params = filter.sku === undefined ? [] : [filter.sku];
    return keysetPage<Product>(db, { select: PRODUCT_COLUMNS, from: 'product', filters, params, direction: 'asc' }, filter);
  }

  async update(id: string, input: UpdateProductInput): Promise<Product> {
    const [product] = await this.db.query<Product>(
      `UPDATE product SET name = COALESCE($2, name), price = COALESCE($3, price), updated_at = clock_timestamp()
        WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}`,
      [id, input.name ?? null, input.price === undefined ? null : normalizeAmount(input.price)],
    );
    if (!product) throw new NotFoundException(`product ${id} not found`);
    return product;
  }

  async availability(id: string): Promise<ProductAvailability> {
    await this.get(id);
    const facilities = await this.db.query<ProductAvailability['facilities'][number]>(
      `SELECT facility_id AS "facilityId", quantity_on_hand AS "quantityOnHand", quantity_reserved AS "quantityReserved",
              available_to_promise AS "availableToPromise"
         FROM inventory_item WHERE product_id = $1 ORDER BY facility_id`,
      [id],
    );
    const availableToPromise = facilities.reduce((sum, f) => sum + f.availableToPromise, 0);
    return { productId: id, availableToPromise, facilities };
  }
}
