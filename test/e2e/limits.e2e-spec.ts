import { ApiFixture, expectErrorBody, startApi } from '../support/api-fixture';

const address = { line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 };

describe('values at the limits of what the database stores get a 4xx, not a 500', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('limits');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('an order whose total exceeds numeric(16,2) is a 400 naming items, and nothing is stored', async () => {
    const product = await f.createProduct({ price: '999999999999.99' });
    const response = await f.api('POST', '/orders', {
      customer: { email: 'big@example.com' },
      shippingAddress: address,
      items: [{ productId: product.id, quantity: 100_000 }],
    });
    expectErrorBody(response, 400);
    expect(await f.sql('SELECT id FROM sales_order')).toEqual([]);
  });

  it('adjustments that would push on-hand past the maximum are a 409 and leave the row as it was', async () => {
    const [product, facility] = await Promise.all([f.createProduct(), f.createFacility()]);
    await f.setStock(facility.id, product.id, 1_000_000_000);
    const adjust = (delta: number) =>
      f.api('POST', '/inventory/adjustments', { facilityId: facility.id, productId: product.id, delta, reason: 'limit' });
    for (let i = 0; i < 3; i++) expectErrorBody(await adjust(1_000_000_000), 409);
    const { body } = await f.api<{ items: { quantityOnHand: number }[] }>('GET', `/inventory?productId=${product.id}`);
    expect(body.items[0].quantityOnHand).toBe(1_000_000_000);
    expect((await adjust(-1)).status).toBe(201);
  });
});
