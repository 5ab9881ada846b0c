import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CONFIG_VARIABLES, parseConfig } from '@app/platform';
import { REPO_ROOT } from '../support/deployment-config';

/**
 * docker/entrypoint.sh writes database credentials injected apart from the URLs (as ECS injects them
 * from Secrets Manager: infra/lib/container-environment.ts) into the URLs, then runs the command.
 * Run here with the machine's POSIX sh (dash on Debian, as in the node:24-bookworm-slim image).
 */

const ENTRYPOINT = join(REPO_ROOT, 'docker', 'entrypoint.sh');
const URL_VARIABLES = ['DATABASE_URL', 'DATABASE_REPLICA_URLS', 'WAREHOUSE_URL'];
const PASSWORD = `p@ss:w/rd?#%&=+, é~"'$\`\\`;
const TLS = 'sslmode=verify-full&sslrootcert=/app/certs/rds-global-bundle.pem';

function runEntrypoint(env: Record<string, string>, command = ['env', '-0']) {
  const result = spawnSync('sh', [ENTRYPOINT, ...command], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  const vars = Object.fromEntries(
    result.stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: result.status, stderr: result.stderr, vars };
}

describe('docker/entrypoint.sh', () => {
  it('writes the credentials, percent-encoded, into the primary, every replica and the warehouse URL, and the app accepts them', () => {
    const { status, stderr, vars } = runEntrypoint({
      DATABASE_URL: `postgres://oms.cluster-abc.eu-west-1.rds.amazonaws.com:5432/oms?${TLS}`,
      DATABASE_REPLICA_URLS: `postgres://replica-1.example:5432/oms?${TLS}, postgres://replica-2.example:6432/oms`,
      WAREHOUSE_URL: `postgres://warehouse.example:5432/warehouse?${TLS}`,
      DATABASE_USER: 'oms_app',
      DATABASE_PASSWORD: PASSWORD,
      WAREHOUSE_USER: 'etl',
      WAREHOUSE_PASSWORD: 'other secret',
    });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });

    const primary = new URL(vars.DATABASE_URL);
    expect([primary.hostname, primary.port, primary.pathname, primary.search]).toEqual([
      'oms.cluster-abc.eu-west-1.rds.amazonaws.com',
      '5432',
      '/oms',
      `?${TLS}`,
    ]);
    expect([decodeURIComponent(primary.username), decodeURIComponent(primary.password)]).toEqual(['oms_app', PASSWORD]);

    const replicas = vars.DATABASE_REPLICA_URLS.split(',').map((url) => new URL(url));
    expect(replicas.map((url) => `${url.hostname}:${url.port}${url.pathname}`)).toEqual(['replica-1.example:5432/oms', 'replica-2.example:6432/oms']);
    expect(replicas.map((url) => decodeURIComponent(url.password))).toEqual([PASSWORD, PASSWORD]);

    const warehouse = new URL(vars.WAREHOUSE_URL);
    expect([warehouse.hostname, warehouse.pathname, decodeURIComponent(warehouse.username), decodeURIComponent(warehouse.password)]).toEqual([
      'warehouse.example',
      '/warehouse',
      'etl',
      'other secret',
    ]);

    const config = parseConfig({ ...vars, NODE_ENV: 'production', ADMIN_TOKEN: 'a'.repeat(32) });
    expect(config.database.replicaUrls).toHaveLength(2);
  });

  it('changes nothing without credential variables, and leaves the warehouse alone with database credentials only', () => {
    const given = { DATABASE_URL: 'postgres://postgres@primary:5432/oms', DATABASE_REPLICA_URLS: '', WAREHOUSE_URL: 'postgres://w/warehouse' };
    expect(runEntrypoint(given).vars).toMatchObject({ DATABASE_URL: given.DATABASE_URL, WAREHOUSE_URL: given.WAREHOUSE_URL });
    const none = runEntrypoint({}).vars;
    for (const name of URL_VARIABLES) expect(none[name]).toBeUndefined();
    const databaseOnly = runEntrypoint({ DATABASE_URL: 'postgres://db/oms', WAREHOUSE_URL: 'postgres://db/warehouse', DATABASE_USER: 'u' }).vars;
    expect([databaseOnly.DATABASE_URL, databaseOnly.WAREHOUSE_URL, databaseOnly.DATABASE_REPLICA_URLS]).toEqual([
      'postgres://u@db/oms',
      'postgres://db/warehouse',
      undefined,
    ]);
  });

  it.each([
    [{ DATABASE_USER: 'u' }, 'DATABASE_USER is set but DATABASE_URL is not'],
    [{ DATABASE_PASSWORD: 'p', DATABASE_URL: 'postgres://db/oms' }, 'DATABASE_PASSWORD is set but DATABASE_USER is not'],
    [
      { DATABASE_USER: 'u', DATABASE_URL: 'postgres://a:b@db/oms' },
      'DATABASE_URL already carries credentials; set them there or in the user/password variables, not both',
    ],
    [
      { DATABASE_USER: 'u', DATABASE_URL: 'postgres://db/oms', DATABASE_REPLICA_URLS: 'postgres://r/oms,postgres://x@r2/oms' },
      'DATABASE_REPLICA_URLS already carries credentials; set them there or in the user/password variables, not both',
    ],
    [{ WAREHOUSE_USER: 'u', WAREHOUSE_URL: 'db/warehouse' }, 'WAREHOUSE_URL is not a URL'],
  ])('stops with one line naming the problem: %j', (env, message) => {
    const { status, stderr } = runEntrypoint(env);
    expect({ status, stderr }).toEqual({ status: 64, stderr: `entrypoint: ${message}\n` });
  });

  it('runs the command it is given with its arguments, in its own process (exec: the app gets the signals)', () => {
    const result = spawnSync('sh', [ENTRYPOINT, 'sh', '-c', 'echo "$0|$$|$1"', 'arg zero', 'one two'], { encoding: 'utf8' });
    expect(result.stdout).toBe(`arg zero|${result.pid}|one two\n`);
  });

  it('writes config-schema variables only, from credential variables that are not config-schema variables', () => {
    for (const name of URL_VARIABLES) expect(CONFIG_VARIABLES).toContain(name);
    for (const name of ['DATABASE_USER', 'DATABASE_PASSWORD', 'WAREHOUSE_USER', 'WAREHOUSE_PASSWORD']) expect(CONFIG_VARIABLES).not.toContain(name);
  });
});
