import { createHmac } from 'node:crypto';
import { deliveryBody } from './webhook-dispatcher';
import { MAX_RETRY_DELAY_MS, nextAttemptAt, RETRY_WINDOW_MS, retryDelayMs } from './webhook-retry';
import { webhookSignature } from './webhook-signature';

describe('webhook retry schedule', () => {
  const BASE = 10_000;

  it('waits the base delay after the first failure and doubles it after each further one, without jitter', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, BASE, 0))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
  });

  it('never waits more than an hour, however many attempts failed', () => {
    expect(retryDelayMs(10, BASE, 0)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1000, BASE, 0)).toBe(MAX_RETRY_DELAY_MS);
  });

  it.each([1, 3, 9, 50])('keeps the jittered wait after attempt %i between 80 % and 100 % of its delay', (attempt) => {
    const full = retryDelayMs(attempt, BASE, 0);
    for (const random of [0, 0.25, 0.5, 0.999999]) {
      const delay = retryDelayMs(attempt, BASE, random);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(full * 0.8));
      expect(delay).toBeLessThanOrEqual(full);
    }
    const samples = Array.from({ length: 200 }, () => retryDelayMs(attempt, BASE));
    expect(new Set(samples).size).toBeGreaterThan(1);
  });

  it('retries for 24 hours from the first attempt, then gives up', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const early = new Date(first.getTime() + 60_000);
    expect(nextAttemptAt(2, first, early, BASE, 0)).toEqual(new Date(early.getTime() + 20_000));

    const lastHour = new Date(first.getTime() + RETRY_WINDOW_MS - MAX_RETRY_DELAY_MS);
    expect(nextAttemptAt(30, first, lastHour, BASE, 0)).toEqual(new Date(first.getTime() + RETRY_WINDOW_MS));
    expect(nextAttemptAt(30, first, new Date(lastHour.getTime() + 1), BASE, 0)).toBeNull();
  });
});

describe('webhook signature and body', () => {
  it('signs the exact body bytes as sha256=<hex HMAC-SHA256> with the secret', () => {
    const body = '{"id":"1","type":"order.created","at":"2026-01-01T00:00:00.000Z","data":{"name":"Zoë"}}';
    const expected = createHmac('sha256', 'a-secret-of-16-chars').update(Buffer.from(body, 'utf8')).digest('hex');

    expect(webhookSignature(body, 'a-secret-of-16-chars')).toBe(`sha256=${expected}`);
    expect(webhookSignature(`${body} `, 'a-secret-of-16-chars')).not.toBe(`sha256=${expected}`);
    expect(webhookSignature(body, 'another-secret-16')).not.toBe(`sha256=${expected}`);
  });

  it('builds the body {id, type, at, data} from the event, the same bytes on every attempt', () => {
    const delivery = { eventId: '42', type: 'order.shipped' as const, eventAt: new Date('2026-01-01T10:00:00.123Z'), data: { orderId: 'o-1' } };

    expect(JSON.parse(deliveryBody(delivery))).toEqual({ id: '42', type: 'order.shipped', at: '2026-01-01T10:00:00.123Z', data: { orderId: 'o-1' } });
    expect(deliveryBody({ ...delivery })).toBe(deliveryBody(delivery));
  });
});
