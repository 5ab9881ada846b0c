import {
  ADDRESS,
  ADMIN_HEADERS,
  apiClient,
  ApiCall,
  ApiFixture,
  expectErrorBody,
  httpRequest,
  Order,
  Product,
  startApi,
  uniqueSuffix,
} from '../support/api-fixture';
import { valueWithin } from '../support/http';
import { assertInvariants } from '../support/invariants';

interface ChannelAvailability {
  productId: string;
  sku: string;
  available: number;
}
interface ChangePage {
  items: (ChannelAvailability & { at: string })[];
  nextCursor: string;
}
interface SnapshotPage {
  takenAt: string;
  feedCursor: string;
  items: ChannelAvailability[];
  nextCursor: string | null;
}

/**
 * A channel's availability over HTTP on two instances and a worker: a write through one instance
 * shows on the other as soon as it has answered (the cached path), the change feed pages over
 * HTTP, the worker's nightly job writes a snapshot, and bad parameters are 400 or 404.
 */
describe('channel availability, its change feed and snapshot over two instances', () => {
  let f: ApiFixture;
  let a: ApiCall;
  let b: ApiCall;
  let product: Product;
  let channel: string;
  let east: string;
  let west: string;

  beforeAll(async () => {
    f = await startApi('availability');
    const second = await f.startInstance();
    a = f.api;
    b = apiClient(second.url, f.key.key);
    product = await f.createProduct({ price: '5.00' });
    [east, west] = [(await f.createFacility({ type: 'STORE' })).id, (await f.createFacility({ type: 'STORE' })).id];
    const warehouse = (await f.createFacility()).id;
    await f.setStock(east, product.id, 5);
    await f.setStock(west, product.id, 4);
    await f.setStock(warehouse, product.id, 10);
    const group = await a<{ id: string }>('POST', '/facility-groups', { code: `STORES-${uniqueSuffix()}`, name: 'Stores', type: 'CHANNEL' });
    for (const facilityId of [east, west])
      expect((await a('PUT', `/facility-groups/${group.body.id}/members/${facilityId}`, { sequence: 1 })).status).toBe(200);
    channel = `WEB-${uniqueSuffix()}`;
    const internal = (method: string, path: string, body?: unknown) =>
      httpRequest(`${f.internalUrl}/internal/channels${path}`, method, body, ADMIN_HEADERS);
    const groupCode = (await a<{ code: string }>('GET', `/facility-groups/${group.body.id}`)).body.code;
    expect((await internal('POST', '', { code: channel, name: 'Web', type: 'API', facilityGroup: groupCode })).status).toBe(201);
    expect((await internal('PUT', `/${channel}/threshold`, { units: 2 })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await f?.stop();
  });

  const availableOn = async (api: ApiCall, query = `productId=${product.id}`) => {
    const response = await api<ChannelAvailability>('GET', `/channels/${channel}/availability?${query}`);
    expect(response.status).toBe(200);
    return response.body.available;
  };
  const bothShow = async (expected: number) => {
    // Twice on B: the second answer may come from its L1, which the write must have dropped.
    expect([await availableOn(a), await availableOn(b), await availableOn(b, `sku=${encodeURIComponent(product.sku)}`)]).toEqual([
      expected,
      expected,
      expected,
    ]);
  };

  it("shows the two stores' brokerable sum minus 2 on both instances, by id and by SKU, from the cache", async () => {
    await bothShow(5 + 4 - 2);
    const again = await b('GET', `/channels/${channel}/availability?productId=${product.id}`);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.body).toEqual({ productId: product.id, sku: product.sku, available: 7 });
  });

  it('follows receipts, minimum stock, new orders and the threshold on the other instance as soon as the write has answered', async () => {
    await bothShow(7);
    expect((await a('POST', '/inventory/adjustments', { facilityId: east, productId: product.id, delta: 3, reason: 'received' })).status).toBe(201);
    await bothShow(10);
    expect((await a('PUT', `/inventory/${west}/${product.id}`, { minimumStock: 1 })).status).toBe(200);
    await bothShow(9);
    const order = await a<Order>('POST', '/orders', {
      customer: { email: 'web@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 2 }],
    });
    expect(order.status).toBe(201);
    await bothShow(7);
    expect((await httpRequest(`${f.internalUrl}/internal/channels/${channel}/threshold`, 'PUT', { units: 0 }, ADMIN_HEADERS)).status).toBe(200);
    await bothShow(9);
    expect((await a('POST', `/orders/${order.body.id}/cancel`)).status).toBe(200);
    await bothShow(11);
  });

  it('pages the change feed over HTTP in commit order, ending on the current value, resumable at the end', async () => {
    const items: ChangePage['items'] = [];
    let cursor = '';
    for (;;) {
      const page = await b<ChangePage>('GET', `/channels/${channel}/availability/changes?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      if (page.body.items.length < 2) break;
    }
    expect(items.filter((item) => item.productId === product.id).map((item) => item.available)).toEqual([9, 7, 10, 9, 7, 9, 11]);
    const end = await a<ChangePage>('GET', `/channels/${channel}/availability/changes?cursor=${cursor}`);
    expect(end.body).toEqual({ items: [], nextCursor: cursor });
    expect((await a('POST', '/inventory/adjustments', { facilityId: east, productId: product.id, delta: 1, reason: 'received' })).status).toBe(201);
    const next = await a<ChangePage>('GET', `/channels/${channel}/availability/changes?cursor=${cursor}`);
    expect(next.body.items).toEqual([{ productId: product.id, sku: product.sku, available: 12, at: expect.any(String) }]);
    // Instance A served this channel's feed up to its newest change: no lag.
    const metrics = await (await fetch(`${f.internalUrl}/metrics`, { headers: ADMIN_HEADERS })).text();
    expect(metrics).toContain(`availability_feed_lag_seconds{channel="${channel}"} 0`);
  });

  it("answers 404 for an unknown channel or product and a channel outside the key's, and 400 for bad parameters, never 500", async () => {
    const restricted = apiClient(f.url, (await f.createApiKey(`other-${uniqueSuffix()}`, { channels: ['elsewhere'] })).key);
    const notFound = [
      [a, `/channels/NOPE-${uniqueSuffix()}/availability?productId=${product.id}`],
      [a, `/channels/${channel}/availability?productId=00000000-0000-4000-8000-000000000000`],
      [a, `/channels/${channel}/availability?sku=NO-SUCH-SKU`],
      [a, `/channels/NOPE/availability/changes`],
      [a, `/channels/${channel}/availability/snapshot`],
      [restricted, `/channels/${channel}/availability?productId=${product.id}`],
      [restricted, `/channels/${channel}/availability/changes`],
    ] as const;
    for (const [api, path] of notFound) expectErrorBody(await api('GET', path), 404);
    // The restricted key is refused before the cache, which holds the channel's answer for other keys.
    const badRequests = [
      `/channels/${channel}/availability`,
      `/channels/${channel}/availability?productId=${product.id}&sku=${product.sku}`,
      `/channels/${channel}/availability?productId=not-a-uuid`,
      `/channels/${channel}/availability/changes?cursor=garbage`,
      `/channels/${channel}/availability/changes?cursor=${Buffer.from('["f","-1"]').toString('base64url')}`,
      `/channels/${channel}/availability/changes?cursor=${Buffer.from('["f","99999999999999999999"]').toString('base64url')}`,
      `/channels/${channel}/availability/changes?limit=0`,
      `/channels/${channel}/availability/changes?limit=201`,
      `/channels/${channel}/availability/changes?limit=abc`,
      `/channels/${channel}/availability/snapshot?limit=0`,
    ];
    for (const path of badRequests) expectErrorBody(await a('GET', path), 400);
  });

  it("the worker's schedule writes a snapshot equal to the current values, with the feed cursor to go on from", async () => {
    await f.startWorker({ AVAILABILITY_SNAPSHOT_CRON: '* * * * * *' });
    const snapshot = await valueWithin(
      async () => {
        const response = await a<SnapshotPage>('GET', `/channels/${channel}/availability/snapshot?limit=200`);
        return response.status === 200 ? response.body : undefined;
      },
      'the first snapshot',
      15_000,
    );
    expect(snapshot.items).toContainEqual({ productId: product.id, sku: product.sku, available: await availableOn(a) });
    const after = await a<ChangePage>('GET', `/channels/${channel}/availability/changes?cursor=${snapshot.feedCursor}`);
    expect(after.status).toBe(200);
    expectErrorBody(await a('GET', `/channels/${channel}/availability/snapshot?cursor=garbage`), 400);
    await assertInvariants(f.databases.databaseUrl, { withoutWorkers: true });
  });
});
