import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { StartedApp } from '../support/app-process';
import { ADDRESS, ApiFixture, Order, startApi, uniqueSuffix } from '../support/api-fixture';
import { eventually } from '../support/http';

/** OTLP/JSON's AnyValue, as far as the attributes of these spans go. */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
  links?: { traceId: string; spanId: string }[];
}
interface ExportTraceServiceRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** A received span, flattened: its service and its attributes as plain values. */
interface ReceivedSpan extends Omit<OtlpSpan, 'attributes'> {
  service: string;
  attributes: Record<string, unknown>;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CONSUMER = 5;

function plain(value: AnyValue): unknown {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return value.stringValue ?? value.intValue ?? value.boolValue;
}

function attributesOf(attributes: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, plain(value)]));
}

/** A tiny OTLP/HTTP collector: POST /v1/traces with the JSON encoding the apps' exporter sends. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Requests it could not take (another path, protobuf, a body that does not parse). */
  readonly refused: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    void this.receive(request).then((status) => response.writeHead(status, { 'content-type': 'application/json' }).end('{}'));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async receive(request: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    if (request.method !== 'POST' || request.url !== '/v1/traces' || !String(request.headers['content-type']).startsWith('application/json')) {
      this.refused.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      return 404;
    }
    try {
      this.add(JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest);
      return 200;
    } catch (error) {
      this.refused.push(`unparsable body: ${(error as Error).message}`);
      return 400;
    }
  }

  private add(request: ExportTraceServiceRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) this.spans.push({ ...span, service, attributes: attributesOf(span.attributes) });
      }
    }
  }
}

/** A --require'd probe: when the process exits, one stderr line names the OpenTelemetry packages it loaded. */
function moduleProbe(directory: string): string {
  const path = join(directory, 'opentelemetry-probe.js');
  writeFileSync(
    path,
    `process.on('exit', () => {
      const packages = Object.keys(require.cache).flatMap((file) => /node_modules\\/(@opentelemetry\\/[^/]+)\\//.exec(file)?.[1] ?? []);
      require('node:fs').writeSync(2, JSON.stringify({ probe: 'opentelemetry-packages', loaded: [...new Set(packages)].sort() }) + '\\n');
    });\n`,
  );
  return path;
}

function jsonLines(app: StartedApp): Record<string, unknown>[] {
  return app.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * The OpenTelemetry packages the probe saw loaded, once the app has exited, but the API: prom-client
 * loads that one itself (for exemplars), tracing or not; it is a no-op until an SDK registers.
 */
const loadedOpenTelemetryPackages = (app: StartedApp) =>
  (jsonLines(app).find((line) => line.probe === 'opentelemetry-packages')?.loaded as string[]).filter((name) => name !== '@opentelemetry/api');

/** Stops an app as an orchestrator would (SIGTERM: drain, close, flush the spans) and waits for it to exit. */
async function stopGracefully(app: StartedApp): Promise<void> {
  app.signal('SIGTERM');
  expect(await app.exited).toBe(0);
}

const BROKERED_WITHIN_MS = 20_000;

/** An order that brokering can allocate at once, sent with the given X-Request-Id; resolves once it is brokered. */
async function brokeredOrder(f: ApiFixture, requestId: string): Promise<Order> {
  const product = await f.createProduct();
  const facility = await f.createFacility();
  await f.setStock(facility.id, product.id, 5);
  const created = await f.api<Order>(
    'POST',
    '/orders',
    { customer: { email: 'trace@example.com' }, shippingAddress: ADDRESS, items: [{ productId: product.id, quantity: 1 }] },
    { 'x-request-id': requestId },
  );
  expect(created.status).toBe(201);
  expect(created.headers.get('x-request-id')).toBe(requestId);
  let order = created.body;
  await eventually(async () => {
    order = (await f.api<Order>('GET', `/orders/${order.id}`)).body;
    return order.status === 'BROKERED';
  }, BROKERED_WITHIN_MS);
  return order;
}

/** The worker's log lines of the brokering job that handled the request: each carries the request id and the job. */
function brokeringJobLines(worker: StartedApp, requestId: string): Record<string, unknown>[] {
  return jsonLines(worker).filter((line) => line.reqId === requestId);
}

describe('tracing on: one trace from the HTTP request through the outbox to the job and its SQL, exported over OTLP/HTTP', () => {
  const receiver = new OtlpReceiver();
  let probes: string;
  let f: ApiFixture;
  let worker: StartedApp;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    probes = mkdtempSync(join(tmpdir(), 'oms-tracing-'));
    f = await startApi('tracing', {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      // Longer than the test: what arrives was flushed by the graceful shutdown.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      SHUTDOWN_DRAIN_MS: '0',
      NODE_OPTIONS: `--require ${moduleProbe(probes)}`,
    });
    worker = await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
    await receiver.stop();
    rmSync(probes, { recursive: true, force: true });
  });

  it('links the HTTP server span, the outbox relay and the job span in the worker, the SQL under each, and the job logs the request id', async () => {
    const requestId = `trace-on-${uniqueSuffix()}`;
    const order = await brokeredOrder(f, requestId);
    await eventually(async () => brokeringJobLines(worker, requestId).some((line) => line.msg === 'job completed'));
    expect(jsonLines(f.app).find((line) => line.publicAddress)?.tracing).toEqual({
      tracesUrl: expect.stringMatching(/\/v1\/traces$/),
      serviceName: 'sync-api',
    });

    await stopGracefully(f.app);
    await stopGracefully(worker);
    expect(receiver.refused).toEqual([]);

    const job = receiver.spans.find(
      (span) =>
        span.service === 'async-worker' &&
        span.name === 'process broker-orders' &&
        (span.attributes['oms.request_ids'] as string[]).includes(requestId),
    );
    expect(job).toBeDefined();
    expect(job!.kind).toBe(SPAN_KIND_CONSUMER);
    expect(job!.attributes).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.destination.name': 'brokering' });

    const server = receiver.spans.find((span) => span.spanId === job!.parentSpanId);
    expect(server).toMatchObject({ service: 'sync-api', kind: SPAN_KIND_SERVER, traceId: job!.traceId });
    expect(JSON.stringify(server!.attributes)).toContain('/api/v1/orders');

    // A relay batch continues the trace of its first event and links the others': under load the
    // order's event can share a batch with an earlier request's (the stock set before it).
    const continuesOrLinks = (span: ReceivedSpan) =>
      span.parentSpanId === server!.spanId || (span.links ?? []).some((link) => link.spanId === server!.spanId && link.traceId === server!.traceId);
    const relay = receiver.spans.find((span) => span.name === 'outbox relay' && continuesOrLinks(span));
    expect(relay).toMatchObject({ service: 'async-worker', kind: SPAN_KIND_CONSUMER });
    if (relay!.parentSpanId === server!.spanId) expect(relay!.traceId).toBe(job!.traceId);

    const sqlUnder = (parent: ReceivedSpan) =>
      receiver.spans.filter((span) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId && span.name.startsWith('pg.'));
    expect(sqlUnder(server!).length).toBeGreaterThan(0);
    expect(sqlUnder(job!).length).toBeGreaterThan(0);
    expect(sqlUnder(job!).every((span) => span.service === 'async-worker')).toBe(true);

    const lines = brokeringJobLines(worker, requestId);
    expect(lines).toContainEqual(expect.objectContaining({ reqId: requestId, jobName: 'broker-orders', msg: 'job completed' }));
    for (const line of lines) expect(line).toMatchObject({ reqId: requestId, jobId: expect.any(String), jobName: 'broker-orders' });
    expect(order.status).toBe('BROKERED');

    // The probe sees them indeed: tracing on loads the SDK, the exporter and the instrumentations.
    const sdk = ['@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/instrumentation-pg', '@opentelemetry/sdk-trace-node'];
    expect(loadedOpenTelemetryPackages(f.app)).toEqual(expect.arrayContaining(sdk));
    expect(loadedOpenTelemetryPackages(worker)).toEqual(expect.arrayContaining(sdk));
  });
});

describe('tracing off (no OTLP endpoint): nothing of OpenTelemetry is loaded, and the request id still reaches the job', () => {
  let probes: string;
  let f: ApiFixture;
  let worker: StartedApp;

  beforeAll(async () => {
    probes = mkdtempSync(join(tmpdir(), 'oms-tracing-off-'));
    f = await startApi('tracing_off', { SHUTDOWN_DRAIN_MS: '0', NODE_OPTIONS: `--require ${moduleProbe(probes)}` });
    worker = await f.startWorker();
  });

  afterAll(async () => {
    await f?.stop();
    rmSync(probes, { recursive: true, force: true });
  });

  it("carries the request id into the brokering job's log lines, and the processes load no OpenTelemetry module", async () => {
    const requestId = `trace-off-${uniqueSuffix()}`;
    await brokeredOrder(f, requestId);
    await eventually(async () => brokeringJobLines(worker, requestId).some((line) => line.msg === 'job completed'));
    const [outboxRow] = await f.sql<{ request_id: string; traceparent: string | null }>(
      `SELECT request_id, traceparent FROM outbox_event WHERE topic = 'order.created' AND request_id = $1`,
      [requestId],
    );
    expect(outboxRow).toEqual({ request_id: requestId, traceparent: null });
    for (const line of brokeringJobLines(worker, requestId)) expect(line).toMatchObject({ jobName: 'broker-orders', queue: 'brokering' });

    expect(jsonLines(f.app).find((line) => line.publicAddress)?.tracing).toBe('off');
    expect(jsonLines(worker).find((line) => line.healthAddress)?.tracing).toBe('off');
    await stopGracefully(f.app);
    await stopGracefully(worker);
    expect(loadedOpenTelemetryPackages(f.app)).toEqual([]);
    expect(loadedOpenTelemetryPackages(worker)).toEqual([]);
  });
});
