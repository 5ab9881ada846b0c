import { ADDRESS, ApiFixture, apiClient, Facility, InventoryRow, Order, Product, startApi } from '../support/api-fixture';

const ROUNDS = 25;
const ORDERS_PER_ROUND = 6;

/**
 * Cancel and fulfil lock the order, its items and the inventory rows they touch. Two multi-line
 * orders over the same products, in opposite line order, cancelled and fulfilled at the same time
 * on two instances: with one global lock order there is no deadlock (and deadlocks that happen
 * anyway are retried), so never a 5xx, and the ledger still explains every balance.
 */
describe('lock order: concurrent cancel and fulfil of multi-line orders never deadlock', () => {
  let f: ApiFixture;
  let products: Product[];
  let facility: Facility;

  beforeAll(async () => {
    f = await startApi('locks');
    facility = await f.createFacility();
    products = [];
    for (let i = 0; i < 3; i++) {
      const product = await f.createProduct();
      await f.setStock(facility.id, product.id, 1_000_000);
      products.push(product);
    }
  });

  afterAll(async () => {
    await f?.stop();
  });

  const createOrder = async (lineOrder: Product[]) => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'race@example.com' },
      shippingAddress: ADDRESS,
      items: lineOrder.map((product, index) => ({ productId: product.id, quantity: index + 1 })),
    });
    expect(response.status).toBe(201);
    return response.body;
  };

  it(`${ROUNDS} rounds of ${ORDERS_PER_ROUND} orders in opposite line order, cancelled and fulfilled concurrently over two instances: zero 5xx, ledger consistent`, async () => {
    const second = await f.startInstance();
    const apis = [f.api, apiClient(second.url, f.key.key)];
    const forward = products;
    const backward = [...products].reverse();
    const statuses: number[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const orders: Order[] = [];
      for (let i = 0; i < ORDERS_PER_ROUND; i++) orders.push(await createOrder(i % 2 === 0 ? forward : backward));
      await f.brokerOrders(...orders.map((order) => order.id));

      const responses = await Promise.all(
        orders.map((order, i) => {
          const api = apis[i % 2];
          return (i + round) % 2 === 0
            ? api('POST', `/orders/${order.id}/cancel`, { reason: 'race' })
            : api('POST', `/orders/${order.id}/fulfillments`, { facilityId: facility.id });
        }),
      );
      statuses.push(...responses.map((response) => response.status));
    }

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.every((status) => status === 200 || status === 201)).toBe(true);

    for (const product of products) {
      const [row] = (await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${facility.id}&productId=${product.id}`)).body.items;
      const [sums] = await f.sql<{ on_hand: string; reserved: string }>(
        'SELECT sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved FROM inventory_ledger WHERE facility_id = $1 AND product_id = $2',
        [facility.id, product.id],
      );
      expect(row.quantityReserved).toBe(0);
      expect([Number(sums.on_hand), Number(sums.reserved)]).toEqual([row.quantityOnHand, row.quantityReserved]);
      expect(row.quantityOnHand).toBeLessThan(1_000_000);
    }
  });
});
