import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dataServicesOn } from '../../../../test/support/data-services';
import { insertApprovedOrder, insertFacility, insertProduct } from '../../../../test/support/fixture-rows';
import { describeViolations, findViolations } from '../../../../test/support/invariants';
import { dropDatabases, primaryDatabaseUrl, withClient } from '../../../../test/support/test-databases';
import { primaryDataSourceOptions } from '../database/data-source.options';

const RACE_ROUNDS = 20;

/**
 * Transfer orders through TransferOrdersService on real PostgreSQL, from two "processes" (each its
 * own pool) racing with brokering: the units a transfer reserves at its source are never sold, the
 * stock moves with a ledger row at each step, and the invariants of the drills hold after each.
 */
describe('TransferOrdersService (real PostgreSQL)', () => {
  const name = `oms_transfers_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let api: ReturnType<typeof dataServicesOn>;
  let other: ReturnType<typeof dataServicesOn>;
  let source: string;
  let destination: string;

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'transfers-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'transfers-int-spec')));
    [api, other] = pools.map((pool) => dataServicesOn(pool));
    [source, destination] = await Promise.all([40.7, 41.0].map((latitude) => insertFacility(api.db, latitude)));
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  /** A new product with `onHand` units at the source and none anywhere else. */
  async function productAtSource(onHand: number): Promise<string> {
    const productId = await insertProduct(api.db);
    await api.inventory.adjust({ facilityId: source, productId, delta: onHand, reason: 'received', actor: 'test' });
    return productId;
  }

  /** An order of `quantity` units, brokered by `services`; returns the status of its one item. */
  async function brokeredOrder(services: typeof api, productId: string, quantity: number): Promise<string> {
    const { orderId } = await insertApprovedOrder(api.db, [[productId, quantity]]);
    await services.brokering.brokerOrders([orderId]);
    const [item] = await api.db.query<{ status: string }>('SELECT status FROM order_item WHERE order_id = $1', [orderId]);
    return item.status;
  }

  const stockAt = async (facilityId: string, productId: string) => {
    const [row] = await api.db.query<{ onHand: number; reserved: number; atp: number }>(
      `SELECT quantity_on_hand AS "onHand", quantity_reserved AS reserved, available_to_promise AS atp
         FROM inventory_item WHERE facility_id = $1 AND product_id = $2`,
      [facilityId, productId],
    );
    return row ?? { onHand: 0, reserved: 0, atp: 0 };
  };

  const ledgerOf = (transferOrderId: string) =>
    api.db.query<{ facilityId: string; onHand: number; reserved: number; reason: string }>(
      `SELECT facility_id AS "facilityId", on_hand_delta AS "onHand", reserved_delta AS reserved, reason
         FROM inventory_ledger WHERE transfer_order_id = $1 ORDER BY id`,
      [transferOrderId],
    );

  const eventsOf = async (transferOrderId: string) =>
    (await api.db.query<{ topic: string }>('SELECT topic FROM outbox_event WHERE aggregate_id = $1 ORDER BY id', [transferOrderId])).map(
      (event) => event.topic,
    );

  async function expectInvariantsHold(): Promise<void> {
    const violations = await withClient(url, (client) => findViolations(client, { withoutWorkers: true }));
    if (violations.length > 0) throw new Error(describeViolations(violations));
  }

  it('reserves at the source (ATP drops, a ledger row names the transfer), ships (on hand drops there), then receives at the destination', async () => {
    const productId = await productAtSource(10);

    const created = await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 8 }] }, 'test');

    expect(created).toMatchObject({ from: source, to: destination, status: 'CREATED', shippedAt: null, receivedAt: null, cancelledAt: null });
    expect(created.items).toEqual([{ productId, sku: expect.stringMatching(/^SKU-/), quantity: 8 }]);
    expect(await stockAt(source, productId)).toEqual({ onHand: 10, reserved: 8, atp: 2 });
    expect(await ledgerOf(created.id)).toEqual([{ facilityId: source, onHand: 0, reserved: 8, reason: 'transfer reserved' }]);
    await expectInvariantsHold();

    const shipped = await api.transfers.ship(created.id, 'test');

    expect(shipped.status).toBe('SHIPPED');
    expect(shipped.shippedAt).toBeInstanceOf(Date);
    expect(await stockAt(source, productId)).toEqual({ onHand: 2, reserved: 0, atp: 2 });
    expect(await stockAt(destination, productId)).toEqual({ onHand: 0, reserved: 0, atp: 0 });
    await expectInvariantsHold();

    const received = await api.transfers.receive(created.id, 'test');

    expect(received.status).toBe('RECEIVED');
    expect(received.receivedAt).toBeInstanceOf(Date);
    expect(await stockAt(destination, productId)).toEqual({ onHand: 8, reserved: 0, atp: 8 });
    expect(await ledgerOf(created.id)).toEqual([
      { facilityId: source, onHand: 0, reserved: 8, reason: 'transfer reserved' },
      { facilityId: source, onHand: -8, reserved: -8, reason: 'transfer shipped' },
      { facilityId: destination, onHand: 8, reserved: 0, reason: 'transfer received' },
    ]);
    expect(await eventsOf(created.id)).toEqual(['transfer_order.created', 'transfer_order.shipped', 'transfer_order.received']);
    expect(await api.transfers.get(created.id)).toEqual(received);
    await expectInvariantsHold();
  });

  it('keeps what it reserved from orders: 10 on hand, a transfer of 8, then an order of 5 is backordered', async () => {
    const productId = await productAtSource(10);
    await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 8 }] }, 'test');

    expect(await brokeredOrder(api, productId, 5)).toBe('BACKORDERED');
    expect(await brokeredOrder(api, productId, 2)).toBe('ALLOCATED');
    expect(await stockAt(source, productId)).toEqual({ onHand: 10, reserved: 10, atp: 0 });
    await expectInvariantsHold();
  });

  it('may take the safety stock that brokering leaves', async () => {
    const productId = await productAtSource(10);
    await api.inventory.setOnHand({ facilityId: source, productId, minimumStock: 5, reason: 'planner', actor: 'test' });

    await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 10 }] }, 'test');

    expect(await stockAt(source, productId)).toEqual({ onHand: 10, reserved: 10, atp: 0 });
    await expectInvariantsHold();
  });

  it('cancels before shipment, releasing the reservation, and answers a second cancel as it is', async () => {
    const productId = await productAtSource(10);
    const created = await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 6 }] }, 'test');

    const cancelled = await api.transfers.cancel(created.id, 'test');

    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.cancelledAt).toBeInstanceOf(Date);
    expect(await stockAt(source, productId)).toEqual({ onHand: 10, reserved: 0, atp: 10 });
    expect(await api.transfers.cancel(created.id, 'test')).toEqual(cancelled);
    expect(await ledgerOf(created.id)).toEqual([
      { facilityId: source, onHand: 0, reserved: 6, reason: 'transfer reserved' },
      { facilityId: source, onHand: 0, reserved: -6, reason: 'transfer cancelled' },
    ]);
    expect(await eventsOf(created.id)).toEqual(['transfer_order.created', 'transfer_order.cancelled']);
    await expect(api.transfers.ship(created.id, 'test')).rejects.toThrow(`transfer order ${created.id} is CANCELLED`);
    await expectInvariantsHold();
  });

  it('refuses (409, naming the status) a cancel after shipment, a second ship, a receive before shipment and a second receive', async () => {
    const productId = await productAtSource(10);
    const created = await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 3 }] }, 'test');

    await expect(api.transfers.receive(created.id, 'test')).rejects.toThrow(ConflictError);
    await expect(api.transfers.receive(created.id, 'test')).rejects.toThrow(`transfer order ${created.id} is CREATED`);
    await api.transfers.ship(created.id, 'test');
    await expect(api.transfers.ship(created.id, 'test')).rejects.toThrow(`transfer order ${created.id} is SHIPPED`);
    await expect(api.transfers.cancel(created.id, 'test')).rejects.toThrow(ConflictError);
    await api.transfers.receive(created.id, 'test');
    await expect(api.transfers.receive(created.id, 'test')).rejects.toThrow(`transfer order ${created.id} is RECEIVED`);
    await expect(api.transfers.cancel(created.id, 'test')).rejects.toThrow(ConflictError);
    expect(await stockAt(source, productId)).toEqual({ onHand: 7, reserved: 0, atp: 7 });
    await expectInvariantsHold();
  });

  it('refuses too little stock (409 naming the product and what is available), leaving nothing reserved', async () => {
    const productId = await productAtSource(5);
    const other = await productAtSource(10);
    const request = {
      from: source,
      to: destination,
      items: [
        { productId: other, quantity: 4 },
        { productId, quantity: 6 },
      ],
    };

    await expect(api.transfers.create(request, 'test')).rejects.toThrow(ConflictError);
    await expect(api.transfers.create(request, 'test')).rejects.toThrow(`product ${productId} has 5 units available at facility ${source}`);
    await expect(api.transfers.create({ ...request, from: destination, to: source }, 'test')).rejects.toThrow('has 0 units available');
    expect(await stockAt(source, other)).toEqual({ onHand: 10, reserved: 0, atp: 10 });
    const [{ transfers }] = await api.db.query<{ transfers: number }>(
      'SELECT count(*)::int AS transfers FROM transfer_order_item WHERE product_id = ANY($1::uuid[])',
      [[productId, other]],
    );
    expect(transfers).toBe(0);
    await expectInvariantsHold();
  });

  it('refuses bad requests (400), unknown facilities, products and transfers (404), and facilities outside the key (404)', async () => {
    const productId = await productAtSource(10);
    const create = (request: { from?: string; to?: string; items?: { productId: string; quantity: number }[] }, scope = undefined) =>
      api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 1 }], ...request }, 'test', scope);

    await expect(create({ to: source })).rejects.toThrow(InvalidInputError);
    await expect(create({ items: [] })).rejects.toThrow(InvalidInputError);
    await expect(create({ items: [{ productId, quantity: 0 }] })).rejects.toThrow(InvalidInputError);
    await expect(
      create({
        items: [
          { productId, quantity: 1 },
          { productId: productId.toUpperCase(), quantity: 1 },
        ],
      }),
    ).rejects.toThrow(InvalidInputError);
    const unknown = randomUUID();
    await expect(create({ to: unknown })).rejects.toThrow(`facility ${unknown} not found`);
    await expect(create({ items: [{ productId: unknown, quantity: 1 }] })).rejects.toThrow(`product ${unknown} not found`);
    await expect(api.transfers.get(unknown)).rejects.toThrow(NotFoundError);
    await expect(api.transfers.ship(unknown, 'test')).rejects.toThrow(NotFoundError);

    const sourceOnly = { channels: null, facilities: [source] };
    await expect(api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 1 }] }, 'test', sourceOnly)).rejects.toThrow(
      `facility ${destination} not found`,
    );
    const created = await api.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 1 }] }, 'test');
    expect((await api.transfers.get(created.id, sourceOnly)).id).toBe(created.id);
    await expect(api.transfers.get(created.id, { channels: null, facilities: [randomUUID()] })).rejects.toThrow(NotFoundError);
    await api.transfers.ship(created.id, 'test', sourceOnly);
    await expect(api.transfers.receive(created.id, 'test', sourceOnly)).rejects.toThrow(`facility ${destination} not found`);
    expect(await stockAt(source, productId)).toEqual({ onHand: 9, reserved: 0, atp: 9 });
    await expectInvariantsHold();
  });

  it(`never oversells while transfers and orders race for the same stock from two processes, over ${RACE_ROUNDS} rounds`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round += 1) {
      // 10 units; two transfers and two orders of 4 each: exactly two of them get their units.
      const productId = await productAtSource(10);
      const [transfers, orders] = await Promise.all([
        Promise.allSettled(
          [api, other].map((services) => services.transfers.create({ from: source, to: destination, items: [{ productId, quantity: 4 }] }, 'test')),
        ),
        Promise.all([other, api].map((services) => brokeredOrder(services, productId, 4))),
      ]);
      for (const refused of transfers.filter((result) => result.status === 'rejected')) expect(refused.reason).toBeInstanceOf(ConflictError);
      const made = transfers.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const allocated = orders.filter((status) => status === 'ALLOCATED').length;
      expect(made.length + allocated).toBe(2);
      expect(await stockAt(source, productId)).toEqual({ onHand: 10, reserved: 8, atp: 2 });

      // Then each transfer ships, or is cancelled, while the other process races it.
      await Promise.all(
        made.map(async (transfer, n) => {
          const [first, second] = n % 2 === 0 ? [api, other] : [other, api];
          if ((round + n) % 3 === 0) {
            await Promise.allSettled([first.transfers.cancel(transfer.id, 'test'), second.transfers.cancel(transfer.id, 'test')]);
            return;
          }
          const shipped = await Promise.allSettled([first.transfers.ship(transfer.id, 'test'), second.transfers.ship(transfer.id, 'test')]);
          expect(shipped.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
          await first.transfers.receive(transfer.id, 'test');
        }),
      );
      await expectInvariantsHold();
    }
  });
});
