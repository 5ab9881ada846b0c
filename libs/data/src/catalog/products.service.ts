import { CacheInvalidator } from '@app/cache';
import { invalidatedTags } from '../common/cache-tags';
import { Injectable } from '@nestjs/common';
import { normalizeAmount, NotFoundError } from '@app/platform';
import { conflictOnDuplicate } from '../common/postgres-errors';
import { PrimaryDatabase } from '../database/primary-database';
import type { Product } from '../entities/product.entity';
import type { Page, PageRequest } from '../read-routing/keyset-page';
import { ReadRouter } from '../read-routing/read-router';
import { FacilityStock, ProductsRepository } from './products.repository';

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
  brokerable: number;
  inTransit: number;
  onOrder: number;
  facilities: FacilityStock[];
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly db: PrimaryDatabase,
    private readonly reads: ReadRouter,
    private readonly products: ProductsRepository,
    private readonly cache: CacheInvalidator,
  ) {}

  async create(input: CreateProductInput): Promise<Product> {
    return conflictOnDuplicate(
      this.products.insert(this.db, { ...input, price: normalizeAmount(input.price), currency: input.currency ?? 'USD' }),
      `a product with SKU ${input.sku} already exists`,
    );
  }

  async get(id: string): Promise<Product> {
    return this.found(id, await this.products.findById(this.db, id));
  }

  async list(filter: { sku?: string } & PageRequest, clientId?: string): Promise<Page<Product>> {
    return this.products.page(await this.reads.forListRead(clientId), filter);
  }

  async update(id: string, input: UpdateProductInput): Promise<Product> {
    const changes = { name: input.name ?? null, price: input.price === undefined ? null : normalizeAmount(input.price) };
    const product = this.found(id, await this.products.update(this.db, id, changes));
    await this.cache.invalidate(invalidatedTags([{ topic: 'product.changed', productId: id }]));
    return product;
  }

  async availability(id: string): Promise<ProductAvailability> {
    await this.get(id);
    const facilities = await this.products.stockByFacility(this.db, id);
    const total = (field: 'availableToPromise' | 'brokerable' | 'inTransit' | 'onOrder') =>
      facilities.reduce((sum, facility) => sum + facility[field], 0);
    return {
      productId: id,
      availableToPromise: total('availableToPromise'),
      brokerable: total('brokerable'),
      inTransit: total('inTransit'),
      onOrder: total('onOrder'),
      facilities,
    };
  }

  private found(id: string, product: Product | undefined): Product {
    if (!product) throw new NotFoundError(`product ${id} not found`);
    return product;
  }
}
