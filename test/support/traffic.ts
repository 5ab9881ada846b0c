import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { REJECTION_REASONS } from '../../libs/data/src/routing/rejection-effect';
import { RETURN_REASONS } from '../../libs/data/src/returns/return-reasons';
import { ADDRESS, httpRequest, Order } from './api-fixture';
import { withClient } from './test-databases';

/**
 * Mixed client traffic for the fault drills and the soak: what users of the load balancer send,
 * with every response accounted for. Retry-safe requests (GETs, order creation with an
 * Idempotency-Key, and cancellation, which the API makes idempotent: a cancelled order cancels to
 * itself) may be retried on a network error or a 5xx, as a well-behaved client would; stock
 * adjustments, rejections (a facility rejecting an item it was allocated, which routes it
 * elsewhere, so a second one rejects it there), picklists (each takes other items) and shipping
 * (a second call ships what was allocated since) and returns (each requests or receives another)
 * are not retry-safe and are never retried.
 */
export type Operation =
  | 'product'
  | 'availability'
  | 'orderRead'
  | 'list'
  | 'order'
  | 'cancel'
  | 'stock'
  | 'reject'
  | 'picklist'
  | 'ship'
  | 'return'
  | 'supply'
  | 'transfer';

const RETRY_SAFE: Record<Operation, boolean> = {
  product: true,
  availability: true,
  orderRead: true,
  list: true,
  order: true,
  cancel: true,
  stock: false,
  reject: false,
  picklist: false,
  ship: false,
  return: false,
  supply: false,
  transfer: false,
};

export interface TrafficOptions {
  baseUrl: string;
  apiKey: string;
  productIds: string[];
  facilityIds: string[];
  /** Clients sending back to back. */
  concurrency: number;
  /** Relative frequency of each operation (absent: never sent). */
  mix: Partial<Record<Operation, number>>;
  /** Retry the retry-safe requests that fail, until they succeed or `retryForMs` has passed. */
  retry: boolean;
  retryForMs?: number;
}

export interface FailedAttempt {
  operation: Operation;
  method: string;
  path: string;
  /** `HTTP 502`, or the network error. */
  outcome: string;
  /** Milliseconds since the traffic started. */
  at: number;
}

export interface OperationFigures {
  requests: number;
  served: number;
  failedAttempts: number;
  p50Ms: number;
  p99Ms: number;
}

export interface TrafficReport {
  seconds: number;
  /** Requests the clients wanted answered (a retried request counts once). */
  requests: number;
  /** Requests answered as expected, at the first attempt or after retries. */
  served: number;
  /** Every attempt that failed (network error or unexpected status), retried or not. */
  failedAttempts: FailedAttempt[];
  /** Requests that failed at least once and then succeeded on a retry. */
  retriedAndServed: number;
  /** Requests that never succeeded (their last attempt): not retry-safe, or retries exhausted. */
  failedForGood: FailedAttempt[];
  latency: { p50Ms: number; p99Ms: number; maxMs: number };
  byOperation: Partial<Record<Operation, OperationFigures>>;
  /** Orders whose creation was acknowledged (201/200): Idempotency-Key -> order id. */
  acknowledgedOrders: Map<string, string>;
  /** Idempotency-Keys of order creations that never got an answer (the order may or may not exist). */
  unacknowledgedOrderKeys: string[];
  /** Orders acknowledged as cancelled. */
  cancelledOrders: Set<string>;
}

const EXPECTED_STATUS: Record<Operation, number[]> = {
  product: [200],
  availability: [200],
  orderRead: [200],
  list: [200],
  order: [200, 201],
  // 409: an item of the order has shipped.
  cancel: [200, 409],
  stock: [201],
  // 409: the item is no longer held there (cancelled, shipped, or rejected by another client first and waiting).
  reject: [200, 409],
  // 409: no item there waits to be picked.
  picklist: [201, 409],
  // 409: the facility holds nothing of the order any more (shipped, cancelled or rejected meanwhile).
  ship: [201, 409],
  // A return request (201), or the receipt with restock of one requested before (200).
  return: [200, 201],
  // A purchase order (201), a receipt (201), or a receipt beyond what the line still has open (409).
  supply: [201, 409],
  // A transfer created (201; 409: too little available at the source), shipped or received (200; 409: a step taken already).
  transfer: [200, 201, 409],
};

interface Request {
  operation: Operation;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Called with the body of the successful response. */
  onServed?: (body: unknown) => void;
}

/** Whether a client may send the request again after a failure without risk of doing it twice. */
export function isRetrySafe(operation: Operation): boolean {
  return RETRY_SAFE[operation];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function figures(latencies: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)), maxMs: Math.round(sorted.at(-1) ?? 0) };
}

const pick = <T>(values: readonly T[]): T => values[randomInt(values.length)];

/**
 * Every reason but NOT_IN_STOCK, which sets on hand to what others reserve: a few of them would
 * empty the few inventory rows of a drill's catalog, and the traffic is to be allocated, not
 * backordered (the reason's effect has e2e tests of its own).
 */
const DRILL_REJECTION_REASONS = REJECTION_REASONS.filter((reason) => reason !== 'NOT_IN_STOCK');

/** Traffic that runs from start() until stop(); stop() resolves once every client has finished its request. */
export class Traffic {
  private running = false;
  private clients: Promise<void>[] = [];
  private startedAt = 0;
  private readonly latencies = new Map<Operation, number[]>();
  private readonly counts = new Map<Operation, { requests: number; served: number; failedAttempts: number }>();
  private readonly failedAttempts: FailedAttempt[] = [];
  private retriedAndServed = 0;
  private readonly failedForGood: FailedAttempt[] = [];
  private readonly acknowledgedOrders = new Map<string, string>();
  private readonly unacknowledgedOrderKeys: string[] = [];
  private readonly cancelledOrders = new Set<string>();
  /** Items a fulfilment shipped, not yet returned, newest last: what a customer may send back. */
  private readonly shippedItems: { orderId: string; itemId: string; facilityId: string }[] = [];
  /** Returns requested and not yet received. */
  private readonly requestedReturns: string[] = [];
  /** Items seen held by a facility (allocated or picking) in the orders read, newest last: what it may reject or ship. */
  private readonly allocatedItems: { orderId: string; itemId: string; facilityId: string }[] = [];
  /** Purchase orders created, with the product they bring: receipts go against them. */
  private readonly purchaseOrders: { id: string; productId: string }[] = [];
  /** Transfer orders created or shipped, with the step each takes next. */
  private readonly transfers: { id: string; next: 'ship' | 'receive' }[] = [];
  private readonly weighted: Operation[];

  constructor(private readonly options: TrafficOptions) {
    this.weighted = Object.entries(options.mix).flatMap(([operation, weight]) => Array<Operation>(weight).fill(operation as Operation));
  }

  start(): this {
    this.running = true;
    this.startedAt = Date.now();
    this.clients = Array.from({ length: this.options.concurrency }, () => this.client());
    return this;
  }

  /** Orders acknowledged so far. */
  get ordersAcknowledged(): number {
    return this.acknowledgedOrders.size;
  }

  /** Attempts that failed so far. */
  get failuresSoFar(): number {
    return this.failedAttempts.length;
  }

  async stop(): Promise<TrafficReport> {
    this.running = false;
    await Promise.all(this.clients);
    const all = [...this.latencies.values()].flat();
    const byOperation: Partial<Record<Operation, OperationFigures>> = {};
    for (const [operation, count] of this.counts) {
      const { p50Ms, p99Ms } = figures(this.latencies.get(operation) ?? []);
      byOperation[operation] = { ...count, p50Ms, p99Ms };
    }
    const requests = [...this.counts.values()].reduce((sum, count) => sum + count.requests, 0);
    return {
      seconds: Math.round((Date.now() - this.startedAt) / 100) / 10,
      requests,
      served: requests - this.failedForGood.length,
      failedAttempts: this.failedAttempts,
      retriedAndServed: this.retriedAndServed,
      failedForGood: this.failedForGood,
      latency: figures(all),
      byOperation,
      acknowledgedOrders: this.acknowledgedOrders,
      unacknowledgedOrderKeys: this.unacknowledgedOrderKeys,
      cancelledOrders: this.cancelledOrders,
    };
  }

  private async client(): Promise<void> {
    while (this.running) await this.send(this.next());
  }

  private next(): Request {
    const operation = pick(this.weighted);
    const product = pick(this.options.productIds);
    switch (operation) {
      case 'product':
        return { operation, method: 'GET', path: `/products/${product}` };
      case 'availability':
        return { operation, method: 'GET', path: `/products/${product}/availability` };
      case 'list':
        return { operation, method: 'GET', path: `/inventory?productId=${product}` };
      case 'orderRead': {
        const id = this.someOrder();
        return id
          ? { operation, method: 'GET', path: `/orders/${id}`, onServed: (body) => this.noteAllocated(body as Order) }
          : { operation: 'product', method: 'GET', path: `/products/${product}` };
      }
      case 'order':
        return this.orderCreation();
      case 'cancel': {
        const id = this.someOrder();
        if (!id) return this.orderCreation();
        return {
          operation,
          method: 'POST',
          path: `/orders/${id}/cancel`,
          // A 409 (an item shipped) leaves the order as it was: only a cancelled order is acknowledged as one.
          onServed: (body) => (body as Partial<Order>).status === 'CANCELLED' && this.cancelledOrders.add(id),
        };
      }
      case 'stock':
        return {
          operation,
          method: 'POST',
          path: '/inventory/adjustments',
          body: { facilityId: pick(this.options.facilityIds), productId: product, delta: randomInt(1, 6), reason: 'drill restock' },
        };
      case 'reject': {
        const item = this.allocatedItems.pop();
        if (!item) return this.orderCreation();
        return {
          operation,
          method: 'POST',
          path: `/orders/${item.orderId}/items/${item.itemId}/reject`,
          body: { reason: pick(DRILL_REJECTION_REASONS), note: 'drill rejection' },
        };
      }
      case 'picklist':
        return { operation, method: 'POST', path: `/facilities/${pick(this.options.facilityIds)}/picklists`, body: { limit: 5 } };
      case 'ship': {
        const item = this.allocatedItems.pop();
        if (!item) return this.orderCreation();
        return {
          operation,
          method: 'POST',
          path: `/orders/${item.orderId}/fulfillments`,
          body: { facilityId: item.facilityId },
          onServed: (body) => this.noteShipped(body as { orderId: string; facilityId: string; shippedItemIds?: string[] }),
        };
      }
      case 'return':
        return this.returnStep() ?? this.orderCreation();
      case 'supply':
        return this.supplyStep(product);
      case 'transfer':
        return this.transferStep(product);
    }
  }

  /** Receives a few units against a purchase order created before (one in three steps makes a new one, due within 30 days). */
  private supplyStep(productId: string): Request {
    const open = this.purchaseOrders.length > 0 && randomInt(3) > 0 ? pick(this.purchaseOrders) : undefined;
    if (open) {
      return {
        operation: 'supply',
        method: 'POST',
        path: `/purchase-orders/${open.id}/receipts`,
        body: { items: [{ productId: open.productId, quantity: randomInt(1, 6) }] },
      };
    }
    const expectedDate = new Date(Date.now() + randomInt(1, 30) * 86_400_000).toISOString().slice(0, 10);
    return {
      operation: 'supply',
      method: 'POST',
      path: '/purchase-orders',
      body: { facilityId: pick(this.options.facilityIds), expectedDate, items: [{ productId, quantity: randomInt(5, 20) }] },
      onServed: (body) => this.purchaseOrders.push({ id: (body as { id: string }).id, productId }),
    };
  }

  /** Takes the next step of a transfer created before (ship, then receive), or creates one between two of the facilities. */
  private transferStep(productId: string): Request {
    const transfer = this.transfers.pop();
    if (transfer) {
      return {
        operation: 'transfer',
        method: 'POST',
        path: `/transfer-orders/${transfer.id}/${transfer.next}`,
        onServed: () => transfer.next === 'ship' && this.transfers.unshift({ id: transfer.id, next: 'receive' }),
      };
    }
    const [from, to] = [pick(this.options.facilityIds), pick(this.options.facilityIds)];
    if (from === to) return this.supplyStep(productId);
    return {
      operation: 'transfer',
      method: 'POST',
      path: '/transfer-orders',
      body: { from, to, items: [{ productId, quantity: randomInt(1, 3) }] },
      onServed: (body) => (body as { id?: string }).id !== undefined && this.transfers.push({ id: (body as { id: string }).id, next: 'ship' }),
    };
  }

  /** Receives, with restock, a return requested before; else asks to return one unit of a shipped item. */
  private returnStep(): Request | undefined {
    const returnId = this.requestedReturns.pop();
    if (returnId) return { operation: 'return', method: 'POST', path: `/returns/${returnId}/receive`, body: { restock: true } };
    const item = this.shippedItems.pop();
    if (!item) return undefined;
    return {
      operation: 'return',
      method: 'POST',
      path: `/orders/${item.orderId}/returns`,
      body: { facilityId: item.facilityId, items: [{ itemId: item.itemId, quantity: 1, reason: pick(RETURN_REASONS) }] },
      onServed: (body) => this.requestedReturns.push((body as { id: string }).id),
    };
  }

  /** Notes what a fulfilment shipped; a 409 (nothing left there to ship) shipped nothing. */
  private noteShipped(fulfillment: { orderId: string; facilityId: string; shippedItemIds?: string[] }): void {
    const { orderId, facilityId, shippedItemIds = [] } = fulfillment;
    this.shippedItems.push(...shippedItemIds.map((itemId) => ({ orderId, itemId, facilityId })));
    this.shippedItems.splice(0, Math.max(0, this.shippedItems.length - 200));
  }

  private noteAllocated(order: Order): void {
    const allocated = order.items
      .filter((item) => (item.status === 'ALLOCATED' || item.status === 'PICKING') && item.facilityId !== null)
      .map((item) => ({ orderId: order.id, itemId: item.id, facilityId: item.facilityId! }));
    this.allocatedItems.push(...allocated);
    this.allocatedItems.splice(0, Math.max(0, this.allocatedItems.length - 200));
  }

  private someOrder(): string | undefined {
    const ids = [...this.acknowledgedOrders.values()];
    return ids.length === 0 ? undefined : ids[randomInt(Math.max(0, ids.length - 200), ids.length)];
  }

  private orderCreation(): Request {
    const key = randomUUID();
    const lines = randomInt(1, 3);
    const first = randomInt(this.options.productIds.length);
    return {
      operation: 'order',
      method: 'POST',
      path: '/orders',
      headers: { 'idempotency-key': key },
      body: {
        customer: { email: `drill-${key.slice(0, 8)}@example.com` },
        shippingAddress: { ...ADDRESS, latitude: ADDRESS.latitude + randomInt(-100, 100) / 100 },
        items: Array.from({ length: lines }, (_, i) => ({
          productId: this.options.productIds[(first + i) % this.options.productIds.length],
          quantity: randomInt(1, 4),
        })),
      },
      onServed: (body) => this.acknowledgedOrders.set(key, (body as Order).id),
    };
  }

  private count(operation: Operation, field: 'requests' | 'served' | 'failedAttempts'): void {
    const count = this.counts.get(operation) ?? { requests: 0, served: 0, failedAttempts: 0 };
    count[field]++;
    this.counts.set(operation, count);
  }

  /** One request, retried while it fails if it is retry-safe and retries are on. */
  private async send(request: Request): Promise<void> {
    this.count(request.operation, 'requests');
    const retryUntil = Date.now() + (this.options.retryForMs ?? 60_000);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(request);
      if (outcome === undefined) {
        this.count(request.operation, 'served');
        if (attempt > 1) this.retriedAndServed++;
        return;
      }
      this.count(request.operation, 'failedAttempts');
      const failed = { operation: request.operation, method: request.method, path: request.path, outcome, at: Date.now() - this.startedAt };
      this.failedAttempts.push(failed);
      const retry = this.options.retry && RETRY_SAFE[request.operation] && /^(HTTP 5|[^H])/.test(outcome) && Date.now() < retryUntil;
      if (!retry) {
        this.failedForGood.push(failed);
        if (request.operation === 'order') this.unacknowledgedOrderKeys.push(request.headers!['idempotency-key']);
        return;
      }
      await sleep(Math.min(1000, 100 * attempt));
    }
  }

  /** undefined when served as expected, else what went wrong. */
  private async attempt(request: Request): Promise<string | undefined> {
    const started = performance.now();
    try {
      const response = await httpRequest(`${this.options.baseUrl}/api/v1${request.path}`, request.method, request.body, {
        authorization: `Bearer ${this.options.apiKey}`,
        ...request.headers,
      });
      const latencies = this.latencies.get(request.operation) ?? [];
      latencies.push(performance.now() - started);
      this.latencies.set(request.operation, latencies);
      if (!EXPECTED_STATUS[request.operation].includes(response.status))
        return `HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
      request.onServed?.(response.body);
      return undefined;
    } catch (error) {
      return String((error as Error).cause ?? error);
    }
  }
}

/** One line for the test log: requests, failures (each failed attempt listed briefly), retries, latency. */
export function summarize(name: string, report: TrafficReport): string {
  const failures = report.failedAttempts.map((f) => `${f.method} ${f.path.replace(/[0-9a-f-]{36}/g, ':id')} -> ${f.outcome.slice(0, 80)} @${f.at}ms`);
  return (
    `${name}: ${report.requests} requests in ${report.seconds}s, ${report.served} served, ${report.failedAttempts.length} failed attempts ` +
    `(${report.retriedAndServed} requests retried and served, ${report.failedForGood.length} failed for good), ` +
    `${report.acknowledgedOrders.size} orders acknowledged, p50 ${report.latency.p50Ms} ms, p99 ${report.latency.p99Ms} ms` +
    (failures.length > 0 ? `; failures: ${failures.slice(0, 20).join('; ')}${failures.length > 20 ? ` (+${failures.length - 20} more)` : ''}` : '')
  );
}

/** The report's figures as plain JSON (for .run/ files): counts, latencies and the failed attempts. */
export function trafficFigures(report: TrafficReport): Record<string, unknown> {
  const { acknowledgedOrders, unacknowledgedOrderKeys, cancelledOrders, ...figures } = report;
  return {
    ...figures,
    ordersAcknowledged: acknowledgedOrders.size,
    ordersUnacknowledged: unacknowledgedOrderKeys.length,
    ordersCancelled: cancelledOrders.size,
  };
}

export interface OrderAccounting {
  /** Acknowledged orders that are not in the database under their Idempotency-Key. */
  lost: { key: string; id: string; stored: string | null }[];
  /** Orders of the traffic's API key that no Idempotency-Key points to: created twice. */
  duplicated: string[];
  /** Acknowledged as cancelled but not CANCELLED. */
  uncancelled: string[];
  /** Orders whose creation was never acknowledged (request failed for good) yet exist. */
  unacknowledgedButStored: number;
}

/** Holds the client's view of its orders against the database: no order lost, none created twice. */
export function accountOrders(databaseUrl: string, apiKeyId: string, report: TrafficReport): Promise<OrderAccounting> {
  return withClient(databaseUrl, async (client) => {
    const keys = [...report.acknowledgedOrders.keys()];
    const { rows: stored } = await client.query<{ key: string; orderId: string }>(
      `SELECT r.key, r.order_id AS "orderId" FROM idempotency_record r JOIN sales_order o ON o.id = r.order_id
        WHERE r.api_key_id = $1 AND r.key = ANY($2::text[])`,
      [apiKeyId, keys],
    );
    const byKey = new Map(stored.map((row) => [row.key, row.orderId]));
    const lost = [...report.acknowledgedOrders]
      .filter(([key, id]) => byKey.get(key) !== id)
      .map(([key, id]) => ({ key, id, stored: byKey.get(key) ?? null }));
    const { rows: duplicated } = await client.query<{ id: string }>(
      `SELECT id FROM sales_order o WHERE api_key_id = $1 AND NOT EXISTS (SELECT 1 FROM idempotency_record r WHERE r.order_id = o.id)`,
      [apiKeyId],
    );
    const { rows: uncancelled } = await client.query<{ id: string }>(
      `SELECT id FROM sales_order WHERE id = ANY($1::uuid[]) AND status <> 'CANCELLED'`,
      [[...report.cancelledOrders]],
    );
    const { rows: unacknowledged } = await client.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM idempotency_record WHERE api_key_id = $1 AND key = ANY($2::text[])',
      [apiKeyId, report.unacknowledgedOrderKeys],
    );
    return {
      lost,
      duplicated: duplicated.map((row) => row.id),
      uncancelled: uncancelled.map((row) => row.id),
      unacknowledgedButStored: unacknowledged[0].count,
    };
  });
}
