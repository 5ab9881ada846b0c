import { randomBytes, randomUUID } from 'node:crypto';
import type { PrimaryDatabase } from '../../libs/data/src/database/primary-database';

/** Inserts a product with a SKU of its own (its name too), priced 1; returns its id. */
export async function insertProduct(db: PrimaryDatabase): Promise<string> {
  const [{ id }] = await db.query<{ id: string }>(`INSERT INTO product (sku, name, price) VALUES ($1, $1, 1) RETURNING id`, [`SKU-${randomUUID()}`]);
  return id;
}

/** Inserts a warehouse with a code of its own at `latitude` (longitude -74); returns its id. */
export async function insertFacility(db: PrimaryDatabase, latitude: number): Promise<string> {
  const [{ id }] = await db.query<{ id: string }>(
    `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, 'WAREHOUSE', $2, -74.0) RETURNING id`,
    [`F-${randomUUID()}`, latitude],
  );
  return id;
}

/** Inserts an APPROVED order in channel "test", shipped to Brooklyn, with these lines CREATED (see insertCreatedItems); returns its id and its items' ids. */
export async function insertApprovedOrder(
  db: PrimaryDatabase,
  lines: [productId: string, quantity: number][],
): Promise<{ orderId: string; itemIds: string[] }> {
  const [{ id: orderId }] = await db.query<{ id: string }>(
    `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel) VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
    [JSON.stringify({ line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 })],
  );
  return { orderId, itemIds: await insertCreatedItems(db, orderId, lines) };
}

/** Inserts an order's lines as OrdersService.create leaves them, CREATED and waiting in BROKERING at price 1; returns their ids in line order. */
export async function insertCreatedItems(db: PrimaryDatabase, orderId: string, lines: [productId: string, quantity: number][]): Promise<string[]> {
  const items = await db.query<{ id: string }>(
    `INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
     SELECT $1, n, p.id, p.sku, q, 1, 'CREATED', 'BROKERING' FROM unnest($2::uuid[], $3::int[]) WITH ORDINALITY AS l(product_id, q, n)
       JOIN product p ON p.id = l.product_id ORDER BY n RETURNING id`,
    [orderId, lines.map(([productId]) => productId), lines.map(([, quantity]) => quantity)],
  );
  return items.map((item) => item.id);
}

type RowsOf = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Inserts an API key of `salesChannel` (creating the channel, of type API, when new) as the keys service does; returns its id. */
export async function insertApiKey(query: RowsOf, name: string, salesChannel: string): Promise<string> {
  const [{ id }] = await query<{ id: string }>(
    `WITH channel AS (INSERT INTO sales_channel (code, name, type) VALUES ($2, $2, 'API') ON CONFLICT (code) DO NOTHING)
     INSERT INTO api_key (name, key_hash, sales_channel) VALUES ($1, $3, $2) RETURNING id`,
    [name, salesChannel, randomBytes(32)],
  );
  return id;
}
