import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, createPostgresPool } from '@app/platform';
import type { Pool } from 'pg';
import type { Queryable } from '../read-routing/queryable';

/** A read on a replica failed; the caller retries it on the primary. */
export class ReplicaReadError extends Error {
  constructor(override readonly cause: unknown) {
    super('replica read failed');
  }
}

export interface ReplicaStatus {
  url: string;
  up: boolean;
  lagSeconds?: number;
  replayPaused?: boolean;
  error?: string;
}

/** Zero when the replica has replayed all it received, so an idle primary does not look like lag. */
const LAG_SECONDS = `CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag_seconds`;

const LAG_QUERY = `SELECT pg_is_in_recovery() AS in_recovery, pg_is_wal_replay_paused() AS replay_paused, ${LAG_SECONDS}`;

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** A replica further behind than this serves no reads: the primary answers instead. */
const MAX_READ_LAG_SECONDS = 5;
/** After a failure a replica is skipped for a while, so an outage does not slow every read. */
const SKIP_AFTER_FAILURE_MS = 5000;

const READ_CHECK_QUERY = `
  SELECT COALESCE(pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS caught_up, ${LAG_SECONDS}`;

/** A pg pool per replica, with short timeouts: a replica may be down, at start or later, and reads then go to the primary. */
@Injectable()
export class ReplicaClient implements OnApplicationShutdown {
  private readonly pools: { url: string; pool: Pool; skipUntil: number }[];
  private next = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pools = config.database.replicaUrls.map((url) => {
      // Short timeouts: a replica that stops is expected, and its reads go to the primary.
      const pool = createPostgresPool({
        connectionString: url,
        max: 5,
        connectionTimeoutMillis: 1500,
        query_timeout: 1500,
        idleTimeoutMillis: 30_000,
      });
      return { url, pool, skipUntil: 0 };
    });
  }

  get configured(): boolean {
    return this.pools.length > 0;
  }

  async statuses(): Promise<ReplicaStatus[]> {
    return Promise.all(this.pools.map(({ url, pool }) => this.statusOf(url, pool)));
  }

  private async statusOf(url: string, pool: Pool): Promise<ReplicaStatus> {
    try {
      const { rows } = await pool.query<{ in_recovery: boolean; replay_paused: boolean; lag_seconds: number }>(LAG_QUERY);
      const [row] = rows;
      if (!row.in_recovery) return { url: redact(url), up: false, error: 'not in recovery: promoted or not a replica' };
      return { url: redact(url), up: true, lagSeconds: row.lag_seconds, replayPaused: row.replay_paused };
    } catch (error) {
      return { url: redact(url), up: false, error: (error as Error).message };
    }
  }

  /**
   * A replica that has replayed at least `minimumLsn` (the reader's own last write) and is not
   * lagging, or undefined when none is: the caller then reads from the primary.
   */
  async pickForRead(minimumLsn = '0/0'): Promise<Queryable | undefined> {
    for (let tried = 0; tried < this.pools.length; tried++) {
      const replica = this.pools[this.next++ % this.pools.length];
      if (replica.skipUntil > Date.now()) continue;
      try {
        const [row] = (await replica.pool.query<{ caught_up: boolean; lag_seconds: number }>(READ_CHECK_QUERY, [minimumLsn])).rows;
        if (row.caught_up && row.lag_seconds <= MAX_READ_LAG_SECONDS) return this.queryable(replica);
      } catch {
        replica.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
      }
    }
    return undefined;
  }

  private queryable(replica: { pool: Pool; skipUntil: number }): Queryable {
    return {
      query: async <T>(sql: string, params?: unknown[]) => {
        try {
          return (await replica.pool.query(sql, params)).rows as T[];
        } catch (error) {
          replica.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
          throw new ReplicaReadError(error);
        }
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.pools.map(({ pool }) => pool.end()));
  }
}
