import { createHmac, timingSafeEqual } from 'node:crypto';
import { valueWithin } from '../support/http';
import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiFixture,
  documentedRequest,
  expectErrorBody,
  expectValidationError,
  Order,
  Product,
  startApi,
} from '../support/api-fixture';
import type { StartedApp } from '../support/app-process';
import { sampleValue, scrapeMetrics } from '../support/prometheus';
import { ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver';

const WITHIN_MS = 30_000;
const RETRY_BASE_MS = 200;
const SECRET = 'e2e-webhook-secret-0123456789';
/** Longer than a dead worker's lease (20 s) and the deliveries after it. */
const AFTER_RESTART_MS = 60_000;

interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

interface Attempt {
  eventId: string;
  type: string;
  orderId: string | null;
  attempt: number;
  responseStatus: number | null;
  error: string | null;
  at: string;
}

/** What a partner does with a delivery: HMAC-SHA256 of the raw body with its secret, compared in constant time. */
function signatureIsValid(webhook: ReceivedWebhook, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(webhook.body).digest('hex')}`);
  const received = Buffer.from(webhook.signature ?? '');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/**
 * Outbound webhooks (docs/api.md, Webhooks out) on the built apps: a sync-api registers the
 * endpoints, a worker delivers the outbox events to a receiver on 127.0.0.1, signed, retried after
 * WEBHOOK_RETRY_BASE_MS, in order per order, and none is lost when the worker is SIGKILLed.
 */
describe('webhooks out', () => {
  let f: ApiFixture;
  let receiver: WebhookReceiver;
  let product: Product;

  beforeAll(async () => {
    f = await startApi('webhooks', { WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), RATE_LIMIT_PER_MINUTE: '0' });
    receiver = await WebhookReceiver.start();
    const facility = await f.createFacility({ latitude: ADDRESS.latitude, longitude: ADDRESS.longitude });
    product = await f.createProduct();
    await f.setStock(facility.id, product.id, 100_000);
  });

  afterAll(async () => {
    await f?.stop();
    await receiver?.close();
  });

  const internal = <T>(method: string, path: string, body?: unknown) =>
    documentedRequest<T>(`${f.internalUrl}/internal${path}`, method, body, ADMIN_HEADERS);
  const register = async (path: string, events: string[], secret = SECRET) => {
    const response = await internal<Webhook>('POST', '/webhooks', { url: receiver.url(path), events, secret });
    expect(response.status).toBe(201);
    return response.body;
  };
  const deliveries = async (id: string, limit = 200) =>
    (await internal<{ items: Attempt[] }>('GET', `/webhooks/${id}/deliveries?limit=${limit}`)).body.items;
  const createOrder = async () => {
    const response = await f.api<Order>('POST', '/orders', {
      customer: { email: 'w@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 1 }],
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const ofOrder = (path: string, orderId: string) => receiver.on(path).filter((webhook) => webhook.event.data.orderId === orderId);

  it('registers an endpoint without ever returning its secret, and lists it', async () => {
    const response = await internal<Webhook>('POST', '/webhooks', { url: receiver.url('/listed'), events: ['order.created'], secret: SECRET });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), url: receiver.url('/listed'), events: ['order.created'], createdAt: expect.any(String) });
    const list = await internal<{ items: Webhook[]; nextCursor: string | null }>('GET', '/webhooks?limit=200');
    expect(list.body.items.find((webhook) => webhook.id === response.body.id)).toEqual(response.body);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect((await internal('DELETE', `/webhooks/${response.body.id}`)).status).toBe(204);
  });

  it.each([
    ['url', { url: 'ftp://example.com/hook', events: ['order.created'], secret: SECRET }],
    ['url', { url: '/relative/hook', events: ['order.created'], secret: SECRET }],
    ['url', { events: ['order.created'], secret: SECRET }],
    ['events', { url: 'https://example.com/hook', events: [], secret: SECRET }],
    ['events', { url: 'https://example.com/hook', events: ['order.created', 'order.created'], secret: SECRET }],
    ['events', { url: 'https://example.com/hook', events: 'order.created', secret: SECRET }],
    ['events', { url: 'https://example.com/hook', events: ['order.exploded'], secret: SECRET }],
    ['secret', { url: 'https://example.com/hook', events: ['order.created'], secret: 'too-short' }],
    ['secret', { url: 'https://example.com/hook', events: ['order.created'], secret: 'x'.repeat(201) }],
    ['secret', { url: 'https://example.com/hook', events: ['order.created'] }],
  ])('refuses a registration with a bad %s with a 400 naming it', async (field, body) => {
    const [before] = await f.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoint');
    const response = await documentedRequest(`${f.internalUrl}/internal/webhooks`, 'POST', body, ADMIN_HEADERS);

    expect(expectValidationError(response).details?.map((detail) => detail.field)).toContainEqual(field);
    const [after] = await f.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoint');
    expect(after.n).toBe(before.n);
  });

  it('answers 400 to a malformed id or limit and 404 to an unknown endpoint, never 500', async () => {
    expectErrorBody(await internal('GET', '/webhooks/not-a-uuid/deliveries'), 400);
    expectErrorBody(await internal('DELETE', '/webhooks/not-a-uuid'), 400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectErrorBody(await internal('GET', `/webhooks/${unknown}/deliveries`), 404);
    expectErrorBody(await internal('DELETE', `/webhooks/${unknown}`), 404);
    const webhook = await register('/params', ['order.shipped']);
    for (const limit of ['0', '201', 'ten', '1.5', '-1'])
      expectErrorBody(await internal('GET', `/webhooks/${webhook.id}/deliveries?limit=${limit}`), 400);
    expectErrorBody(await internal('GET', '/webhooks?cursor=garbage'), 400);
  });

  describe('with a worker', () => {
    let worker: StartedApp;

    beforeAll(async () => {
      worker = await f.startWorker();
    });

    afterAll(async () => {
      await worker.stop();
    });

    it('delivers once more after two 500s, and the log shows the 3 attempts newest first; the signature checks out', async () => {
      const webhook = await register('/flaky', ['order.created']);
      let answered = 0;
      receiver.answer = (received) => (received.path === '/flaky' && ++answered <= 2 ? 500 : 200);
      const order = await createOrder();

      const log = await valueWithin(
        async () => {
          const items = await deliveries(webhook.id);
          return items.length === 3 ? items : undefined;
        },
        'three attempts',
        WITHIN_MS,
      );

      expect(log.map(({ attempt, responseStatus, type, orderId }) => ({ attempt, responseStatus, type, orderId }))).toEqual([
        { attempt: 3, responseStatus: 200, type: 'order.created', orderId: order.id },
        { attempt: 2, responseStatus: 500, type: 'order.created', orderId: order.id },
        { attempt: 1, responseStatus: 500, type: 'order.created', orderId: order.id },
      ]);
      expect(new Set(log.map((entry) => entry.eventId)).size).toBe(1);
      const received = receiver.on('/flaky');
      expect(received).toHaveLength(3);
      for (const webhookCall of received) {
        expect(signatureIsValid(webhookCall, SECRET)).toBe(true);
        expect(signatureIsValid(webhookCall, `${SECRET}-other`)).toBe(false);
        expect(webhookCall.event).toEqual({ id: log[0].eventId, type: 'order.created', at: expect.any(String), data: { orderId: order.id } });
      }
      expect(new Set(received.map((webhookCall) => webhookCall.body)).size).toBe(1);
      const gaps = received.slice(1).map((call, n) => call.receivedAt - received[n].receivedAt);
      expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 0.8 - 20);
      expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 * 0.8 - 20);
      receiver.answer = () => 200;

      const metrics = await scrapeMetrics(worker.url);
      expect(sampleValue(metrics, 'webhook_deliveries_total', { result: 'retry' })).toBeGreaterThanOrEqual(2);
      expect(sampleValue(metrics, 'webhook_deliveries_total', { result: 'delivered' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(metrics, 'webhook_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      expect((await internal('DELETE', `/webhooks/${webhook.id}`)).status).toBe(204);
    });

    it('sends the events of each order in order: created, then brokered', async () => {
      const webhook = await register('/ordered', ['order.created', 'order.brokered']);
      // Slow answers keep several deliveries in flight, so that a later event could overtake an earlier one.
      receiver.delayMs = 30;
      const orders = await Promise.all(Array.from({ length: 20 }, () => createOrder()));

      await valueWithin(
        async () => (orders.every((order) => ofOrder('/ordered', order.id).length >= 2) ? true : undefined),
        'both events of every order',
        WITHIN_MS,
      );
      receiver.delayMs = 0;

      for (const order of orders)
        expect(ofOrder('/ordered', order.id).map((webhook) => webhook.event.type)).toEqual(['order.created', 'order.brokered']);
      expect(receiver.maxConcurrent.get('/ordered')).toBeLessThanOrEqual(4);
      expect((await internal('DELETE', `/webhooks/${webhook.id}`)).status).toBe(204);
    });

    it('sends nothing more to a deleted endpoint', async () => {
      const webhook = await register('/deleted', ['order.created']);
      await createOrder();
      await valueWithin(async () => (receiver.on('/deleted').length === 1 ? true : undefined), 'the first delivery', WITHIN_MS);

      expect((await internal('DELETE', `/webhooks/${webhook.id}`)).status).toBe(204);
      await createOrder();
      const control = await register('/after-delete', ['order.created']);
      const order = await createOrder();
      await valueWithin(
        async () => (ofOrder('/after-delete', order.id).length === 1 ? true : undefined),
        'a delivery to another endpoint',
        WITHIN_MS,
      );

      expect(receiver.on('/deleted')).toHaveLength(1);
      expectErrorBody(await internal('GET', `/webhooks/${webhook.id}/deliveries`), 404);
      expect((await internal('DELETE', `/webhooks/${control.id}`)).status).toBe(204);
    });
  });

  it('loses no delivery when the worker is SIGKILLed with 500 pending: all arrive after a restart (duplicates allowed)', async () => {
    await register('/survivor', ['order.created']);
    receiver.delayMs = 20;
    const orders: Order[] = [];
    for (let batch = 0; batch < 50; batch += 1) orders.push(...(await Promise.all(Array.from({ length: 10 }, () => createOrder()))));
    const [pending] = await f.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE topic = 'order.created' AND aggregate_id = ANY ($1::uuid[])`,
      [orders.map((order) => order.id)],
    );
    expect(pending.n).toBe(500);

    const doomed = await f.startWorker();
    await valueWithin(async () => (receiver.on('/survivor').length >= 50 ? true : undefined), 'deliveries to start', WITHIN_MS);
    doomed.signal('SIGKILL');
    await doomed.exited;
    const [left] = await f.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id
        WHERE w.url = $1 AND d.status = 'PENDING'`,
      [receiver.url('/survivor')],
    );
    expect(left.n).toBeGreaterThan(0);

    receiver.delayMs = 0;
    await f.startWorker();
    const delivered = await valueWithin(
      async () => {
        const ids = new Set(receiver.on('/survivor').map((webhook) => webhook.event.data.orderId));
        return orders.every((order) => ids.has(order.id)) ? ids : undefined;
      },
      'every order delivered',
      AFTER_RESTART_MS,
    );

    expect(delivered.size).toBe(500);
    // The receiver may have had the dead worker's last POSTs, unrecorded: those are sent again once their lease lapses.
    await valueWithin(
      async () => {
        const [settled] = await f.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE w.url = $1 AND d.status = 'DELIVERED'`,
          [receiver.url('/survivor')],
        );
        return settled.n === 500 ? true : undefined;
      },
      'every delivery marked DELIVERED',
      AFTER_RESTART_MS,
    );
  });
});
