import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_HEADERS, ApiFixture, httpRequest, startApi } from './api-fixture';
import { StartedApp } from './app-process';
import { TestHaproxy } from './haproxy';
import { eventually, getJson } from './http';
import { RUN_DIR } from './drill-report';
import { settleAndAssertInvariants } from './invariants';
import { DatabaseServers, withClient } from './test-databases';
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

/** What the internal routing API answers when a group, routing or rule is created. */
interface Created {
  id: string;
}

/** The drills' facility group: every catalog facility, the last one first. */
const DRILL_FACILITY_GROUP = 'DRILL';
/** The first catalog facility takes this many orders a day, so that drills run into capacity too (when there are others to take the rest). */
const DRILL_FIRST_FACILITY_ORDERS_PER_DAY = 100;

/**
 * Makes the drills run under a routing group of their own instead of the seeded default: created
 * on the internal API, then the default PAUSED and this one ACTIVE. Larger orders of the drill's
 * channel (its API key's) go first to a facility of the group in sequence with plenty of stock,
 * then are split over facilities within 120 km, then anywhere, else backordered; every other order
 * goes to the nearest facility with every item, else is split by stock, else backordered. The last
 * rule of each routing takes stock wherever it is, so the drills' traffic is allocated as under the
 * default group whenever there is stock. Resolves with the group's id.
 */
export async function activateDrillRouting(f: ApiFixture, facilityIds: string[]): Promise<string> {
  const internal = async <T>(method: string, path: string, body: unknown, status: number): Promise<T> => {
    const response = await httpRequest<T>(`${f.internalUrl}/internal${path}`, method, body, ADMIN_HEADERS);
    if (response.status !== status) throw new Error(`${method} /internal${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const group = await f.api<Created>('POST', '/facility-groups', { code: DRILL_FACILITY_GROUP, name: 'Drill facilities', type: 'BROKERING' });
  if (group.status !== 201) throw new Error(`POST /facility-groups answered ${group.status}: ${JSON.stringify(group.body)}`);
  for (const [index, facilityId] of facilityIds.entries()) {
    const member = await f.api('PUT', `/facility-groups/${group.body.id}/members/${facilityId}`, { sequence: (facilityIds.length - index) * 10 });
    if (member.status !== 200) throw new Error(`PUT facility group member answered ${member.status}: ${JSON.stringify(member.body)}`);
  }

  const routingGroup = await internal<Created>(
    'POST',
    '/routing/groups',
    { name: 'Drill routing', trigger: 'ORDER_APPROVED', status: 'PAUSED' },
    201,
  );
  const routing = (body: Record<string, unknown>) => internal<Created>('POST', `/routing/groups/${routingGroup.id}/routings`, body, 201);
  const rule = (routingId: string, body: Record<string, unknown>) => internal<Created>('POST', `/routing/routings/${routingId}/rules`, body, 201);
  const backorder = { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' };

  const larger = await routing({
    name: 'Larger orders of the drill channel',
    sequence: 10,
    status: 'ACTIVE',
    orderFilters: [
      { field: 'salesChannel', operator: 'equals', value: f.key.salesChannel },
      { field: 'orderTotal', operator: 'greater-equals', value: 25 },
    ],
    orderSorts: [
      { field: 'priority', direction: 'desc' },
      { field: 'orderDate', direction: 'asc' },
    ],
  });
  await rule(larger.id, {
    name: 'A drill facility in sequence, well stocked',
    sequence: 10,
    status: 'ACTIVE',
    assignment: 'SINGLE',
    inventoryFilters: [
      { field: 'facilityGroup', operator: 'equals', value: DRILL_FACILITY_GROUP },
      { field: 'brokeringSafetyStock', operator: 'greater-equals', value: 20 },
    ],
    inventorySorts: [{ field: 'facilitySequence', direction: 'asc' }],
  });
  await rule(larger.id, {
    name: 'Split within 120 km',
    sequence: 20,
    status: 'ACTIVE',
    assignment: 'MULTI',
    inventoryFilters: [{ field: 'distanceKm', operator: 'less-equals', value: 120 }],
    inventorySorts: [{ field: 'distance', direction: 'asc' }],
  });
  await rule(larger.id, {
    name: 'Split anywhere, else backorder',
    sequence: 30,
    status: 'ACTIVE',
    assignment: 'MULTI',
    inventorySorts: [{ field: 'distance', direction: 'asc' }],
    unfilledAction: backorder,
  });

  const rest = await routing({ name: 'Everyone else', sequence: 20, status: 'ACTIVE', orderSorts: [{ field: 'orderDate', direction: 'asc' }] });
  await rule(rest.id, {
    name: 'Nearest warehouse or store with every item',
    sequence: 10,
    status: 'ACTIVE',
    assignment: 'SINGLE',
    inventoryFilters: [{ field: 'facilityType', operator: 'in', value: ['WAREHOUSE', 'STORE'] }],
    inventorySorts: [
      { field: 'distance', direction: 'asc' },
      { field: 'inventoryBalance', direction: 'desc' },
    ],
  });
  await rule(rest.id, {
    name: 'Split by stock, else backorder',
    sequence: 20,
    status: 'ACTIVE',
    assignment: 'MULTI',
    inventorySorts: [{ field: 'inventoryBalance', direction: 'desc' }],
    unfilledAction: backorder,
  });

  const groups = await internal<{ items: { id: string; trigger: string; status: string }[] }>('GET', '/routing/groups', undefined, 200);
  for (const active of groups.items.filter((candidate) => candidate.trigger === 'ORDER_APPROVED' && candidate.status === 'ACTIVE')) {
    await internal('PATCH', `/routing/groups/${active.id}`, { status: 'PAUSED' }, 200);
  }
  await internal('PATCH', `/routing/groups/${routingGroup.id}`, { status: 'ACTIVE' }, 200);
  return routingGroup.id;
}

/** Allocations not made by the drill's routing group: none, when the drill ran under it throughout. */
export function allocationsByOtherGroups(databaseUrl: string, groupId: string): Promise<Record<string, unknown>[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT order_id, item_id, routing_group_id FROM order_history WHERE type = 'ALLOCATED' AND routing_group_id IS DISTINCT FROM $1 LIMIT 10`,
      [groupId],
    );
    return rows;
  });
}

/** Rate limiting off: the drills' traffic is one API key, far above the default 6000 a minute. */
const DRILL_ENV = { RATE_LIMIT_PER_MINUTE: '0' };

/**
 * What a fault drill runs against: real sync-api and async-worker processes on fresh databases,
 * optionally behind HAProxy, with a stocked catalog routed by a routing group of the drills' own
 * (activateDrillRouting); it can replace the processes it stops and checks the invariants of
 * docs/architecture.md at the end.
 */
export class DrillStack {
  readonly apis: StartedApp[] = [];
  readonly workers: StartedApp[] = [];
  haproxy: TestHaproxy | undefined;
  productIds: string[] = [];
  facilityIds: string[] = [];
  /** The routing group the drill runs under (activateDrillRouting). */
  routingGroupId: string | undefined;
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
   * supervisor would); behind HAProxy, once HAProxy has taken the old one out (a new one ready
   * before two failed checks would never be seen going down, nor coming up), and resolves once
   * HAProxy has taken the new one in. Resolves with the old one's exit code.
   */
  async replaceApi(index: number, signal: NodeJS.Signals, env: Record<string, string> = {}): Promise<number | null> {
    const old = this.apis[index];
    const server = `sync-api-${index + 1}`;
    old.signal(signal);
    const code = await old.exited;
    await this.haproxy?.serverIs(server, 'DOWN');
    const downMark = this.haproxy?.logs.length ?? 0;
    this.addApi(await this.f.startInstance({ PORT: new URL(old.url).port, ...env }), index);
    await this.haproxy?.logged(new RegExp(`${server} is UP`), downMark);
    return code;
  }

  /**
   * After the traffic: waits for the workers to settle, checks every invariant (invariants.ts) and
   * holds the clients' acknowledged orders against the database (none lost, none created twice).
   */
  async verify(report?: TrafficReport, settleMs = 90_000): Promise<void> {
    await settleAndAssertInvariants(this.databaseUrl, settleMs);
    if (this.routingGroupId !== undefined) expect(await allocationsByOtherGroups(this.databaseUrl, this.routingGroupId)).toEqual([]);
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
    Array.from({ length: catalog.facilities }, (_, i) =>
      f.createFacility({
        latitude: 40 + i * 0.5,
        longitude: -74 + i * 0.5,
        type: i % 2 === 0 ? 'WAREHOUSE' : 'STORE',
        ...(i === 0 && catalog.facilities > 1 ? { maximumOrdersPerDay: DRILL_FIRST_FACILITY_ORDERS_PER_DAY } : {}),
      }),
    ),
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
    stack.routingGroupId = await activateDrillRouting(f, stack.facilityIds);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
