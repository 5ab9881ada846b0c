import { ADDRESS, ADMIN_HEADERS, ApiFixture, apiClient, ApiKey, httpRequest, Order, Product, startApi, uniqueSuffix } from '../support/api-fixture';

/**
 * Channels (a storefront, a marketplace) number their orders independently: an externalId is
 * unique within the channel of the API key, and one channel never gets another channel's order.
 */
describe('sales channels: externalId is unique per channel', () => {
  let f: ApiFixture;
  let product: Product;

  beforeAll(async () => {
    f = await startApi('channels');
    product = await f.createProduct({ price: '5.00' });
  });

  afterAll(async () => {
    await f?.stop();
  });

  const keyOf = async (salesChannel: string) => {
    const response = await httpRequest<ApiKey & { salesChannel: string }>(
      `${f.internalUrl}/internal/api-keys`,
      'POST',
      { name: `${salesChannel}-${uniqueSuffix()}`, salesChannel },
      ADMIN_HEADERS,
    );
    expect(response.status).toBe(201);
    expect(response.body.salesChannel).toBe(salesChannel);
    return apiClient(f.url, response.body.key);
  };
  const orderOf = (email: string, externalId: string, quantity = 1) => ({
    externalId,
    customer: { email },
    shippingAddress: ADDRESS,
    items: [{ productId: product.id, quantity }],
  });

  it('the same externalId from two channels makes two orders, each channel getting back only its own', async () => {
    const storefront = await keyOf(`storefront-${uniqueSuffix()}`);
    const marketplace = await keyOf(`marketplace-${uniqueSuffix()}`);
    const externalId = '1001';

    const first = await storefront<Order>('POST', '/orders', orderOf('shopper@example.com', externalId, 1));
    const second = await marketplace<Order>('POST', '/orders', orderOf('buyer@example.net', externalId, 2));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.customer.email).toBe('buyer@example.net');
    expect(second.body.items[0].quantity).toBe(2);

    const storefrontReplay = await storefront<Order>('POST', '/orders', orderOf('shopper@example.com', externalId, 1));
    const marketplaceReplay = await marketplace<Order>('POST', '/orders', orderOf('buyer@example.net', externalId, 2));
    expect([storefrontReplay.status, storefrontReplay.body.id]).toEqual([200, first.body.id]);
    expect([marketplaceReplay.status, marketplaceReplay.body.id]).toEqual([200, second.body.id]);
    expect(first.body).toMatchObject({ externalId, salesChannel: expect.stringMatching(/^storefront-/) });
    expect(second.body).toMatchObject({ externalId, salesChannel: expect.stringMatching(/^marketplace-/) });
  });

  it('two keys of one channel (e.g. a rotated key) share its external ids: one order', async () => {
    const channel = `pos-${uniqueSuffix()}`;
    const oldKey = await keyOf(channel);
    const newKey = await keyOf(channel);
    const first = await oldKey<Order>('POST', '/orders', orderOf('a@example.com', 'R-1'));
    const again = await newKey<Order>('POST', '/orders', orderOf('a@example.com', 'R-1'));
    expect(first.status).toBe(201);
    expect([again.status, again.body.id]).toEqual([200, first.body.id]);
  });

  it('raced across channels with one externalId, every channel ends with exactly one order of its own', async () => {
    const channels = await Promise.all(['web', 'app', 'marketplace'].map((name) => keyOf(`${name}-${uniqueSuffix()}`)));
    const externalId = `RACE-${uniqueSuffix()}`;
    const responses = await Promise.all(
      channels.flatMap((api, index) => Array.from({ length: 5 }, () => api<Order>('POST', '/orders', orderOf(`c${index}@example.com`, externalId)))),
    );
    expect(responses.every((response) => response.status === 200 || response.status === 201)).toBe(true);
    const idsPerChannel = channels.map((_, index) => new Set(responses.slice(index * 5, index * 5 + 5).map((response) => response.body.id)));
    expect(idsPerChannel.map((ids) => ids.size)).toEqual([1, 1, 1]);
    expect(new Set(idsPerChannel.flatMap((ids) => [...ids])).size).toBe(3);
    const stored = await f.sql<{ count: string }>('SELECT count(*) FROM sales_order WHERE external_id = $1', [externalId]);
    expect(Number(stored[0].count)).toBe(3);
  });

  it('a key created without a channel is a channel of its own name', async () => {
    const name = `solo-${uniqueSuffix()}`;
    const response = await httpRequest<{ salesChannel: string }>(`${f.internalUrl}/internal/api-keys`, 'POST', { name }, ADMIN_HEADERS);
    expect(response.status).toBe(201);
    expect(response.body.salesChannel).toBe(name);
  });
});
