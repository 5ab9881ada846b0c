import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import {
  ADMIN_HEADERS,
  ApiFixture,
  documentedRequest,
  expectErrorBody,
  expectValidationError,
  Facility,
  Fulfillment,
  httpRequest,
  Order,
  startApi,
} from '../support/api-fixture';
import { scrapeMetrics, sampleValue } from '../support/prometheus';

const SAMPLE = readFileSync(join(__dirname, '../fixtures/shopify/orders-create.json'), 'utf8');
const SAMPLE_ID = '820982911946154508';
const CHANNEL = 'SHOP_US';
const SECRET = 'shpss_e2e_0123456789';

interface WebhookResult {
  result: 'created' | 'duplicate' | 'cancelled' | 'import_error';
  order?: Order;
  externalId?: string | null;
  error?: string;
}

interface ImportError {
  externalId: string | null;
  topic: string;
  error: string;
  at: string;
}

interface Channel {
  code: string;
  name: string;
  type: string;
  facilityGroup: string | null;
  thresholdUnits: number;
}

/** Shopify's header: the base64 HMAC-SHA256 of the body's bytes with the secret. */
function sign(body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/** The sample order's raw text with another 18-digit id (replaced as text, never through a JS number) and other text changes. */
function sample(id: string, ...replacements: [string, string][]): string {
  let text = SAMPLE.replaceAll(SAMPLE_ID, id);
  for (const [from, to] of replacements) text = text.replaceAll(from, to);
  return text;
}

function newShopifyId(): string {
  return `8${(randomBytes(8).readBigUInt64BE() % 10n ** 17n).toString().padStart(17, '0')}`;
}

/**
 * Shopify's order webhooks on the built sync-api over HTTP (docs/api.md, Channels): the signature
 * over the raw body, the exact 18-digit id, redeliveries, cancels, import errors, bad input; and the
 * channels' admin routes they depend on.
 */
describe('Shopify orders in', () => {
  let f: ApiFixture;
  let facility: Facility;

  beforeAll(async () => {
    f = await startApi('shopify');
    const created = await documentedRequest(
      `${f.internalUrl}/internal/channels`,
      'POST',
      { code: CHANNEL, name: 'Shop US', type: 'SHOPIFY', webhookSecret: SECRET },
      ADMIN_HEADERS,
    );
    expect(created.status).toBe(201);
    facility = await f.createFacility();
    for (const sku of ['SHOPIFY-TEE-BLK-M', 'SHOPIFY-MUG']) {
      const product = await f.createProduct({ sku, price: '25.00' });
      await f.setStock(facility.id, product.id, 1000);
    }
  });

  afterAll(async () => {
    await f?.stop();
  });

  /** POST of a webhook, signed with the channel's secret unless `signature` is given (null: no header). */
  const webhook = (topic: string, body: string, signature: string | null = sign(body), channel = CHANNEL) =>
    documentedRequest<WebhookResult>(`${f.url}/webhooks/shopify/${channel}/${topic}`, 'POST', body, {
      'x-shopify-hmac-sha256': signature ?? undefined,
    });
  const storedOrders = (externalId: string) =>
    f.sql<{ id: string; external_id: string }>('SELECT id, external_id FROM sales_order WHERE sales_channel = $1 AND external_id = $2', [
      CHANNEL,
      externalId,
    ]);
  const importErrors = async (query = '') => {
    const response = await documentedRequest<{ items: ImportError[] }>(
      `${f.internalUrl}/internal/channels/${CHANNEL}/import-errors${query}`,
      'GET',
      undefined,
      ADMIN_HEADERS,
    );
    expect(response.status).toBe(200);
    return response.body.items;
  };

  it('a correct signature creates the order with the exact 18-digit externalId, stored as that string', async () => {
    const response = await webhook('orders-create', SAMPLE);
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('created');
    expect(response.body.order).toEqual(
      expect.objectContaining({
        externalId: SAMPLE_ID,
        salesChannel: CHANNEL,
        total: '91.46',
        customer: { email: 'jon@example.com', name: 'John Smith' },
      }),
    );
    expect(response.body.order!.shippingAddress).not.toHaveProperty('latitude');
    expect(await storedOrders(SAMPLE_ID)).toEqual([expect.objectContaining({ external_id: SAMPLE_ID })]);
    const listed = await f.api<{ items: Order[] }>('GET', `/orders?salesChannel=${CHANNEL}&externalId=${SAMPLE_ID}`);
    expect(listed.body.items.map((order) => order.externalId)).toEqual([SAMPLE_ID]);
  });

  it('a wrong, a missing, or a signature over the re-serialised body gives 401 and stores nothing', async () => {
    const id = newShopifyId();
    const body = sample(id, ['"SHOPIFY-MUG"', '"TEE-XL"']);
    const reserialised = JSON.stringify(JSON.parse(body));
    const importErrorsBefore = (await importErrors('?limit=200')).length;
    for (const signature of [sign(body, 'another secret'), null, sign(reserialised), '', 'x'.repeat(44)]) {
      expectErrorBody(await webhook('orders-create', body, signature), 401);
      expectErrorBody(await webhook('orders-cancelled', body, signature), 401);
    }
    expect(await storedOrders(id)).toEqual([]);
    expect(await importErrors('?limit=200')).toHaveLength(importErrorsBefore);
    const metrics = await scrapeMetrics(f.internalUrl);
    expect(sampleValue(metrics, 'shopify_webhook_signature_failures_total', { channel: CHANNEL })).toBeGreaterThanOrEqual(10);
    expect(
      sampleValue(metrics, 'shopify_webhooks_received_total', { channel: CHANNEL, topic: 'orders/create', result: 'unauthorized' }),
    ).toBeGreaterThanOrEqual(5);
  });

  it('the same webhook delivered 5 times concurrently makes one order', async () => {
    const id = newShopifyId();
    const body = sample(id);
    const responses = await Promise.all(Array.from({ length: 5 }, () => webhook('orders-create', body)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.body.result).sort()).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(responses.map((r) => r.body.order!.id)).size).toBe(1);
    expect(await storedOrders(id)).toHaveLength(1);
    const metrics = await scrapeMetrics(f.internalUrl);
    expect(
      sampleValue(metrics, 'shopify_webhooks_received_total', { channel: CHANNEL, topic: 'orders/create', result: 'duplicate' }),
    ).toBeGreaterThanOrEqual(4);
  });

  it('orders-cancelled cancels the order, and once an order has shipped records an import error instead', async () => {
    const id = newShopifyId();
    const order = (await webhook('orders-create', sample(id))).body.order!;
    const cancelled = await webhook('orders-cancelled', sample(id));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual(
      expect.objectContaining({ result: 'cancelled', order: expect.objectContaining({ id: order.id, status: 'CANCELLED' }) }),
    );
    expect((await webhook('orders-cancelled', sample(id))).body.result).toBe('cancelled');

    const shippedId = newShopifyId();
    const shippedOrder = (await webhook('orders-create', sample(shippedId))).body.order!;
    await f.brokerOrders(shippedOrder.id);
    const shipped = await f.api<Fulfillment>('POST', `/orders/${shippedOrder.id}/fulfillments`, { facilityId: facility.id });
    expect(shipped.status).toBe(201);
    const refused = await webhook('orders-cancelled', sample(shippedId));
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual(
      expect.objectContaining({ result: 'import_error', externalId: shippedId, error: expect.stringContaining('SHIPPED') }),
    );
    expect((await f.api<Order>('GET', `/orders/${shippedOrder.id}`)).body.status).not.toBe('CANCELLED');
    expect((await importErrors())[0]).toEqual({
      externalId: shippedId,
      topic: 'orders/cancelled',
      error: refused.body.error,
      at: expect.any(String),
    });
  });

  it('an unknown SKU gives 200 and an import error naming it, listed newest first at the internal endpoint', async () => {
    const id = newShopifyId();
    const response = await webhook('orders-create', sample(id, ['"SHOPIFY-MUG"', '"TEE-XL"']));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ result: 'import_error', externalId: id, error: 'unknown SKU TEE-XL' });
    expect(await storedOrders(id)).toEqual([]);
    expect(await importErrors('?limit=1')).toEqual([{ externalId: id, topic: 'orders/create', error: 'unknown SKU TEE-XL', at: expect.any(String) }]);
    const unparsable = await webhook('orders-create', '{"id": 1, ');
    expect(unparsable.body).toEqual({ result: 'import_error', externalId: null, error: 'the body is not valid JSON' });
  });

  it.each<[string, string, string, number]>([
    ['an unknown channel', 'POST', `/webhooks/shopify/NOPE/orders-create`, 401],
    ['a malformed channel code', 'POST', `/webhooks/shopify/${encodeURIComponent('a b/../\u00e9\u0000')}/orders-create`, 401],
    ['a channel code far too long', 'POST', `/webhooks/shopify/${'C'.repeat(2000)}/orders-create`, 414],
    ['a channel code of 101 characters', 'POST', `/webhooks/shopify/${'C'.repeat(101)}/orders-create`, 414],
    ['an unknown channel code of 100 characters', 'POST', `/webhooks/shopify/${'C'.repeat(100)}/orders-create`, 401],
    ['a bad percent-encoding', 'POST', `/webhooks/shopify/%zz/orders-create`, 400],
    ['an unknown topic', 'POST', `/webhooks/shopify/${CHANNEL}/orders-updated`, 404],
    ['GET', 'GET', `/webhooks/shopify/${CHANNEL}/orders-create`, 404],
  ])('%s gives %s', async (_case, method, path, status) => {
    const body = sample(newShopifyId());
    expectErrorBody(
      await httpRequest(`${f.url}${path}`, method, method === 'GET' ? undefined : body, { 'x-shopify-hmac-sha256': sign(body) }),
      status,
    );
  });

  it('any channel code, topic and body, signed or not, gives 200 or a documented 4xx, never a 5xx', async () => {
    const parsed = JSON.parse(SAMPLE) as Record<string, Record<string, unknown>[] & Record<string, unknown>>;
    const fields: (string | number)[][] = [
      ...Object.keys(parsed).map((key) => [key]),
      ...Object.keys(parsed.line_items[0]).map((key) => ['line_items', 0, key]),
      ...Object.keys(parsed.shipping_address).map((key) => ['shipping_address', key]),
    ];
    // The sample with one field (top level, first line or address) replaced by any JSON value.
    const mutated = fc.tuple(fc.constantFrom(...fields), fc.jsonValue()).map(([path, value]) => {
      const copy = structuredClone(parsed) as Record<string | number, unknown>;
      const holder = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
      holder[path[path.length - 1]] = value;
      return JSON.stringify(copy).replace(/^\{"id":[^,]*/, `{"id":${newShopifyId()}`);
    });
    const channel = fc.oneof(
      { weight: 3, arbitrary: fc.constant(CHANNEL) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 120 }).filter((v) => v !== '.' && v !== '..') },
    );
    const body = fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: fc.json() });
    await fc.assert(
      fc.asyncProperty(channel, fc.constantFrom('orders-create', 'orders-cancelled'), body, fc.boolean(), async (code, topic, text, signed) => {
        const response = await httpRequest<WebhookResult>(`${f.url}/webhooks/shopify/${encodeURIComponent(code)}/${topic}`, 'POST', text, {
          'x-shopify-hmac-sha256': signed ? sign(text) : sign(text, 'not the secret'),
        });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expectErrorBody(response, response.status);
        else expect(['created', 'duplicate', 'cancelled', 'import_error']).toContain(response.body.result);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses other content types (415), bodies over 1 MB (413), the internal port (404) and an API channel (401)', async () => {
    const body = sample(newShopifyId());
    const url = `${f.url}/webhooks/shopify/${CHANNEL}/orders-create`;
    expectErrorBody(await httpRequest(url, 'POST', body, { 'content-type': 'text/plain', 'x-shopify-hmac-sha256': sign(body) }), 415);
    const huge = body.replace('"note": null', `"note": "${'x'.repeat(1_100_000)}"`);
    expectErrorBody(await httpRequest(url, 'POST', huge, { 'x-shopify-hmac-sha256': sign(huge) }), 413);
    expectErrorBody(
      await httpRequest(`${f.internalUrl}/webhooks/shopify/${CHANNEL}/orders-create`, 'POST', body, { 'x-shopify-hmac-sha256': sign(body) }),
      404,
    );
    await documentedRequest(`${f.internalUrl}/internal/channels`, 'POST', { code: 'WEB', name: 'Web', type: 'API' }, ADMIN_HEADERS);
    expectErrorBody(await webhook('orders-create', body, sign(body), 'WEB'), 401);
  });

  it('import errors: 404 for an unknown channel, 400 for a bad limit, 401 without the admin token', async () => {
    expectErrorBody(await httpRequest(`${f.internalUrl}/internal/channels/NOPE/import-errors`, 'GET', undefined, ADMIN_HEADERS), 404);
    for (const limit of ['0', '201', 'abc', '-1', '1.5']) {
      expectValidationError(
        await httpRequest(`${f.internalUrl}/internal/channels/${CHANNEL}/import-errors?limit=${limit}`, 'GET', undefined, ADMIN_HEADERS),
        'limit',
      );
    }
    expectErrorBody(await httpRequest(`${f.internalUrl}/internal/channels/${CHANNEL}/import-errors`, 'GET'), 401);
  });

  describe('channels (/internal/channels)', () => {
    const channels = (method: string, path = '', body?: unknown) =>
      documentedRequest<Channel>(`${f.internalUrl}/internal/channels${path}`, method, body, ADMIN_HEADERS);

    it('creates, lists, reads, renames and sets the threshold of a channel, never showing its secret', async () => {
      const created = await channels('POST', '', { code: 'SHOP_CA', name: 'Shop CA', type: 'SHOPIFY', webhookSecret: 'ca-secret-1' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual(expect.objectContaining({ code: 'SHOP_CA', type: 'SHOPIFY', facilityGroup: null, thresholdUnits: 0 }));
      const list = await documentedRequest<{ items: Channel[] }>(`${f.internalUrl}/internal/channels`, 'GET', undefined, ADMIN_HEADERS);
      expect(list.body.items.map((c) => c.code)).toEqual(expect.arrayContaining([CHANNEL, 'SHOP_CA']));
      expect((await channels('PATCH', '/SHOP_CA', { name: 'Shop Canada' })).body.name).toBe('Shop Canada');
      expect((await channels('PUT', '/SHOP_CA/threshold', { units: 2 })).body.thresholdUnits).toBe(2);
      expect((await channels('GET', '/SHOP_CA')).body).toEqual(expect.objectContaining({ name: 'Shop Canada', thresholdUnits: 2 }));
      for (const response of [created, list, await channels('GET', '/SHOP_CA')]) expect(JSON.stringify(response.body)).not.toContain('ca-secret-1');
    });

    it('a rotated secret verifies webhooks at once, and the old one no longer does', async () => {
      await channels('POST', '', { code: 'SHOP_ROT', name: 'Rotating', type: 'SHOPIFY', webhookSecret: 'old-secret' });
      const body = sample(newShopifyId());
      expect((await webhook('orders-create', body, sign(body, 'old-secret'), 'SHOP_ROT')).status).toBe(200);
      expect((await channels('PATCH', '/SHOP_ROT', { webhookSecret: 'new-secret' })).status).toBe(200);
      const next = sample(newShopifyId());
      expectErrorBody(await webhook('orders-create', next, sign(next, 'old-secret'), 'SHOP_ROT'), 401);
      expect((await webhook('orders-create', next, sign(next, 'new-secret'), 'SHOP_ROT')).body.result).toBe('created');
    });

    it.each<[string, string, string, unknown, string | undefined]>([
      ['a bad code', 'POST', '', { code: 'a b', name: 'n', type: 'API' }, 'code'],
      ['an unknown type', 'POST', '', { code: 'X1', name: 'n', type: 'EBAY' }, 'type'],
      ['a Shopify channel without secret', 'POST', '', { code: 'X2', name: 'n', type: 'SHOPIFY' }, 'webhookSecret'],
      ['an unknown facility group', 'POST', '', { code: 'X3', name: 'n', type: 'API', facilityGroup: 'NOPE' }, 'facilityGroup'],
      ['an empty name', 'PATCH', `/${CHANNEL}`, { name: '' }, 'name'],
      ['a negative threshold', 'PUT', `/${CHANNEL}/threshold`, { units: -1 }, 'units'],
      ['a threshold that is not an integer', 'PUT', `/${CHANNEL}/threshold`, { units: '2' }, 'units'],
    ])('refuses %s with a 400 naming the field', async (_case, method, path, body, field) => {
      expectValidationError(await channels(method, path, body), field);
    });

    it('409 for a duplicate code, 404 for an unknown channel', async () => {
      expectErrorBody(await channels('POST', '', { code: CHANNEL, name: 'again', type: 'API' }), 409);
      expectErrorBody(await channels('GET', '/NOPE'), 404);
      expectErrorBody(await channels('PATCH', '/NOPE', { name: 'x' }), 404);
      expectErrorBody(await channels('PUT', '/NOPE/threshold', { units: 1 }), 404);
    });
  });
});
