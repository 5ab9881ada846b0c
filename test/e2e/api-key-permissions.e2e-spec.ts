/**
 * Least-privilege API keys: a missing permission is a 403, an order or facility outside the key's
 * channels or facilities is a 404 as if it did not exist, lists leave it out, and the cache's early
 * path (L1 hits served before the guards) refuses what the guard refuses. Keys without restrictions
 * keep every power.
 */
import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiCall,
  apiClient,
  ApiFixture,
  ApiKey,
  expectErrorBody,
  Facility,
  httpRequest,
  Order,
  Page,
  Product,
  startApi,
  uniqueSuffix,
} from '../support/api-fixture';
import type { OpenApiDocument } from '../support/schema-arbitraries';

const REPORT = '/reports/sales/daily?from=2026-01-01&to=2026-01-31';

describe('API keys with permissions, channels and facilities', () => {
  let f: ApiFixture;
  let product: Product;
  let warehouse: Facility;
  let store: Facility;

  beforeAll(async () => {
    f = await startApi('key_permissions');
    [product, warehouse, store] = await Promise.all([f.createProduct(), f.createFacility(), f.createFacility()]);
    await Promise.all([f.setStock(warehouse.id, product.id, 100), f.setStock(store.id, product.id, 100)]);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const clientOf = (key: ApiKey): ApiCall => apiClient(f.url, key.key);
  const keyWith = (restrictions: Parameters<ApiFixture['createApiKey']>[1]) => f.createApiKey(`perm-${uniqueSuffix()}`, restrictions);
  const orderBy = async (api: ApiCall): Promise<Order> => {
    const response = await api<Order>('POST', '/orders', {
      customer: { email: 'c@example.com', name: 'Private Customer' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 1 }],
    });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('a key created without restrictions has them all, as GET /internal/api-keys/:id shows', async () => {
    const key = await f.createApiKey();
    const shown = await httpRequest<ApiKey>(`${f.internalUrl}/internal/api-keys/${key.id}`, 'GET', undefined, ADMIN_HEADERS);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(expect.objectContaining({ id: key.id, permissions: null, channels: null, facilities: null }));
    expect(shown.body).not.toHaveProperty('key');
  });

  it('shows a restricted key as it was created, and refuses restrictions that cannot hold', async () => {
    const key = await keyWith({ permissions: ['orders:read'], channels: ['WEB-EU'], facilities: [store.id.toUpperCase()] });
    expect(key).toEqual(
      expect.objectContaining({ salesChannel: 'WEB-EU', permissions: ['orders:read'], channels: ['WEB-EU'], facilities: [store.id] }),
    );
    const create = (body: Record<string, unknown>) =>
      httpRequest(`${f.internalUrl}/internal/api-keys`, 'POST', { name: 'bad', ...body }, ADMIN_HEADERS);
    expectErrorBody(await create({ permissions: ['orders:delete'] }), 400);
    expectErrorBody(await create({ channels: ['A'], salesChannel: 'B' }), 400);
    expectErrorBody(await create({ facilities: ['00000000-0000-4000-8000-000000000000'] }), 400);
    expectErrorBody(await create({ channels: [] }), 400);
    expectErrorBody(await create({ facilities: [{}, '00000000-0000-1000-8000-000000000000'], channels: [0] }), 400);
  });

  it('a key limited to orders:read reads orders but gets 403 on cancel, and the order stays as it was', async () => {
    const owner = await keyWith({ channels: ['READERS'] });
    const order = await orderBy(clientOf(owner));
    const reader = clientOf(await keyWith({ permissions: ['orders:read'], channels: ['READERS'] }));
    expect((await reader<Order>('GET', `/orders/${order.id}`)).status).toBe(200);
    const refused = expectErrorBody(await reader('POST', `/orders/${order.id}/cancel`, {}), 403);
    expect(refused.message).toMatch(/orders:write/);
    expectErrorBody(await reader('POST', '/orders', { customer: { email: 'x@example.com' }, shippingAddress: ADDRESS, items: [] }), 403);
    expect((await clientOf(owner)<Order>('GET', `/orders/${order.id}`)).body.status).not.toBe('CANCELLED');
  });

  it("a key limited to channel X gets 404 on channel Y's order (read, cancel, fulfil) and lists only X's orders", async () => {
    const [x, y] = await Promise.all([keyWith({ channels: [`X-${uniqueSuffix()}`] }), keyWith({ channels: [`Y-${uniqueSuffix()}`] })]);
    const [xOrder, yOrder] = await Promise.all([orderBy(clientOf(x)), orderBy(clientOf(y))]);
    const xApi = clientOf(x);

    // Read by an unrestricted key first, so that anything kept from that read would be there to leak.
    expect((await f.api('GET', `/orders/${yOrder.id}`)).status).toBe(200);
    for (let read = 0; read < 2; read++) expectErrorBody(await xApi('GET', `/orders/${yOrder.id}`), 404);
    expectErrorBody(await xApi('POST', `/orders/${yOrder.id}/cancel`, {}), 404);
    expectErrorBody(await xApi('POST', `/orders/${yOrder.id}/fulfillments`, { facilityId: warehouse.id }), 404);
    expect((await clientOf(y)<Order>('GET', `/orders/${yOrder.id}`)).body.status).not.toBe('CANCELLED');

    const listed = await xApi<Page<Order>>('GET', '/orders?limit=200');
    expect(listed.body.items.map((order) => order.id)).toEqual([xOrder.id]);
    const all = await f.api<Page<Order>>('GET', '/orders?limit=200');
    expect(all.body.items.map((order) => order.id)).toEqual(expect.arrayContaining([xOrder.id, yOrder.id]));
  });

  it("a facility-scoped key cannot change another facility's stock or fulfil from it, and can at its own", async () => {
    const storeKey = clientOf(await keyWith({ permissions: ['inventory:write', 'fulfilment'], facilities: [store.id] }));
    const adjust = (facilityId: string) =>
      storeKey('POST', '/inventory/adjustments', { facilityId, productId: product.id, delta: 5, reason: 'count' });
    expectErrorBody(await adjust(warehouse.id), 404);
    expectErrorBody(await storeKey('PUT', `/inventory/${warehouse.id}/${product.id}`, { quantityOnHand: 1 }), 404);
    const warehouseRow = await f.sql<{ quantity_on_hand: number }>(
      'SELECT quantity_on_hand FROM inventory_item WHERE facility_id = $1 AND product_id = $2',
      [warehouse.id, product.id],
    );
    expect(warehouseRow[0].quantity_on_hand).toBe(100);
    expect((await adjust(store.id)).status).toBe(201);

    const order = await orderBy(f.api);
    await f.brokerOrders(order.id);
    expectErrorBody(await storeKey('POST', `/orders/${order.id}/fulfillments`, { facilityId: warehouse.id }), 404);
  });

  it('a key without reports:read gets 403 on a report, also once the report is served from the cache before the guards', async () => {
    const first = await f.api('GET', REPORT);
    expect(first.status).toBe(200);
    const cached = await f.api('GET', REPORT);
    expect(cached.headers.get('x-cache-tier')).toBe('l1');

    const noReports = clientOf(await keyWith({ permissions: ['orders:read'] }));
    for (let attempt = 0; attempt < 3; attempt++) expectErrorBody(await noReports('GET', REPORT), 403);
    expect((await clientOf(await keyWith({ permissions: ['reports:read'] }))('GET', REPORT)).status).toBe(200);
  });

  it('a key with no permissions gets 403 on every public write endpoint, and every one documents it', async () => {
    const document = (await httpRequest<OpenApiDocument>(`${f.url}/docs/json`, 'GET')).body;
    const writes = Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method) && path.startsWith('/api/v1/'))
        .map(([method, operation]) => ({ method, path, operation: operation as { responses: Record<string, unknown> } })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const nothing = clientOf(await keyWith({ permissions: [] }));
    for (const { method, path, operation } of writes) {
      expect({ method, path, documents403: '403' in operation.responses }).toEqual({ method, path, documents403: true });
      const url = path.replace('/api/v1', '').replace(/\{\w+\}/g, warehouse.id);
      const response = await nothing(method.toUpperCase() as 'POST', url, {});
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
    expect((await nothing('GET', `/products/${product.id}`)).status).toBe(200);
  });
});
