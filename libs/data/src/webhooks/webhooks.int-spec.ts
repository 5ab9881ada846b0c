import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { CacheInvalidator } from '@app/cache';
import { createPostgresPool, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { WebhookReceiver } from '../../../../test/support/webhook-receiver';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';
import { OutboxRelayRepository } from '../outbox/outbox-relay.repository';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { OutboxRepository, OutboxTopic } from '../outbox/outbox.repository';
import { DeliveryOutcome, WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookEvent } from './webhook-events';
import { WebhookSender } from './webhook-sender.client';
import { webhookSignature } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

const RETRY_BASE_MS = 50;
const SECRET = 'int-spec-secret-0123456789';
const NO_CACHE = { invalidate: () => Promise.resolve() } as unknown as CacheInvalidator;
const NO_QUEUES = { publish: () => Promise.resolve() };

/** One "process": its own pool, relay and dispatcher. */
function processOn(pool: Pool) {
  const db = new PrimaryDatabase(pool);
  const repository = new WebhooksRepository();
  return {
    db,
    webhooks: new WebhooksService(db, repository),
    repository,
    relay: new OutboxRelayService(db, new OutboxRelayRepository(), NO_CACHE, repository),
    dispatcher: new WebhookDispatcher(db, repository, new WebhookSender(), { webhooks: { retryBaseMs: RETRY_BASE_MS } }),
  };
}

/**
 * Outbound webhooks on real PostgreSQL and a real HTTP receiver: deliveries are created by the
 * outbox relay, claimed with SKIP LOCKED by competing dispatchers, retried on the schedule, sent in
 * order per order, and dropped when their endpoint is deleted.
 */
describe('webhooks out (real PostgreSQL, local receiver)', () => {
  const name = `oms_webhooks_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  let one: ReturnType<typeof processOn>;
  let two: ReturnType<typeof processOn>;
  let receiver: WebhookReceiver;
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'webhooks-int-spec'));
    for (let n = 0; n < 2; n += 1) pools.push(createPostgresPool(postgresPoolConfig(url, 'webhooks-int-spec')));
    [one, two] = pools.map(processOn);
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await receiver.close();
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  beforeEach(async () => {
    receiver.answer = () => 200;
    receiver.delayMs = 0;
    // Each test's endpoints only: earlier tests' endpoints stop receiving.
    await one.db.query(`UPDATE webhook_endpoint SET deleted_at = now() WHERE deleted_at IS NULL`);
  });

  async function register(path: string, events: WebhookEvent[] = ['order.created', 'order.brokered', 'order.shipped']) {
    return one.webhooks.register({ url: receiver.url(path), events, secret: SECRET });
  }

  /** Writes the events as a transaction of the app would, then relays them as the worker does. */
  async function emit(...events: [OutboxTopic, string, Record<string, unknown>?][]): Promise<void> {
    await one.db.transaction((tx) =>
      outbox.enqueueMany(
        tx,
        events.map(([topic, aggregateId, payload]) => ({ topic, aggregateId, payload: payload ?? { orderId: aggregateId } })),
      ),
    );
    await one.relay.relayAll(NO_QUEUES);
  }

  /** Runs `dispatchers` until nothing is due and none is pending, waiting out retries. */
  async function dispatchUntilSettled(dispatchers: WebhookDispatcher[], timeoutMs = 15_000): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rounds = await Promise.all(dispatchers.map((dispatcher) => dispatcher.dispatchDue(50)));
      outcomes.push(...rounds.flat());
      if (rounds.every((round) => round.length === 0)) {
        const [{ pending }] = await one.db.query<{ pending: number }>(
          `SELECT count(*)::int AS pending FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id
            WHERE d.status = 'PENDING' AND w.deleted_at IS NULL`,
        );
        if (pending === 0) return outcomes;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (Date.now() > deadline) throw new Error('deliveries still pending');
    }
  }

  it('fans out each relayed event to the endpoints subscribed to its topic, signed, with the outbox event id as a stable id', async () => {
    const orders = await register('/fan-out', ['order.created', 'availability.changed']);
    await register('/other', ['order.shipped']);
    const orderId = randomUUID();
    const productId = randomUUID();

    await emit(
      ['order.created', orderId],
      ['inventory.changed', productId, { productId }],
      ['availability.changed', productId, { channel: 'WEB', productId, sku: 'SKU-1', available: 7, at: '2026-01-01T00:00:00.000Z' }],
    );
    await dispatchUntilSettled([one.dispatcher]);

    const received = receiver.on('/fan-out');
    expect(received.map((webhook) => webhook.event.type)).toEqual(['order.created', 'availability.changed']);
    expect(received.map((webhook) => webhook.event.data)).toEqual([
      { orderId },
      { channel: 'WEB', productId, sku: 'SKU-1', available: 7, at: '2026-01-01T00:00:00.000Z' },
    ]);
    for (const webhook of received) expect(webhook.signature).toBe(webhookSignature(webhook.body, SECRET));
    const events = await one.db.query<{ id: string }>(
      `SELECT id FROM outbox_event WHERE topic IN ('order.created', 'availability.changed') ORDER BY id`,
    );
    expect(received.map((webhook) => webhook.event.id)).toEqual(events.slice(-2).map((event) => event.id));
    expect(receiver.on('/other')).toEqual([]);

    const log = await one.webhooks.deliveries(orders.id, 50);
    expect(log.map(({ type, orderId: order, attempt, responseStatus, error }) => ({ type, order, attempt, responseStatus, error }))).toEqual([
      { type: 'availability.changed', order: null, attempt: 1, responseStatus: 200, error: null },
      { type: 'order.created', order: orderId, attempt: 1, responseStatus: 200, error: null },
    ]);
  });

  it('retries a failed delivery after the base delay, doubling, with the same body, and logs every attempt newest first', async () => {
    const endpoint = await register('/flaky');
    let calls = 0;
    receiver.answer = () => (++calls <= 2 ? 500 : 200);
    const orderId = randomUUID();

    await emit(['order.created', orderId]);
    const outcomes = await dispatchUntilSettled([one.dispatcher]);

    expect(outcomes.map((outcome) => outcome.result)).toEqual(['retry', 'retry', 'delivered']);
    const received = receiver.on('/flaky');
    expect(new Set(received.map((webhook) => webhook.body)).size).toBe(1);
    const gaps = received.slice(1).map((webhook, n) => webhook.receivedAt - received[n].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 0.8 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 * 0.8 - 5);
    const log = await one.webhooks.deliveries(endpoint.id, 50);
    expect(log.map((entry) => [entry.attempt, entry.responseStatus])).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ]);
    expect(await one.webhooks.deliveries(endpoint.id, 1)).toHaveLength(1);
  });

  it('marks a delivery failed once a retry would start more than 24 h after its first attempt', async () => {
    await register('/down');
    receiver.answer = () => 503;
    await emit(['order.created', randomUUID()]);
    const [first] = await one.dispatcher.dispatchDue(10);
    expect(first.result).toBe('retry');

    await one.db.query(
      `UPDATE webhook_delivery SET first_attempt_at = now() - interval '24 hours', next_attempt_at = now() WHERE status = 'PENDING'`,
    );
    const [last] = await one.dispatcher.dispatchDue(10);

    expect(last).toEqual({ result: 'failed' });
    const [delivery] = await one.db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM webhook_delivery ORDER BY id DESC LIMIT 1`,
    );
    expect(delivery).toEqual({ status: 'FAILED', attempts: 2 });
    expect(await one.dispatcher.dispatchDue(10)).toEqual([]);
  });

  it('records a timeout as an attempt without a status, and retries it', async () => {
    const endpoint = await register('/slow');
    receiver.answer = () => 'hang';
    await emit(['order.created', randomUUID()]);

    const [claimed] = await one.dispatcher.claim(10);
    const outcome = await one.dispatcher.send(claimed, 200);

    expect(outcome.result).toBe('retry');
    const [entry] = await one.webhooks.deliveries(endpoint.id, 1);
    expect(entry).toMatchObject({ attempt: 1, responseStatus: null, error: 'timeout' });
  });

  it('sends the events of one order in order, one at a time, while other orders go ahead', async () => {
    await register('/ordered');
    const [first, second] = [randomUUID(), randomUUID()];
    const failedOnce = new Set<string>();
    // The first event of each order fails once: the later ones must wait for it.
    receiver.answer = (webhook) => {
      if (webhook.event.type !== 'order.created' || failedOnce.has(webhook.event.id)) return 200;
      failedOnce.add(webhook.event.id);
      return 500;
    };

    await emit(['order.created', first], ['order.created', second], ['order.brokered', first], ['order.brokered', second]);
    await emit(['order.shipped', first], ['order.shipped', second]);
    await dispatchUntilSettled([one.dispatcher, two.dispatcher]);

    for (const orderId of [first, second]) {
      const delivered = receiver.on('/ordered').filter((webhook) => webhook.event.data.orderId === orderId);
      expect(delivered.map((webhook) => webhook.event.type)).toEqual(['order.created', 'order.created', 'order.brokered', 'order.shipped']);
    }
  });

  it('holds an order’s delivery while an earlier event of that order is not yet relayed', async () => {
    const endpoint = await register('/held', ['order.created', 'order.brokered']);
    const orderId = randomUUID();
    await one.db.transaction((tx) =>
      outbox.enqueueMany(tx, [
        { topic: 'order.created', aggregateId: orderId, payload: { orderId } },
        { topic: 'order.brokered', aggregateId: orderId, payload: { orderId } },
      ]),
    );
    const [created, brokered] = await one.db.query<{ id: string }>(`SELECT id FROM outbox_event WHERE aggregate_id = $1 ORDER BY id`, [orderId]);
    // A relay that committed the later event before the earlier one.
    await one.db.query(`UPDATE outbox_event SET published_at = now() WHERE id = $1`, [brokered.id]);
    await one.repository.fanOut(one.db, [brokered.id]);

    expect(await one.dispatcher.claim(10)).toEqual([]);

    await one.relay.relayAll(NO_QUEUES);
    await dispatchUntilSettled([one.dispatcher]);
    const log = await one.webhooks.deliveries(endpoint.id, 10);
    expect(log.map((entry) => entry.eventId).reverse()).toEqual([created.id, brokered.id]);
  });

  it('shares the work of two dispatchers with SKIP LOCKED: every delivery sent once, at most 4 at a time per endpoint', async () => {
    const endpoints = await Promise.all(['/shared-a', '/shared-b'].map((path) => register(path, ['order.created'])));
    receiver.delayMs = 15;
    const orderIds = Array.from({ length: 120 }, () => randomUUID());

    await emit(...orderIds.map((orderId): [OutboxTopic, string] => ['order.created', orderId]));
    const outcomes = await dispatchUntilSettled([one.dispatcher, two.dispatcher], 30_000);

    expect(outcomes).toHaveLength(240);
    for (const path of ['/shared-a', '/shared-b']) {
      const ids = receiver.on(path).map((webhook) => webhook.event.data.orderId);
      expect(ids).toHaveLength(120);
      expect(new Set(ids).size).toBe(120);
      expect(receiver.maxConcurrent.get(path)).toBeLessThanOrEqual(4);
      expect(receiver.maxConcurrent.get(path)).toBeGreaterThan(1);
    }
    const attempts = await one.db.query<{ endpoint: string; n: number }>(
      `SELECT endpoint_id AS endpoint, count(*)::int AS n FROM webhook_attempt WHERE endpoint_id = ANY ($1::uuid[]) GROUP BY 1`,
      [endpoints.map((endpoint) => endpoint.id)],
    );
    expect(attempts.map((row) => row.n)).toEqual([120, 120]);
  });

  it('sends a delivery again once the lease of a dispatcher that died mid-send lapses', async () => {
    await register('/lease');
    await emit(['order.created', randomUUID()]);
    const [lost] = await one.dispatcher.claim(10, 100);

    expect(await two.dispatcher.claim(10)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const [again] = await two.dispatcher.claim(10);

    expect(again).toMatchObject({ id: lost.id, attempt: 2 });
    expect(await two.dispatcher.send(again)).toMatchObject({ result: 'delivered' });
    // The dead dispatcher's late answer is logged but does not reopen the delivered one.
    await one.repository.recordAttempt(one.db, lost, { responseStatus: 500, error: null, status: 'PENDING', nextAttemptAt: new Date() });
    const [delivery] = await one.db.query<{ status: string }>(`SELECT status FROM webhook_delivery WHERE id = $1`, [lost.id]);
    expect(delivery.status).toBe('DELIVERED');
  });

  it('sends nothing more to a deleted endpoint: its pending deliveries are dropped and new events skip it', async () => {
    const endpoint = await register('/deleted');
    receiver.answer = () => 500;
    await emit(['order.created', randomUUID()]);
    await one.dispatcher.dispatchDue(10);

    await one.webhooks.remove(endpoint.id);
    await emit(['order.created', randomUUID()]);
    await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2));

    expect(await one.dispatcher.dispatchDue(10)).toEqual([]);
    expect(receiver.on('/deleted')).toHaveLength(1);
    const statuses = await one.db.query<{ status: string }>(`SELECT status FROM webhook_delivery WHERE endpoint_id = $1`, [endpoint.id]);
    expect(statuses).toEqual([{ status: 'DROPPED' }]);
    await expect(one.webhooks.remove(endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(one.webhooks.deliveries(endpoint.id, 10)).rejects.toBeInstanceOf(NotFoundError);
    expect((await one.webhooks.list({ limit: 200 })).items.map((listed) => listed.id)).not.toContain(endpoint.id);
  });
});
