import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ADDRESS, ApiFixture, httpRequest, startApi, uniqueSuffix } from '../support/api-fixture';
import { reportDrill, writeRunReport } from '../support/drill-report';
import { activateDrillRouting, allocationsByOtherGroups } from '../support/drill-stack';
import { settleAndAssertInvariants } from '../support/invariants';
import { withClient } from '../support/test-databases';
import { ClusterUrls, PgCluster } from '../support/pg-cluster';
import { freePort } from '../support/ports';

const ROOT = join(__dirname, '..', '..');

/** The drill's own pair: never the shared 5434/5433 that other tests run on. */
const cluster = new PgCluster('failover', 5454, 5453);

const WRITERS = 4;
const WRITE_BEFORE_KILL_MS = 3000;
const SUCCESSES_AFTER_FAILOVER = 100;
const RECOVERY_TIMEOUT_MS = 60_000;

type Mode = 'async' | 'sync';

interface Attempt {
  startedAt: number;
  endedAt: number;
  ok: boolean;
  /** The order created, when the POST answered 201. */
  orderId?: string;
}

export interface FailoverReport {
  mode: Mode;
  /** Orders whose POST answered 201. */
  acknowledged: number;
  /** Acknowledged orders missing on the new primary: the data loss. */
  lost: number;
  lostOrderIds: string[];
  /**
   * Orders kept on the new primary although they were created after a lost one was acknowledged
   * (their request started after its 201), among those acknowledged before the kill: always empty
   * when the replica held a prefix of the old primary's history, as streaming replication promises.
   */
  keptAfterLost: string[];
  failedRequests: number;
  /** First failed request to first success after it (ms), null when no request failed. */
  unavailableMs: number | null;
  /** The SIGKILL of the primary until the first success after it. */
  killToFirstSuccessMs: number;
  /** scripts/failover's own run time. */
  failoverScriptMs: number;
  /** Until the workers had brokered every order and the invariants held on the new primary. */
  settledMs: number | null;
  oldPrimaryPort: number;
  newPrimaryPort: number;
}

/** Writes orders from several clients until stopped; every attempt is recorded with its outcome. */
class OrderWriters {
  readonly attempts: Attempt[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly f: ApiFixture,
    private readonly productId: string,
  ) {
    this.loops = Array.from({ length: WRITERS }, () => this.loop());
  }

  /** Orders whose POST answered 201. */
  get acknowledged(): string[] {
    return this.attempts.flatMap((attempt) => (attempt.orderId === undefined ? [] : [attempt.orderId]));
  }

  successesSince(time: number): number {
    return this.attempts.filter((attempt) => attempt.ok && attempt.startedAt >= time).length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const startedAt = Date.now();
      let ok = false;
      let orderId: string | undefined;
      try {
        const response = await httpRequest<{ id: string }>(
          `${this.f.url}/api/v1/orders`,
          'POST',
          {
            externalId: `failover-${uniqueSuffix()}`,
            customer: { email: 'drill@example.com' },
            shippingAddress: ADDRESS,
            items: [{ productId: this.productId, quantity: 1 }],
          },
          { authorization: `Bearer ${this.f.key.key}` },
        );
        ok = response.status === 201;
        if (ok) orderId = response.body.id;
      } catch {
        // a reset or a timeout: a failed request like a 5xx
      }
      this.attempts.push({ startedAt, endedAt: Date.now(), ok, orderId });
      if (!ok) await sleep(50);
    }
  }
}

/** The first failed request after `since` and the first success that started after it ended. */
function unavailability(attempts: Attempt[], since: number): { failed: number; unavailableMs: number | null; firstSuccessAt: number } {
  const after = attempts.filter((attempt) => attempt.endedAt >= since);
  const failures = after.filter((attempt) => !attempt.ok);
  const firstFailure = failures.reduce<number | undefined>((first, attempt) => Math.min(first ?? attempt.endedAt, attempt.endedAt), undefined);
  const successes = after.filter((attempt) => attempt.ok && attempt.startedAt >= (firstFailure ?? since));
  const firstSuccessAt = Math.min(...successes.map((attempt) => attempt.endedAt));
  return { failed: failures.length, unavailableMs: firstFailure === undefined ? null : firstSuccessAt - firstFailure, firstSuccessAt };
}

function serverEnv(endpoint: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OMS_PG_DIR: cluster.dataDir,
    OMS_PG_PRIMARY_PORT: String(cluster.primaryPort),
    OMS_PG_REPLICA_PORT: String(cluster.replicaPort),
    ...endpoint,
  };
}

/**
 * The orders the new primary kept that break the prefix a replica holds: acknowledged before the
 * kill (so committed on the old primary), created after some lost order had been acknowledged
 * (committed after it), and present while that one is missing.
 */
function keptAfterLost(attempts: Attempt[], found: Set<string>, killedAt: number): string[] {
  const lostAckedAt = attempts.filter((attempt) => attempt.orderId !== undefined && !found.has(attempt.orderId)).map((attempt) => attempt.endedAt);
  if (lostAckedAt.length === 0) return [];
  const firstLostAckedAt = Math.min(...lostAckedAt);
  return attempts
    .filter(
      (attempt) => attempt.orderId !== undefined && found.has(attempt.orderId) && attempt.endedAt < killedAt && attempt.startedAt > firstLostAckedAt,
    )
    .map((attempt) => attempt.orderId!);
}

async function serverPort(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ port: number }>('SELECT inet_server_port() AS port')).rows[0].port));
}

/** The primary's replication settings and the state of its standby, as PostgreSQL reports them. */
async function replicationState(url: string): Promise<{ names: string; standbys: string[] }> {
  return withClient(url, async (client) => {
    const names = (await client.query<{ names: string }>("SELECT current_setting('synchronous_standby_names') AS names")).rows[0].names;
    const { rows } = await client.query<{ state: string }>(`SELECT state || '/' || sync_state AS state FROM pg_stat_replication`);
    return { names, standbys: rows.map((row) => row.state) };
  });
}

/**
 * Disaster recovery (docs/failover.md): orders are written in a loop through a sync-api whose
 * DATABASE_URL is the pair's endpoint; the primary is killed hard (every process SIGKILLed, as
 * when its machine is lost) and scripts/failover promotes the replica. Measured: acknowledged
 * orders missing on the new primary (data loss) and how long the API failed. Asynchronous
 * replication may lose the last commits (how many is reported), but only the last ones: the
 * replica replays the primary's history in order, so what it kept is a prefix of it. Synchronous
 * replication must lose none.
 */
describe('drill: the primary is lost and scripts/failover promotes the replica', () => {
  const reports: FailoverReport[] = [];
  let endpoint: Record<string, string>;

  beforeAll(async () => {
    endpoint = { OMS_PG_WRITER_PORT: String(await freePort()), OMS_PG_READER_PORT: String(await freePort()) };
  });

  afterAll(async () => {
    writeRunReport('failover-report.json', { at: new Date().toISOString(), cpus: cpus().length, runs: reports });
    await cluster.run('down', endpoint);
  });

  async function drill(mode: Mode): Promise<FailoverReport> {
    // After the first run this rebuilds the old primary as the new replica (a re-clone).
    const urls: ClusterUrls = await cluster.up({ ...endpoint, OMS_PG_SYNC_REPLICATION: mode === 'sync' ? '1' : '0' });
    const replication = await replicationState(urls.DATABASE_URL);
    expect(replication).toEqual(
      mode === 'sync' ? { names: 'ANY 1 (*)', standbys: ['streaming/quorum'] } : { names: '', standbys: ['streaming/async'] },
    );
    const oldPrimaryPort = await serverPort(urls.DATABASE_URL);

    const f = await startApi(`failover_${mode}`, { RATE_LIMIT_PER_MINUTE: '0', BROKERING_SWEEP_CRON: '*/2 * * * * *' }, urls);
    try {
      await f.startWorker();
      const facility = await f.createFacility();
      const product = await f.createProduct();
      await f.setStock(facility.id, product.id, 1_000_000);
      const routingGroupId = await activateDrillRouting(f, [facility.id]);

      const writers = new OrderWriters(f, product.id);
      await sleep(WRITE_BEFORE_KILL_MS);
      const killedAt = Date.now();
      await cluster.run('primary-kill', endpoint);
      const failoverStarted = Date.now();
      await promisify(execFile)(join(ROOT, 'scripts', 'failover'), [], { env: serverEnv(endpoint), timeout: 180_000 });
      const failoverScriptMs = Date.now() - failoverStarted;
      const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
      while (writers.successesSince(failoverStarted) < SUCCESSES_AFTER_FAILOVER && Date.now() < deadline) await sleep(100);
      await writers.stop();
      expect(writers.successesSince(failoverStarted)).toBeGreaterThanOrEqual(SUCCESSES_AFTER_FAILOVER);

      const newPrimaryPort = await serverPort(urls.DATABASE_URL);
      expect(newPrimaryPort).not.toBe(oldPrimaryPort);
      const found = await withClient(f.databases.databaseUrl, async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM sales_order WHERE id = ANY($1::uuid[])', [writers.acknowledged]);
        return new Set(rows.map((row) => row.id));
      });
      const lostOrderIds = writers.acknowledged.filter((id) => !found.has(id));
      const outage = unavailability(writers.attempts, killedAt);
      // The new primary holds a consistent prefix of the old one's history: every invariant holds there.
      const started = Date.now();
      const settled = await settleAndAssertInvariants(f.databases.databaseUrl, 90_000);
      expect(await allocationsByOtherGroups(f.databases.databaseUrl, routingGroupId)).toEqual([]);
      const report: FailoverReport = {
        mode,
        acknowledged: writers.acknowledged.length,
        lost: lostOrderIds.length,
        lostOrderIds,
        keptAfterLost: keptAfterLost(writers.attempts, found, killedAt),
        failedRequests: outage.failed,
        unavailableMs: outage.unavailableMs,
        killToFirstSuccessMs: outage.firstSuccessAt - killedAt,
        failoverScriptMs,
        settledMs: settled === undefined ? null : Date.now() - started,
        oldPrimaryPort,
        newPrimaryPort,
      };
      reports.push(report);
      reportDrill(
        `failover drill (${mode} replication): ${report.acknowledged} orders acknowledged, ${report.lost} lost; ` +
          `${report.failedRequests} failed requests, API unavailable ${report.unavailableMs ?? 0} ms ` +
          `(kill to first success ${report.killToFirstSuccessMs} ms, scripts/failover ${failoverScriptMs} ms); primary :${oldPrimaryPort} -> :${newPrimaryPort}`,
        { drill: 'failover', ...report },
      );
      return report;
    } finally {
      await f.stop();
    }
  }

  it('asynchronous replication: the API comes back on the promoted replica; only the last commits may be lost, and how many is reported', async () => {
    const report = await drill('async');
    expect(report.keptAfterLost).toEqual([]);
  });

  it('synchronous replication (OMS_PG_SYNC_REPLICATION=1): no acknowledged order is lost', async () => {
    const report = await drill('sync');
    expect(report.lostOrderIds).toEqual([]);
  });

  it('services.sh up rebuilds the old primary as the new replica: the pair is primary + streaming replica again', async () => {
    const urls = await cluster.up(endpoint);
    expect(await replicationState(urls.DATABASE_URL)).toEqual({ names: '', standbys: ['streaming/async'] });
    expect(await serverPort(urls.DATABASE_REPLICA_URLS)).not.toBe(await serverPort(urls.DATABASE_URL));
    expect(await withClient(urls.DATABASE_REPLICA_URLS, async (client) => (await client.query('SELECT pg_is_in_recovery() AS r')).rows[0].r)).toBe(
      true,
    );
  });
});
