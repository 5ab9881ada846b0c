import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ApiKeysService,
  DataModule,
  FacilitiesService,
  InventoryService,
  OrdersService,
  ProductsService,
  PurchaseOrdersService,
  type Requester,
  TransferOrdersService,
} from '@app/data';
import { ConfigModule, loadConfigOrExit } from '@app/platform';
import { daysFromToday, demoOrders, demoPreorders, demoProducts, DEMO_FACILITIES, DEMO_PREORDER_PRODUCT, seededRandom } from './demo-data';

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
      const seeder = await seed(app.get(ProductsService), facilities, app.get(InventoryService), app.get(OrdersService), app.get(ApiKeysService));
      await seedSupply(
        app.get(ProductsService),
        facilities,
        app.get(OrdersService),
        app.get(PurchaseOrdersService),
        app.get(TransferOrdersService),
        seeder,
      );
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
): Promise<Requester> {
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
  const key = await apiKeys.create({ name: 'demo-seed' });
  const seeder = { apiKeyId: key.id, salesChannel: key.salesChannel };
  for (const order of demoOrders(
    ORDER_COUNT,
    created.map((p) => p.sku),
    random,
  )) {
    await orders.create(order, seeder);
  }
  process.stdout.write(`seeded ${facilityIds.length} facilities, ${created.length} products with stock, ${ORDER_COUNT} orders\n`);
  return seeder;
}

/**
 * Inbound supply: a restock purchase order at the east coast DC, due two days ago and half
 * received; a product nobody stocks yet, with orders that wait for it and a purchase order due in
 * two weeks that promises them (pre-orders); and a transfer from the DC to the Manhattan store.
 */
async function seedSupply(
  products: ProductsService,
  facilities: FacilitiesService,
  orders: OrdersService,
  purchaseOrders: PurchaseOrdersService,
  transfers: TransferOrdersService,
  seeder: Requester,
): Promise<void> {
  const byCode = new Map((await facilities.list({ limit: 200 })).items.map((facility) => [facility.code, facility.id]));
  const [dc, store] = [byCode.get('DEMO-WH-NJ')!, byCode.get('DEMO-ST-NYC')!];
  const restocked = ['DEMO-0001', 'DEMO-0002', 'DEMO-0003'];
  const restock = await purchaseOrders.create(
    { externalId: 'DEMO-PO-0001', facilityId: dc, expectedDate: daysFromToday(-2), items: restocked.map((sku) => ({ sku, quantity: 40 })) },
    'seed',
  );
  await purchaseOrders.receive(
    restock.id,
    { externalId: 'DEMO-ASN-0001', items: restock.items.map((line) => ({ productId: line.productId, quantity: 20 })) },
    'seed',
  );
  const preordered = await products.create(DEMO_PREORDER_PRODUCT);
  for (const order of demoPreorders(preordered.sku)) await orders.create(order, seeder);
  await purchaseOrders.create(
    { externalId: 'DEMO-PO-0002', facilityId: dc, expectedDate: daysFromToday(14), items: [{ productId: preordered.id, quantity: 24 }] },
    'seed',
  );
  await transfers.create({ from: dc, to: store, items: [{ productId: restock.items[0].productId, quantity: 5 }] }, 'seed');
  process.stdout.write('seeded 2 purchase orders (one half received), pre-orders of a new product, 1 transfer order\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`db:seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
