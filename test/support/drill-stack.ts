import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiFixture, startApi } from './api-fixture';
import { StartedApp } from './app-process';
import { TestHaproxy } from './haproxy';
import { eventually, getJson } from './http';
import { RUN_DIR } from './drill-report';
import { settleAndAssertInvariants } from './invariants';
import { DatabaseServers } from './test-databases';
import { accountOrders, Operation, Traffic, TrafficReport } from './traffic';

export interface DrillStackOptions {
  /** Names the databases and queues of the run. */
  prefix: string;
  syncApis: 1 | 2;
  workers: number;
  /** HAProxy (docker/haproxy.cfg) in front of the two sync-api instances. */
  haproxy?: boolean;
  /** Environment of every process (sync-api and async-worker). */
  env?: Record<string, string>;
  /** Environment added for the workers only. */
  workerEnv?: Record<string, string>;
  /** The PostgreSQL pair to put the databases on; the shared test pair when absent. */
  servers?: DatabaseServers;
  /** Products x facilities, each row stocked with `stock` units. */
  catalog?: { products: number; facilities: number; stock: number };
}

export interface Readiness {
  status: number;
  /** Dependency (database, replica, redis) -> up or down. */
  details: Record<string, string>;
}

/** GET /health/ready of one process (sync-api public port or async-worker health port). */
export async function readiness(app: StartedApp): Promise<Readiness> {
  const response = await getJson<{ details?: Record<string, { status: string }> }>(`${app.url}/health/ready`);
  const details = Object.fromEntries(Object.entries(response.body?.details ?? {}).map(([name, entry]) => [name, entry.status]));
  return { status: response.status, details };
}

/** Waits until the process's readiness matches: its HTTP status and the state of the dependencies given. */
export function readinessBecomes(app: StartedApp, status: number, details: Record<string, string> = {}, timeoutMs = 60_000): Promise<number> {
  return eventually(
    async () => {
      const ready = await readiness(app);
      return ready.status === status && Object.entries(details).every(([name, state]) => ready.details[name] === state);
    },
    timeoutMs,
    200,
  );
}

/** Rate limiting off: the drills' traffic is one API key, far above the default 6000 a minute. */
const DRILL_ENV = { RATE_LIMIT_PER_MINUTE: '0' };

/**
 * What a fault drill runs against: real sync-api and async-worker processes on fresh databases,
 * optionally behind HAProxy, with a stocked catalog; it can replace the processes it stops and
 * checks the invariants of docs/architecture.md at the end.
 */
export class DrillStack {
  readonly apis: StartedApp[] = [];
  readonly workers: StartedApp[] = [];
  haproxy: TestHaproxy | undefined;
  productIds: string[] = [];
  facilityIds: string[] = [];
  /** Every process started, replaced ones too, by name: their logs are kept in .run/drills/<prefix>/. */
  private readonly started: [string, StartedApp][] = [];

  constructor(
    readonly f: ApiFixture,
    private readonly prefix: string,
    private readonly workerEnv: Record<string, string>,
  ) {
    this.addApi(f.app);
  }

  addApi(app: StartedApp, index = this.apis.length): StartedApp {
    this.apis[index] = app;
    this.started.push([`sync-api-${index + 1}`, app]);
    return app;
  }

  /** Where clients connect: HAProxy when there is one, else the first sync-api. */
  get url(): string {
    return this.haproxy?.url ?? this.apis[0].url;
  }

  get databaseUrl(): string {
    return this.f.databases.databaseUrl;
  }

  async startWorker(env: Record<string, string> = {}): Promise<StartedApp> {
    const worker = await this.f.startWorker({ ...this.workerEnv, ...env });
    this.workers.push(worker);
    this.started.push([`async-worker-${this.workers.length}`, worker]);
    return worker;
  }

  /** Mixed traffic to the stack's catalog with the fixture's API key (not started yet). */
  traffic(options: { concurrency: number; mix: Partial<Record<Operation, number>>; retry: boolean; retryForMs?: number }): Traffic {
    return new Traffic({ baseUrl: this.url, apiKey: this.f.key.key, productIds: this.productIds, facilityIds: this.facilityIds, ...options });
  }

  /**
   * Stops sync-api number `index` with the signal and starts another on the same public port (as a
   * supervisor would); behind HAProxy, resolves once HAProxy has taken the new one in. Resolves with
   * the old one's exit code.
   */
  async replaceApi(index: number, signal: NodeJS.Signals, env: Record<string, string> = {}): Promise<number | null> {
    const old = this.apis[index];
    const logMark = this.haproxy?.logs.length ?? 0;
    old.signal(signal);
    const code = await old.exited;
    this.addApi(await this.f.startInstance({ PORT: new URL(old.url).port, ...env }), index);
    await this.haproxy?.logged(new RegExp(`sync-api-${index + 1} is UP`), logMark);
    return code;
  }

  /**
   * After the traffic: waits for the workers to settle, checks every invariant (invariants.ts) and
   * holds the clients' acknowledged orders against the database (none lost, none created twice).
   */
  async verify(report?: TrafficReport, settleMs = 90_000): Promise<void> {
    await settleAndAssertInvariants(this.databaseUrl, settleMs);
    if (!report) return;
    const accounting = await accountOrders(this.databaseUrl, this.f.key.id, report);
    expect({ lost: accounting.lost, duplicated: accounting.duplicated, uncancelled: accounting.uncancelled }).toEqual({
      lost: [],
      duplicated: [],
      uncancelled: [],
    });
  }

  async stop(): Promise<void> {
    await this.haproxy?.stop();
    // The fixture started every process (replacements too) and stops them all.
    await this.f.stop();
    this.keepLogs();
  }

  /** Each process's log (and HAProxy's) in .run/drills/<prefix>/, to read after a failed drill. */
  private keepLogs(): void {
    const dir = join(RUN_DIR, 'drills', this.prefix);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const logs = this.started.map(([name, app]): [string, string[]] => [name, app.logs]);
    if (this.haproxy) logs.push(['haproxy', this.haproxy.logs]);
    const seen = new Map<string, number>();
    for (const [name, lines] of logs) {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      writeFileSync(join(dir, `${name}${n > 1 ? `.${n}` : ''}.log`), `${lines.join('\n')}\n`);
    }
  }
}

async function stockCatalog(stack: DrillStack, catalog: { products: number; facilities: number; stock: number }): Promise<void> {
  const { f } = stack;
  const facilities = await Promise.all(
    Array.from({ length: catalog.facilities }, (_, i) => f.createFacility({ latitude: 40 + i * 0.5, longitude: -74 + i * 0.5 })),
  );
  const products = await Promise.all(Array.from({ length: catalog.products }, () => f.createProduct()));
  for (const facility of facilities) {
    await Promise.all(products.map((product) => f.setStock(facility.id, product.id, catalog.stock)));
  }
  stack.facilityIds = facilities.map((facility) => facility.id);
  stack.productIds = products.map((product) => product.id);
}

export async function startDrillStack(options: DrillStackOptions): Promise<DrillStack> {
  const f = await startApi(options.prefix, { ...DRILL_ENV, ...options.env }, options.servers);
  const stack = new DrillStack(f, options.prefix, options.workerEnv ?? {});
  try {
    if (options.syncApis === 2) stack.addApi(await f.startInstance());
    for (let i = 0; i < options.workers; i++) await stack.startWorker();
    if (options.haproxy) {
      stack.haproxy = new TestHaproxy();
      await stack.haproxy.start([stack.apis[0].url, stack.apis[stack.apis.length - 1].url]);
    }
    await stockCatalog(stack, options.catalog ?? { products: 4, facilities: 2, stock: 1000 });
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
