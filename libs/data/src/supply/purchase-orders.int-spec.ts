import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertCreatedItems, insertProduct } from '../../../../test/support/fixture-rows';
import { assertInvariants } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { RESERVING_ITEM_STATUSES } from '../lifecycle/statuses';

const RACE_ROUNDS = 50;
/** The services are called directly: no worker relays the outbox. */
const SERVICES_ONLY = { withoutWorkers: true };

interface ItemState {
  orderId: string;
  status: string;
  facilityId: string | null;
  promiseDate: string | null;
  promisedPurchaseOrderId: string | null;
}

/**
 * Purchase orders, receipts and pre-order promises through the services on real PostgreSQL, from
 * two "processes" (each its own pool): receipts put units on hand with ledger rows and allocate
 * backorders oldest first; promises go first come, first promised, to the earliest purchase order
 * with open quantity, and move when an earlier one arrives; no receipt takes more than a line has
 * open, even racing another receipt and brokering.
 */
describe('PurchaseOrdersService and promises (real PostgreSQL)', () => {
  const name = `oms_supply_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof dataServicesOn>;
  let other: ReturnType<typeof dataServicesOn>;
  let warehouse: string;
  /** Orders are created a minute apart, in the past, so that "oldest" is unambiguous. */
  let minutesAgo = 100_000;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'supply-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'supply-int-spec')));
    [api, other] = pools.map((pool) => dataServicesOn(pool));
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO facility (code, name, type, latitude, longitude) VALUES ($1, $1, 'WAREHOUSE', 40.7, -74.0) RETURNING id`,
      [`F-${randomUUID()}`],
    );
    warehouse = id;
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  /** Approved orders of one line each, oldest first, brokered (backordered: there is no stock); returns their item ids in age order. */
  async function backorders(productId: string, quantities: number[]): Promise<{ orderIds: string[]; itemIds: string[] }> {
    const minutes = quantities.map(() => minutesAgo--);
    const rows = await api.db.query<{ orderId: string; itemId: string; at: Date }>(
      `WITH o AS (
         INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, created_at)
         SELECT 'APPROVED', 'ada@example.com', $1, 0, 'test', now() - make_interval(mins => m) FROM unnest($2::int[]) AS t(m)
         RETURNING id, created_at
       ), numbered AS (SELECT id, row_number() OVER (ORDER BY created_at) AS n FROM o)
       INSERT INTO order_item (order_id, line_number, product_id, sku, quantity, unit_price, status, queue)
       SELECT numbered.id, 1, p.id, p.sku, q.quantity, 1, 'CREATED', 'BROKERING'
         FROM numbered JOIN unnest($3::int[]) WITH ORDINALITY AS q(quantity, n) USING (n) CROSS JOIN product p
        WHERE p.id = $4
       RETURNING order_id AS "orderId", id AS "itemId", (SELECT created_at FROM o WHERE o.id = order_id) AS at`,
      [
        JSON.stringify({ line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 }),
        minutes,
        quantities,
        productId,
      ],
    );
    // Oldest first: the order they were placed in.
    const ordered = [...rows].sort((a, b) => a.at.getTime() - b.at.getTime());
    const orderIds = ordered.map((row) => row.orderId);
    if (orderIds.length > 0) await api.brokering.brokerOrders(orderIds);
    return { orderIds, itemIds: ordered.map((row) => row.itemId) };
  }

  async function items(itemIds: string[]): Promise<ItemState[]> {
    const rows = await api.db.query<ItemState & { id: string }>(
      `SELECT id, order_id AS "orderId", status, facility_id AS "facilityId", to_char(promise_date, 'YYYY-MM-DD') AS "promiseDate",
              promised_purchase_order_id AS "promisedPurchaseOrderId" FROM order_item WHERE id = ANY($1::uuid[])`,
      [itemIds],
    );
    return itemIds.map((id) => rows.find((row) => row.id === id)!);
  }

  const purchaseOrder = (productId: string, quantity: number, expectedDate: string) =>
    api.purchaseOrders.create({ facilityId: warehouse, expectedDate, items: [{ productId, quantity }] }, 'buyer');

  it('receives 30 of a 50-unit purchase order against 40 backordered units: the 30 oldest are allocated, the rest wait promised', async () => {
    const productId = await insertProduct(api.db);
    const { itemIds } = await backorders(
      productId,
      Array.from({ length: 40 }, () => 1),
    );
    expect(new Set((await items(itemIds)).map((item) => item.status))).toEqual(new Set(['BACKORDERED']));
    const po = await purchaseOrder(productId, 50, '2027-02-01');
    expect((await items(itemIds)).every((item) => item.promiseDate === '2027-02-01' && item.promisedPurchaseOrderId === po.id)).toBe(true);
    expect(po.items[0]).toMatchObject({ quantity: 50, receivedQuantity: 0, openQuantity: 50, promisedQuantity: 40 });

    const received = await api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 30 }] }, 'dock');

    expect(received).toMatchObject({
      status: 'OPEN',
      items: [expect.objectContaining({ receivedQuantity: 30, openQuantity: 20, promisedQuantity: 10 })],
    });
    expect(received.receipts).toEqual([expect.objectContaining({ actor: 'dock', items: [{ productId, quantity: 30 }] })]);
    const after = await items(itemIds);
    expect(after.slice(0, 30).map((item) => [item.status, item.facilityId, item.promiseDate])).toEqual(
      Array.from({ length: 30 }, () => ['ALLOCATED', warehouse, null]),
    );
    expect(after.slice(30).map((item) => [item.status, item.promisedPurchaseOrderId])).toEqual(
      Array.from({ length: 10 }, () => ['BACKORDERED', po.id]),
    );
    const allocations = await api.db.query<{ itemId: string }>(
      `SELECT item_id AS "itemId" FROM order_history WHERE type = 'ALLOCATED' AND item_id = ANY($1::uuid[]) ORDER BY id`,
      [itemIds],
    );
    expect(allocations.map((entry) => entry.itemId)).toEqual(itemIds.slice(0, 30));
    const ledger = await api.db.query<{ onHandDelta: number; reason: string; purchaseOrderId: string }>(
      `SELECT on_hand_delta AS "onHandDelta", reason, purchase_order_id AS "purchaseOrderId" FROM inventory_ledger
        WHERE product_id = $1 AND on_hand_delta <> 0`,
      [productId],
    );
    expect(ledger).toEqual([{ onHandDelta: 30, reason: 'purchase order received', purchaseOrderId: po.id }]);
    await assertInvariants(url, SERVICES_ONLY);

    const rest = await api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 20 }] }, 'dock');
    expect(rest.status).toBe('RECEIVED');
    expect(new Set((await items(itemIds)).map((item) => item.status))).toEqual(new Set(['ALLOCATED']));
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('routes every backorder before a receipt answers, waiting for one that another process (a worker) holds rather than skipping it', async () => {
    const productId = await insertProduct(api.db);
    const { orderIds, itemIds } = await backorders(productId, [1, 1]);
    await api.inventory.adjust({ facilityId: warehouse, productId, delta: 2, reason: 'found', actor: 'test' });
    const worker = await pools[1].connect();
    await worker.query('BEGIN');
    await worker.query('SELECT id FROM sales_order WHERE id = $1 FOR UPDATE', [orderIds[0]]);

    const routing = api.brokering.rebrokerProductsNow([productId], 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.query('COMMIT');
    worker.release();
    await routing;

    expect((await items(itemIds)).map((item) => item.status)).toEqual(['ALLOCATED', 'ALLOCATED']);
  });

  it('reassigns three pre-orders, oldest first, to a second purchase order dated earlier, with history and events', async () => {
    const productId = await insertProduct(api.db);
    const { orderIds, itemIds } = await backorders(productId, [1, 1, 1]);
    const late = await purchaseOrder(productId, 2, '2027-03-01');
    expect((await items(itemIds)).map((item) => item.promiseDate)).toEqual(['2027-03-01', '2027-03-01', null]);

    const early = await purchaseOrder(productId, 5, '2027-02-01');

    expect((await items(itemIds)).map((item) => [item.promiseDate, item.promisedPurchaseOrderId])).toEqual(
      Array.from({ length: 3 }, () => ['2027-02-01', early.id]),
    );
    const history = await api.orders.history(orderIds[0]);
    expect(history.filter((entry) => entry.type === 'PROMISED')).toEqual([
      expect.objectContaining({ itemId: itemIds[0], purchaseOrderId: late.id, reason: 'purchase order created', note: 'promised for 2027-03-01' }),
      expect.objectContaining({ itemId: itemIds[0], purchaseOrderId: early.id, facilityId: warehouse, note: 'promised for 2027-02-01' }),
    ]);
    const events = await api.db.query<{ payload: { items: { promiseDate: string; previousPromiseDate: string | null }[] } }>(
      `SELECT payload FROM outbox_event WHERE topic = 'order.promise_changed' AND aggregate_id = $1 ORDER BY id`,
      [orderIds[2]],
    );
    expect(events.map((event) => event.payload.items[0])).toEqual([
      expect.objectContaining({ promiseDate: '2027-02-01', previousPromiseDate: null }),
    ]);

    // Moved after the other one, the first purchase order takes the two oldest back; the third stays on the moved one.
    await api.purchaseOrders.changeExpectedDate(early.id, '2027-04-01');
    expect((await items(itemIds)).map((item) => item.promisedPurchaseOrderId)).toEqual([late.id, late.id, early.id]);

    // Closed, a purchase order promises nothing; the other covers only two.
    await api.purchaseOrders.close(late.id);
    expect((await items(itemIds)).map((item) => item.promisedPurchaseOrderId)).toEqual([early.id, early.id, early.id]);
    await api.purchaseOrders.close(early.id);
    expect((await items(itemIds)).map((item) => item.promisedPurchaseOrderId)).toEqual([null, null, null]);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('promises a line backordered after the purchase order exists, and not one that stock covers', async () => {
    const productId = await insertProduct(api.db);
    await purchaseOrder(productId, 3, '2027-05-01');
    const { itemIds } = await backorders(productId, [2]);
    expect((await items(itemIds))[0]).toMatchObject({ status: 'BACKORDERED', promiseDate: '2027-05-01' });
    const { itemIds: tooLarge } = await backorders(productId, [2]);
    expect((await items(tooLarge))[0]).toMatchObject({ status: 'BACKORDERED', promiseDate: null });
  });

  it('promises the line behind a cancelled pre-order the units it had, once the worker recomputes from the cancellation', async () => {
    const productId = await insertProduct(api.db);
    const { orderIds, itemIds } = await backorders(productId, [1, 1, 1]);
    const po = await purchaseOrder(productId, 2, '2027-06-01');
    expect((await items(itemIds)).map((item) => item.promisedPurchaseOrderId)).toEqual([po.id, po.id, null]);

    await api.orders.cancel(orderIds[0], 'customer service');
    expect((await items(itemIds)).map((item) => [item.status, item.promisedPurchaseOrderId])).toEqual([
      ['CANCELLED', null],
      ['BACKORDERED', po.id],
      ['BACKORDERED', null],
    ]);
    await api.promises.recomputeForOrders([orderIds[0]]);

    expect((await items(itemIds)).map((item) => item.promisedPurchaseOrderId)).toEqual([null, po.id, po.id]);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('refuses over-receipt, receipts on finished purchase orders and lines it does not have, and changes nothing then', async () => {
    const productId = await insertProduct(api.db);
    const po = await purchaseOrder(productId, 5, '2027-02-01');
    await expect(api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 6 }] }, 'dock')).rejects.toThrow(ConflictError);
    await api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 4 }] }, 'dock');
    await expect(api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 2 }] }, 'dock')).rejects.toThrow('only 1 of 5 are still open');
    await expect(api.purchaseOrders.receive(po.id, { items: [{ productId: randomUUID(), quantity: 1 }] }, 'dock')).rejects.toThrow(InvalidInputError);
    await expect(
      api.purchaseOrders.receive(
        po.id,
        {
          items: [
            { productId, quantity: 1 },
            { productId, quantity: 1 },
          ],
        },
        'dock',
      ),
    ).rejects.toThrow(InvalidInputError);
    await api.purchaseOrders.close(po.id);
    await expect(api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 1 }] }, 'dock')).rejects.toThrow(
      'is CLOSED: it takes no more receipts',
    );
    await expect(api.purchaseOrders.changeExpectedDate(po.id, '2027-03-01')).rejects.toThrow(ConflictError);
    await expect(api.purchaseOrders.receive(randomUUID(), { items: [{ productId, quantity: 1 }] }, 'dock')).rejects.toThrow(NotFoundError);
    const [{ onHand }] = await api.db.query<{ onHand: number }>('SELECT quantity_on_hand AS "onHand" FROM inventory_item WHERE product_id = $1', [
      productId,
    ]);
    expect(onHand).toBe(4);
    expect((await api.purchaseOrders.get(po.id)).receipts).toHaveLength(1);
  });

  it('receives a delivery once however often it is sent with its reference, and a reference once per purchase order', async () => {
    const productId = await insertProduct(api.db);
    const po = await purchaseOrder(productId, 10, '2027-02-01');
    const delivery = { externalId: 'ASN-1', items: [{ productId, quantity: 4 }] };

    const answers = await Promise.all([
      api.purchaseOrders.receive(po.id, delivery, 'dock'),
      other.purchaseOrders.receive(po.id, delivery, 'dock'),
      api.purchaseOrders.receive(po.id, delivery, 'dock'),
    ]);

    expect(answers.map((answer) => answer.receipts.map((receipt) => receipt.externalId))).toEqual([['ASN-1'], ['ASN-1'], ['ASN-1']]);
    expect(answers[2].items[0]).toMatchObject({ receivedQuantity: 4, openQuantity: 6 });
    const second = await purchaseOrder(productId, 10, '2027-02-01');
    expect((await api.purchaseOrders.receive(second.id, delivery, 'dock')).items[0].receivedQuantity).toBe(4);
    const [{ onHand }] = await api.db.query<{ onHand: number }>('SELECT quantity_on_hand AS "onHand" FROM inventory_item WHERE product_id = $1', [
      productId,
    ]);
    expect(onHand).toBe(8);
    await assertInvariants(url, SERVICES_ONLY);
  });

  it('refuses unknown products and a product named twice, and answers an externalId again with the same purchase order', async () => {
    const productId = await insertProduct(api.db);
    const [{ sku }] = await api.db.query<{ sku: string }>('SELECT sku FROM product WHERE id = $1', [productId]);
    const create = (items: { productId?: string; sku?: string; quantity: number }[], externalId?: string) =>
      api.purchaseOrders.create({ externalId, facilityId: warehouse, expectedDate: '2027-02-01', items }, 'buyer');
    await expect(create([{ sku: 'NO-SUCH-SKU', quantity: 1 }])).rejects.toThrow('items[0].sku: unknown product');
    await expect(
      create([
        { productId, quantity: 1 },
        { sku, quantity: 1 },
      ]),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      create([
        { productId, quantity: 1 },
        { productId, quantity: 2 },
      ]),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      api.purchaseOrders.create({ facilityId: randomUUID(), expectedDate: '2027-02-01', items: [{ productId, quantity: 1 }] }, 'buyer'),
    ).rejects.toThrow(NotFoundError);
    const externalId = `PO-${randomUUID()}`;
    const first = await create([{ sku, quantity: 3 }], externalId);
    expect(await create([{ sku, quantity: 3 }], externalId)).toEqual(first);
    expect(first).toMatchObject({
      externalId,
      facilityId: warehouse,
      status: 'OPEN',
      items: [expect.objectContaining({ productId, sku, quantity: 3 })],
    });
  });

  it('counts open purchase orders in the availability of a channel that sells pre-orders, and of no other, as they are received and closed', async () => {
    const productId = await insertProduct(api.db);
    const preorders = `PRE-${randomUUID()}`;
    const plain = `PLAIN-${randomUUID()}`;
    await api.db.query(
      `INSERT INTO sales_channel (code, name, type, preorder_from_purchase_orders) VALUES ($1, $1, 'API', true), ($2, $2, 'API', false)`,
      [preorders, plain],
    );
    const available = async () => {
      const rows = await api.db.query<{ channel: string; available: number }>(
        'SELECT channel_code AS channel, available FROM channel_availability WHERE product_id = $1 AND channel_code = ANY($2::text[])',
        [productId, [preorders, plain]],
      );
      return Object.fromEntries([preorders, plain].map((code) => [code, rows.find((row) => row.channel === code)?.available ?? 0]));
    };
    const po = await purchaseOrder(productId, 10, '2027-02-01');
    expect(await available()).toEqual({ [preorders]: 10, [plain]: 0 });
    await backorders(productId, [3]);
    expect(await available()).toEqual({ [preorders]: 7, [plain]: 0 });

    await api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 4 }] }, 'dock');
    expect(await available()).toEqual({ [preorders]: 7, [plain]: 1 });
    await api.purchaseOrders.close(po.id);
    expect(await available()).toEqual({ [preorders]: 1, [plain]: 1 });
    await assertInvariants(url, SERVICES_ONLY);
  });

  it(`never oversells nor allocates twice when receipts race brokering, ${RACE_ROUNDS} rounds`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      const productId = await insertProduct(api.db);
      const { itemIds } = await backorders(productId, [1, 2, 1, 3, 1]);
      const po = await purchaseOrder(productId, 10, '2027-02-01');
      const newOrders = await Promise.all([1, 2].map(() => newApprovedOrder(productId)));
      const outcomes = await Promise.allSettled([
        api.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 4 }] }, 'dock-a'),
        other.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 4 }] }, 'dock-b'),
        other.purchaseOrders.receive(po.id, { items: [{ productId, quantity: 3 }] }, 'dock-c'),
        api.brokering.brokerOrders(newOrders),
        other.brokering.rebrokerProducts([productId], 10),
      ]);
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      // The three receipts bring 11 units to a line of 10: exactly one is refused, as a conflict.
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      const [line] = (await api.purchaseOrders.get(po.id)).items;
      expect(line.receivedQuantity).toBeLessThanOrEqual(10);
      expect((await items(itemIds)).every((item) => item.status !== 'CREATED')).toBe(true);
      expect(await stockOf(productId)).toEqual([expect.objectContaining({ oversold: false, reservedIsAllocated: true, ledgerAgrees: true })]);
    }
    // Every invariant over every round: what a round broke would still be there.
    await assertInvariants(url, SERVICES_ONLY);
  });

  /** The product's inventory rows: never reserved beyond on hand, reserved equal to what its items hold there, and equal to its ledger. */
  function stockOf(productId: string) {
    return api.db.query<{ oversold: boolean; reservedIsAllocated: boolean; ledgerAgrees: boolean }>(
      `SELECT i.quantity_reserved > i.quantity_on_hand AS oversold,
              i.quantity_reserved = (SELECT COALESCE(sum(quantity), 0) FROM order_item
                                      WHERE product_id = i.product_id AND facility_id = i.facility_id
                                        AND status = ANY($2::text[])) AS "reservedIsAllocated",
              (i.quantity_on_hand, i.quantity_reserved) = (SELECT COALESCE(sum(on_hand_delta), 0), COALESCE(sum(reserved_delta), 0) FROM inventory_ledger
                                                            WHERE product_id = i.product_id AND facility_id = i.facility_id) AS "ledgerAgrees"
         FROM inventory_item i WHERE i.product_id = $1`,
      [productId, RESERVING_ITEM_STATUSES],
    );
  }

  async function newApprovedOrder(productId: string): Promise<string> {
    const [{ id }] = await api.db.query<{ id: string }>(
      `INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel) VALUES ('APPROVED', 'ada@example.com', $1, 0, 'test') RETURNING id`,
      [JSON.stringify({ line1: '1 Main St', city: 'Brooklyn', postalCode: '11201', country: 'US', latitude: 40.69, longitude: -73.99 })],
    );
    await insertCreatedItems(api.db, id, [[productId, 1]]);
    return id;
  }
});
