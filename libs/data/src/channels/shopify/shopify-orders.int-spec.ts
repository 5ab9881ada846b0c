import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createPostgresPool, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../../test/support/data-services';
import { dropDatabases, primaryDatabaseUrl } from '../../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../../database/data-source.options';
import type { ImportTopic } from '../../entities/channel-import-error.entity';
import { ChannelImportErrorsRepository } from '../channel-import-errors.repository';
import { ChannelsRepository } from '../channels.repository';
import { ShopifyOrdersService, ShopifyWebhookOutcome } from './shopify-orders.service';
import { shopifySignature } from './shopify-signature';

const FIXTURES = join(__dirname, '../../../../../test/fixtures/shopify');
const SAMPLE = readFileSync(join(FIXTURES, 'orders-create.json'), 'utf8');
const SHOPIFY_ID = '820982911946154508';
const SECRET = 'shpss_int_spec_secret';
const CHANNEL = 'SHOP_US';

/** The sample order's raw text with another id (as text: the id never goes through a JS number) and other changes to its text. */
function sample(id: string, ...replacements: [string, string][]): string {
  let text = SAMPLE.replaceAll(SHOPIFY_ID, id);
  for (const [from, to] of replacements) text = text.replaceAll(from, to);
  return text;
}

/** A new 18-digit Shopify id, above 2^53. */
function newShopifyId(): string {
  return `9${randomBytes(8).readBigUInt64BE() % 10n ** 17n}`.padEnd(18, '0');
}

/**
 * Shopify's order webhooks through ShopifyOrdersService on real PostgreSQL, from two "processes":
 * the sample order's mapping, redeliveries and races that make one order, import errors, cancels.
 */
describe('ShopifyOrdersService (real PostgreSQL)', () => {
  const name = `oms_shopify_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let shopify: ShopifyOrdersService[];
  let db: ReturnType<typeof dataServicesOn>['db'];

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'shopify-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'shopify-int-spec')));
    const services = pools.map((pool) => dataServicesOn(pool));
    shopify = services.map((s) => new ShopifyOrdersService(s.db, new ChannelsRepository(), new ChannelImportErrorsRepository(), s.orders));
    db = services[0].db;
    await db.query(
      `INSERT INTO sales_channel (code, name, type, webhook_secret) VALUES ($1, 'Shop US', 'SHOPIFY', $2), ('WEB', 'Web', 'API', NULL)`,
      [CHANNEL, SECRET],
    );
    await db.query(
      `INSERT INTO product (sku, name, price, currency) VALUES ('SHOPIFY-TEE-BLK-M', 'Tee', 25, 'USD'), ('SHOPIFY-MUG', 'Mug', 15, 'USD')`,
    );
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  function deliver(body: string, topic: ImportTopic = 'orders/create', options: { secret?: string; channel?: string; via?: number } = {}) {
    const rawBody = Buffer.from(body);
    const signature = shopifySignature(rawBody, options.secret ?? SECRET);
    return shopify[options.via ?? 0].receive({ channelCode: options.channel ?? CHANNEL, topic, rawBody, signature });
  }

  async function ordersOf(externalId: string) {
    return db.query<{ id: string; external_id: string; api_key_id: string | null; total: string; status: string }>(
      'SELECT id, external_id, api_key_id, total::text, status FROM sales_order WHERE sales_channel = $1 AND external_id = $2',
      [CHANNEL, externalId],
    );
  }

  function orderOf(outcome: ShopifyWebhookOutcome) {
    if (!('order' in outcome)) throw new Error(`no order: ${JSON.stringify(outcome)}`);
    return outcome.order;
  }

  it('takes the sample order: the exact 18-digit id, lines by SKU after discounts, the address without coordinates', async () => {
    const outcome = await deliver(SAMPLE);
    expect(outcome.result).toBe('created');
    const order = orderOf(outcome);
    expect(order).toEqual(
      expect.objectContaining({
        externalId: SHOPIFY_ID,
        salesChannel: CHANNEL,
        status: 'APPROVED',
        total: '91.46',
        customer: { email: 'jon@example.com', name: 'John Smith' },
        shippingAddress: { line1: '123 Shipping Street', city: 'Shippington', region: 'KY', postalCode: '40003', country: 'US' },
      }),
    );
    expect(order.items.map(({ sku, quantity, unitPrice }) => [sku, quantity, unitPrice])).toEqual([
      ['SHOPIFY-TEE-BLK-M', 2, '19.66'],
      ['SHOPIFY-TEE-BLK-M', 1, '19.65'],
      ['SHOPIFY-MUG', 1, '12.50'],
      ['SHOPIFY-TEE-BLK-M', 1, '19.99'],
    ]);
    const [stored] = await ordersOf(SHOPIFY_ID);
    expect(stored).toEqual(expect.objectContaining({ external_id: SHOPIFY_ID, api_key_id: null }));
    const events = await db.query(`SELECT 1 FROM outbox_event WHERE topic = 'order.created' AND aggregate_id = $1`, [stored.id]);
    expect(events).toHaveLength(1);
  });

  it('answers a redelivery with the same order, and 5 concurrent deliveries from two processes make one order', async () => {
    expect(await deliver(SAMPLE)).toEqual(expect.objectContaining({ result: 'duplicate' }));
    const id = newShopifyId();
    const outcomes = await Promise.all([0, 1, 0, 1, 0].map((via) => deliver(sample(id), 'orders/create', { via })));
    expect(outcomes.map((o) => o.result).sort()).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(outcomes.map((o) => orderOf(o).id)).size).toBe(1);
    expect(await ordersOf(id)).toHaveLength(1);
  });

  it('keeps an order it cannot take as one import error naming the unknown SKU, redelivered or not', async () => {
    const id = newShopifyId();
    const body = sample(id, ['"SHOPIFY-MUG"', '"TEE-XL"']);
    expect(await deliver(body)).toEqual({ result: 'import_error', externalId: id, error: 'unknown SKU TEE-XL' });
    await deliver(body, 'orders/create', { via: 1 });
    expect(await ordersOf(id)).toHaveLength(0);
    const errors = (await shopify[0].importErrorsOf(CHANNEL, 50)).filter((e) => e.externalId === id);
    expect(errors).toEqual([{ externalId: id, topic: 'orders/create', error: 'unknown SKU TEE-XL', at: expect.any(Date) }]);
  });

  it.each<[string, [string, string][], string]>([
    ['another currency than the catalog', [['"currency": "USD"', '"currency": "EUR"']], 'currency: the catalog prices these items in USD, not EUR'],
    ['no shipping address', [['"shipping_address": {', '"shipping_address": null, "unused": {']], 'the order has no shipping_address'],
  ])('keeps an order with %s as an import error', async (_case, replacements, error) => {
    const id = newShopifyId();
    expect(await deliver(sample(id, ...replacements))).toEqual({ result: 'import_error', externalId: id, error });
    expect(await ordersOf(id)).toHaveLength(0);
  });

  it('keeps an unparsable body with a valid signature as an import error without id, newest first', async () => {
    expect(await deliver('{"id": 1, ')).toEqual({ result: 'import_error', externalId: null, error: 'the body is not valid JSON' });
    const [newest] = await shopify[0].importErrorsOf(CHANNEL, 1);
    expect(newest).toEqual(expect.objectContaining({ externalId: null, error: 'the body is not valid JSON' }));
  });

  it('refuses a wrong secret, an API channel and an unknown channel, storing nothing', async () => {
    const id = newShopifyId();
    const before = await db.query<{ n: string }>('SELECT count(*) AS n FROM channel_import_error');
    expect(await deliver(sample(id), 'orders/create', { secret: 'wrong' })).toEqual({ result: 'unauthorized', knownChannel: true });
    expect(await deliver(sample(id), 'orders/create', { channel: 'WEB' })).toEqual({ result: 'unauthorized', knownChannel: false });
    expect(await deliver(sample(id), 'orders/create', { channel: 'NOPE' })).toEqual({ result: 'unauthorized', knownChannel: false });
    expect(await db.query('SELECT 1 FROM sales_order WHERE external_id = $1', [id])).toHaveLength(0);
    expect(await db.query<{ n: string }>('SELECT count(*) AS n FROM channel_import_error')).toEqual(before);
  });

  it('cancels the order of a Shopify id, again without harm, and keeps an import error for an unknown or packed one', async () => {
    const id = newShopifyId();
    orderOf(await deliver(sample(id)));
    const cancelled = await deliver(sample(id), 'orders/cancelled');
    expect(orderOf(cancelled).status).toBe('CANCELLED');
    expect(await deliver(sample(id), 'orders/cancelled')).toEqual(expect.objectContaining({ result: 'cancelled' }));

    const unknown = newShopifyId();
    expect(await deliver(sample(unknown), 'orders/cancelled')).toEqual({
      result: 'import_error',
      externalId: unknown,
      error: `no order ${unknown} in channel ${CHANNEL} to cancel`,
    });

    const packed = newShopifyId();
    const { id: orderId } = orderOf(await deliver(sample(packed)));
    // Packed as far as cancelling can tell (the e2e spec ships through the fulfilment API).
    const [{ id: facilityId }] = await db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, 'WAREHOUSE', 40.7, -74.0) RETURNING id`,
      [`F-${packed}`],
    );
    await db.query(`UPDATE order_item SET status = 'PACKED', facility_id = $2, queue = NULL WHERE order_id = $1`, [orderId, facilityId]);
    const refused = await deliver(sample(packed), 'orders/cancelled');
    expect(refused).toEqual(expect.objectContaining({ result: 'import_error', error: expect.stringMatching(/^cannot cancel: .*PACKED/) }));
    expect((await ordersOf(packed))[0].status).not.toBe('CANCELLED');
  });

  it('lists the import errors of a known channel only', async () => {
    await expect(shopify[0].importErrorsOf('NOPE', 10)).rejects.toThrow(NotFoundError);
    expect(await shopify[0].importErrorsOf('WEB', 10)).toEqual([]);
  });
});
