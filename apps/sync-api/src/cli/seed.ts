import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiKeysService, DataModule, FacilitiesService, InventoryService, OrdersService, ProductsService } from '@app/data';
import { ConfigModule, loadConfigOrExit } from '@app/platform';
import { demoOrders, demoProducts, DEMO_FACILITIES, seededRandom } from './demo-data';

const PRODUCT_COUNT = 300;
const ORDER_COUNT = 40;

/**
 * `npm run db:seed`: demo data (facilities with coordinates, products with stock, some orders)
 * through the same services the API uses, once per database; prints a new demo API key each run.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();

  @Module({ imports: [ConfigModule.forRoot(config), DataModule] })
  class SeedModule {}

  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const facilities = app.get(FacilitiesService);
    const existing = await facilities.list({ limit: 200 });
    if (existing.items.some((facility) => facility.code === DEMO_FACILITIES[0].code)) {
      process.stdout.write('demo data already present\n');
    } else {
      await seed(app.get(ProductsService), facilities, app.get(InventoryService), app.get(OrdersService), app.get(ApiKeysService));
    }
    const demoKey = await app.get(ApiKeysService).create({ name: 'demo' });
    process.stdout.write(`DEMO_API_KEY=${demoKey.key}\n`);
  } finally {
    await app.close();
  }
}

async function seed(
  products: ProductsService,
  facilities: FacilitiesService,
  inventory: InventoryService,
  orders: OrdersService,
  apiKeys: ApiKeysService,
): Promise<void> {
  const random = seededRandom(20261125);
  const facilityIds = [];
  for (const facility of DEMO_FACILITIES) facilityIds.push((await facilities.create(facility)).id);
  const created = [];
  for (const product of demoProducts(PRODUCT_COUNT, random)) created.push(await products.create(product));
  for (const product of created) {
    for (const facilityId of facilityIds) {
      if (random() < 0.45) continue;
      const quantityOnHand = Math.floor(random() * 60);
      await inventory.setOnHand({ facilityId, productId: product.id, quantityOnHand, reason: 'demo stock', actor: 'seed' });
    }
  }
  const seeder = await apiKeys.create({ name: 'demo-seed' });
  for (const order of demoOrders(
    ORDER_COUNT,
    created.map((p) => p.sku),
    random,
  )) {
    await orders.create(order, { apiKeyId: seeder.id, salesChannel: seeder.salesChannel });
  }
  process.stdout.write(`seeded ${facilityIds.length} facilities, ${created.length} products with stock, ${ORDER_COUNT} orders\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`db:seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
