import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { Pool } from 'pg';

export interface ReplicaStatus {
  url: string;
  up: boolean;
  lagSeconds?: number;
  replayPaused?: boolean;
  error?: string;
}

/** Zero when the replica has replayed all it received, so an idle primary does not look like lag. */
const LAG_QUERY = `
  SELECT pg_is_in_recovery() AS in_recovery,
         pg_is_wal_replay_paused() AS replay_paused,
         CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
              ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
         END::float8 AS lag_seconds`;

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** Plain pg pools for the replicas: they may be down when the app starts, which TypeORM would not allow. */
@Injectable()
export class ReplicaClient implements OnApplicationShutdown {
  private readonly pools: { url: string; pool: Pool }[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pools = config.database.replicaUrls.map((url) => {
      const pool = new Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 1500, query_timeout: 1500, idleTimeoutMillis: 30_000 });
      pool.on('error', () => undefined); // an idle client losing its server is expected when a replica stops
      return { url, pool };
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
      const { rows } = await pool.query<{ in_recovery: boolean; replay_paused: boolean; lag_seconds: number }>(
        LAG_QUERY,
      );
      const [row] = rows;
      if (!row.in_recovery) return { url: redact(url), up: false, error: 'not in recovery: promoted or not a replica' };
      return { url: redact(url), up: true, lagSeconds: row.lag_seconds, replayPaused: row.replay_paused };
    } catch (error) {
      return { url: redact(url), up: false, error: (error as Error).message };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.pools.map(({ pool }) => pool.end()));
  }
}
