import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SERVICES = join(__dirname, '..', '..', 'scripts', 'services.sh');

export type ClusterCommand =
  'up' | 'down' | 'env' | 'primary-stop' | 'primary-start' | 'primary-kill' | 'replica-stop' | 'replica-start' | 'replica-pause' | 'replica-resume';

export interface ClusterUrls {
  DATABASE_URL: string;
  DATABASE_REPLICA_URLS: string;
  WAREHOUSE_URL: string;
}

/**
 * A PostgreSQL primary + streaming replica of a suite's own (scripts/services.sh with its own data
 * directory and ports), so that a drill or a test can stop, pause, kill or promote it without
 * touching the pair every other suite uses, while they run alongside. Redis is not part of it:
 * suites that stop Redis use a TestRedisServer.
 */
export class PgCluster {
  constructor(
    readonly name: string,
    readonly primaryPort: number,
    readonly replicaPort: number,
  ) {}

  get dataDir(): string {
    return `/var/lib/postgresql/oms-${this.name}`;
  }

  /** A database's URL on the pair's primary (or replica), as `services.sh env` names them; a failover swaps the two. */
  databaseUrl(database: string, node: 'primary' | 'replica' = 'primary'): string {
    return `postgres://postgres@127.0.0.1:${node === 'primary' ? this.primaryPort : this.replicaPort}/${database}`;
  }

  async run(command: ClusterCommand, extraEnv: Record<string, string> = {}): Promise<string> {
    const { stdout } = await promisify(execFile)('bash', [SERVICES, command], {
      timeout: 300_000,
      env: {
        ...process.env,
        OMS_PG_DIR: this.dataDir,
        OMS_PG_PRIMARY_PORT: String(this.primaryPort),
        OMS_PG_REPLICA_PORT: String(this.replicaPort),
        // Drills kill the primary and count what survives: their pair keeps fsync whatever the caller's environment.
        OMS_PG_FAST_UNSAFE: '0',
        ...extraEnv,
      },
    });
    return stdout;
  }

  /** Starts (or re-clones) the pair and returns its URLs, as `services.sh up` prints them. */
  async up(extraEnv: Record<string, string> = {}): Promise<ClusterUrls> {
    const lines = (await this.run('up', extraEnv)).trim().split('\n');
    const env = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    return env as unknown as ClusterUrls;
  }
}
