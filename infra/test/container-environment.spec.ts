import { CONFIG_VARIABLES, parseConfig } from '@app/platform';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appEnvironment, RDS_CA_BUNDLE_PATH } from '../lib/container-environment';

const ENTRYPOINT = join(__dirname, '..', '..', 'docker', 'entrypoint.sh');

const environment = appEnvironment({
  primaryHost: 'primary.rds.test',
  replicaHost: 'replica.rds.test',
  warehouseHost: 'warehouse.rds.test',
  redisUrl: 'rediss://master.cache.test:6379',
  shutdownDrainSeconds: 15,
  readFromReplica: true,
  internalHost: '127.0.0.1',
});
const injectedSecrets = {
  ADMIN_TOKEN: 'a'.repeat(48),
  DATABASE_USER: 'oms',
  DATABASE_PASSWORD: 'p@ss:w/rd?#',
  WAREHOUSE_USER: 'warehouse',
  WAREHOUSE_PASSWORD: 'wh pass%',
};

/** What the app process sees: the task's environment after docker/entrypoint.sh. */
function afterEntrypoint(env: Record<string, string>): Record<string, string> {
  const run = spawnSync('sh', [ENTRYPOINT, 'node', '-e', 'process.stdout.write(JSON.stringify(process.env))'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`entrypoint exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string>;
}

describe('the task environment (container-environment.ts)', () => {
  it('sets config schema variables only, every URL without credentials', () => {
    expect(Object.keys(environment).filter((name) => !(CONFIG_VARIABLES as readonly string[]).includes(name))).toEqual([]);
    expect(environment.ADMIN_TOKEN).toBeUndefined();
    for (const name of ['DATABASE_URL', 'DATABASE_REPLICA_URLS', 'WAREHOUSE_URL', 'REDIS_URL']) expect(environment[name]).not.toContain('@');
  });

  it('becomes a valid production configuration once the entrypoint has composed the URLs from the injected secrets', () => {
    const config = parseConfig(afterEntrypoint({ ...environment, ...injectedSecrets }));
    const tls = `sslmode=verify-full&sslrootcert=${RDS_CA_BUNDLE_PATH}`;
    expect(config.database.primaryUrl).toBe(`postgres://oms:p%40ss%3Aw%2Frd%3F%23@primary.rds.test:5432/oms?${tls}`);
    expect(config.database.replicaUrls).toEqual([`postgres://oms:p%40ss%3Aw%2Frd%3F%23@replica.rds.test:5432/oms?${tls}`]);
    expect(config.database.warehouseUrl).toBe(`postgres://warehouse:wh%20pass%25@warehouse.rds.test:5432/warehouse?${tls}`);
    expect(decodeURIComponent(new URL(config.database.primaryUrl).password)).toBe(injectedSecrets.DATABASE_PASSWORD);
    expect(config).toMatchObject({
      nodeEnv: 'production',
      redisUrl: 'rediss://master.cache.test:6379',
      shutdownDrainMs: 15_000,
      admin: { token: injectedSecrets.ADMIN_TOKEN, isDevDefault: false },
      http: { host: '0.0.0.0', port: 3000, internalHost: '127.0.0.1', internalPort: 3001, workerHealthPort: 3002 },
    });
    expect(config.database.readFromReplica).toBe(true);
  });
});
