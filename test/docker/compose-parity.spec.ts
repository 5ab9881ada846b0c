import { CONFIG_VARIABLES } from '@app/platform';
import {
  ComposeConfig,
  ComposeService,
  dockerCompose,
  dockerComposeAvailable,
  parsePort,
  postgresSettingsOf,
  readRepoFile,
  readStackModel,
  resolvedComposeConfig,
  StackModel,
} from '../support/deployment-config';

/**
 * docker/compose.yaml and the local stack (scripts/stack.sh + scripts/services.sh) describe one
 * topology: the same services, ports, health checks and app variables, the variables being the
 * config schema's. The compose half needs Debian's docker-compose (`scripts/services.sh
 * docker-compose`, run by npm test); without it those tests are skipped on a developer's machine,
 * but fail under CI=true, where a skip would let the compose file go unchecked unnoticed.
 */

const ADMIN_TOKEN = 'compose-parity-admin-token-0123456789';
const APP_SERVICES = ['sync-api-1', 'sync-api-2', 'async-worker'];
const packageScripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
const stack: StackModel = readStackModel();

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the local stack, as read from scripts/stack.sh and scripts/services.sh', () => {
  it('starts 2 sync-api, 1 async-worker and haproxy with the package.json start commands', () => {
    expect(stack.processes.map((p) => p.name)).toEqual(['sync-api-1', 'sync-api-2', 'async-worker', 'haproxy']);
    const byName = Object.fromEntries(stack.processes.map((p) => [p.name, p]));
    expect(byName['sync-api-1'].command.join(' ')).toBe(packageScripts['start:sync-api']);
    expect(byName['sync-api-2'].command.join(' ')).toBe(packageScripts['start:sync-api']);
    expect(byName['async-worker'].command.join(' ')).toBe(packageScripts['start:async-worker']);
    expect(byName.haproxy.command).toEqual(['haproxy', '-db', '-f', 'docker/haproxy.cfg']);
    expect(stack.npmScripts).toContain('db:migrate');
  });

  it('sets only config-schema variables for the apps', () => {
    for (const proc of stack.processes.filter((p) => p.name !== 'haproxy')) {
      for (const name of [...stack.exportedNames, ...Object.keys(proc.env)]) {
        expect({ process: proc.name, name, known: CONFIG_VARIABLES.includes(name as never) }).toEqual({ process: proc.name, name, known: true });
      }
    }
  });
});

const composeAvailable = dockerComposeAvailable();
const describeCompose = composeAvailable ? describe : describe.skip;

if (!composeAvailable && process.env.CI === 'true') {
  it('docker-compose is installed (CI=true: the docker/compose.yaml checks may not be skipped)', () => {
    throw new Error('docker-compose is not installed: bash scripts/services.sh docker-compose installs it');
  });
} else if (!composeAvailable) {
  it.skip('docker/compose.yaml checks skipped: docker-compose is not installed (bash scripts/services.sh docker-compose installs it)', () =>
    undefined);
}

describeCompose('docker/compose.yaml against the local stack', () => {
  let compose: ComposeConfig;
  let services: Record<string, ComposeService>;

  beforeAll(() => {
    compose = resolvedComposeConfig({ ADMIN_TOKEN });
    services = compose.services;
  });

  it('is valid (docker-compose config -q) and refuses to start without an ADMIN_TOKEN', () => {
    const valid = dockerCompose(['config', '-q'], { ADMIN_TOKEN });
    expect({ status: valid.status, stderr: valid.stderr }).toEqual({ status: 0, stderr: '' });
    const missing = dockerCompose(['config', '-q']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('ADMIN_TOKEN');
    expect(readRepoFile('docker/compose.yaml')).not.toMatch(/ADMIN_TOKEN:-/);
  });

  it('declares the same services: the stack processes, the services of scripts/services.sh and the migration', () => {
    const expected = new Set([...stack.processes.map((p) => p.name), ...stack.backingServices, 'migrate']);
    expect(sorted(Object.keys(services))).toEqual(sorted(expected));
  });

  it('runs the same commands as the stack and package.json, from one image', () => {
    for (const proc of stack.processes.filter((p) => p.name !== 'haproxy')) {
      expect({ service: proc.name, command: services[proc.name].command }).toEqual({ service: proc.name, command: proc.command });
    }
    expect(services.migrate.command?.join(' ')).toBe(packageScripts['db:migrate']);
    const images = new Set([...APP_SERVICES, 'migrate'].map((name) => services[name].image));
    expect([...images]).toEqual(['oms:local']);
    for (const name of [...APP_SERVICES, 'migrate']) expect(services[name].build?.dockerfile).toBe('docker/Dockerfile');
    expect(services.haproxy.volumes?.some((volume) => /\/docker\/haproxy\.cfg:\/usr\/local\/etc\/haproxy\/haproxy\.cfg:ro$/.test(volume))).toBe(true);
  });

  it('publishes the same ports as the stack, on 127.0.0.1 only, apps listening on them inside as well', () => {
    const published = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, (service.ports ?? []).map(parsePort)]));
    for (const [name, ports] of Object.entries(published)) {
      for (const port of ports) expect({ name, hostIp: port.hostIp }).toEqual({ name, hostIp: '127.0.0.1' });
    }
    const hostPorts = (name: string) => sorted(published[name].map((p) => String(p.hostPort)));
    const { ports } = stack;
    expect(hostPorts('haproxy')).toEqual([String(ports.lb)]);
    expect(hostPorts('sync-api-1')).toEqual(sorted([String(ports.api[0]), String(ports.internal[0])]));
    expect(hostPorts('sync-api-2')).toEqual(sorted([String(ports.api[1]), String(ports.internal[1])]));
    expect(hostPorts('async-worker')).toEqual([String(ports.worker)]);
    expect(hostPorts('primary')).toEqual([String(ports.primary)]);
    expect(hostPorts('replica')).toEqual([String(ports.replica)]);
    expect(hostPorts('redis')).toEqual([String(ports.redis)]);
    expect(hostPorts('migrate')).toEqual([]);

    for (const proc of stack.processes.filter((p) => p.name !== 'haproxy')) {
      const env = services[proc.name].environment ?? {};
      for (const variable of ['PORT', 'INTERNAL_PORT', 'WORKER_HEALTH_PORT'].filter((v) => v in proc.env)) {
        expect({ service: proc.name, variable, value: env[variable] }).toEqual({ service: proc.name, variable, value: proc.env[variable] });
      }
      for (const port of published[proc.name]) expect(port.containerPort).toBe(port.hostPort);
    }
    const lbPort = Number(/:(\d+)$/.exec(services.haproxy.environment?.HAPROXY_BIND ?? '')?.[1]);
    expect(published.haproxy.map((p) => p.containerPort)).toEqual([lbPort]);
  });

  it('sets the same app variables as the stack, all of them config-schema variables', () => {
    for (const proc of stack.processes.filter((p) => p.name !== 'haproxy')) {
      const names = Object.keys(services[proc.name].environment ?? {});
      expect({ service: proc.name, names: sorted(names) }).toEqual({
        service: proc.name,
        names: sorted(new Set([...stack.exportedNames, ...Object.keys(proc.env)])),
      });
      expect(names.filter((name) => !CONFIG_VARIABLES.includes(name as never))).toEqual([]);
    }
    // The migration runs with what the stack exports before `npm run db:migrate`.
    expect(sorted(Object.keys(services.migrate.environment ?? {}))).toEqual(sorted(stack.exportedNames));
    for (const name of APP_SERVICES) expect(services[name].environment?.NODE_ENV).toBe('production');
  });

  it('points the apps at the same databases: oms on the primary, the warehouse database on the primary server, the replica', () => {
    const pathAndPort = (url: string) => {
      const parsed = new URL(url);
      return { host: parsed.hostname, path: parsed.pathname };
    };
    const local = {
      primary: pathAndPort(stack.servicesEnv.DATABASE_URL),
      warehouse: pathAndPort(stack.servicesEnv.WAREHOUSE_URL),
      replica: pathAndPort(stack.servicesEnv.DATABASE_REPLICA_URLS),
    };
    expect(local.warehouse.host).toBe(local.primary.host);
    for (const name of [...APP_SERVICES, 'migrate']) {
      const env = services[name].environment ?? {};
      expect(pathAndPort(env.DATABASE_URL)).toEqual({ host: 'primary', path: local.primary.path });
      expect(pathAndPort(env.WAREHOUSE_URL)).toEqual({ host: 'primary', path: local.warehouse.path });
      expect(pathAndPort(env.DATABASE_REPLICA_URLS)).toEqual({ host: 'replica', path: local.replica.path });
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    }
  });

  it('gives haproxy the variables docker/haproxy.cfg reads, pointing at the two sync-api public ports', () => {
    const cfgVariables = [...readRepoFile('docker/haproxy.cfg').matchAll(/"\$\{(\w+)\}"/g)].map(([, name]) => name);
    const local = stack.processes.find((p) => p.name === 'haproxy')!;
    const env = services.haproxy.environment ?? {};
    expect(sorted(Object.keys(env))).toEqual(sorted(cfgVariables));
    expect(sorted(Object.keys(local.env))).toEqual(sorted(cfgVariables));
    expect(env.SYNC_API_1).toBe(`sync-api-1:${services['sync-api-1'].environment?.PORT}`);
    expect(env.SYNC_API_2).toBe(`sync-api-2:${services['sync-api-2'].environment?.PORT}`);
    expect(local.env.SYNC_API_1).toBe(`127.0.0.1:${stack.ports.api[0]}`);
    expect(local.env.SYNC_API_2).toBe(`127.0.0.1:${stack.ports.api[1]}`);
  });

  it('health-checks every long-running service, the apps and the load balancer on /health/ready as HAProxy and the stack do', () => {
    const haproxyCfg = readRepoFile('docker/haproxy.cfg');
    expect(haproxyCfg).toMatch(/http-check send meth GET uri \/health\/ready\b/);
    expect(stack.readinessPaths).toContain('/health/ready');
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') {
        expect(service.healthcheck).toBeUndefined();
        continue;
      }
      expect({ name, test: service.healthcheck?.test?.length ?? 0 }).not.toEqual({ name, test: 0 });
    }
    for (const name of APP_SERVICES) {
      const env = services[name].environment ?? {};
      const port = env.PORT ?? env.WORKER_HEALTH_PORT;
      expect(services[name].healthcheck?.test).toEqual(['CMD', 'node', '/app/docker/healthcheck.js', `http://127.0.0.1:${port}/health/ready`]);
    }
    const lbCheck = services.haproxy.healthcheck?.test.join(' ') ?? '';
    expect(lbCheck).toContain(`/dev/tcp/127.0.0.1/${stack.ports.lb}`);
    expect(lbCheck).toContain('GET /health/ready');
    expect(services.primary.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.replica.healthcheck?.test.join(' ')).toMatch(/pg_isready.*pg_is_in_recovery\(\).*= t/);
    expect(services.redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('starts in order: primary, then replica and migrate; the apps after the migration with Redis and the replica healthy; haproxy last', () => {
    const dependsOn = (name: string) =>
      Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([dependency, { condition }]) => [dependency, condition]));
    expect(dependsOn('primary')).toEqual({});
    expect(dependsOn('redis')).toEqual({});
    expect(dependsOn('replica')).toEqual({ primary: 'service_healthy' });
    expect(dependsOn('migrate')).toEqual({ primary: 'service_healthy' });
    for (const name of APP_SERVICES) {
      expect(dependsOn(name)).toEqual({ migrate: 'service_completed_successfully', replica: 'service_healthy', redis: 'service_healthy' });
    }
    expect(dependsOn('haproxy')).toEqual({ 'sync-api-1': 'service_healthy', 'sync-api-2': 'service_healthy' });
  });

  it('runs PostgreSQL with the settings scripts/services.sh writes, on the primary and on the replica', () => {
    expect(Object.keys(stack.postgresSettings).length).toBeGreaterThan(3);
    expect(postgresSettingsOf(services.primary.command ?? [])).toEqual(stack.postgresSettings);
    const replicaScript = readRepoFile('docker/replica-entrypoint.sh').replace(/\\\n\s*/g, ' ');
    const exec = /^exec postgres (.*)$/m.exec(replicaScript);
    expect(postgresSettingsOf(exec?.[1].trim().split(/\s+/) ?? [])).toEqual(stack.postgresSettings);
    expect(replicaScript).toMatch(/pg_basebackup .*-R -X stream -C -S "\$SLOT"/);
    expect(services.replica.entrypoint).toEqual(['/usr/local/bin/replica-entrypoint.sh']);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readRepoFile('docker/Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];

  it('builds with every dependency and ships production dependencies only, on Node 24', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(stages.every((stage) => stage.startsWith('${NODE_IMAGE} AS '))).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).not.toMatch(/^RUN npm/m);
    expect(runtime).toMatch(/^COPY --from=prod-deps \/app\/node_modules \.\/node_modules$/m);
  });

  it('runs as a non-root user with NODE_ENV=production, sync-api by default through the entrypoint', () => {
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/app\/docker\/entrypoint\.sh"\]$/m);
    const cmd = /^CMD (.*)$/m.exec(runtime);
    expect((JSON.parse(cmd?.[1] ?? '[]') as string[]).join(' ')).toBe(packageScripts['start:sync-api']);
  });

  it('carries the entrypoint, the health check script and the RDS CA bundle where the tasks expect them', () => {
    expect(runtime).toMatch(/^WORKDIR \/app$/m);
    expect(runtime).toMatch(/^COPY docker\/entrypoint\.sh docker\/healthcheck\.js \.\/docker\/$/m);
    expect(dockerfile).toMatch(/^ADD https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem \/certs\/rds-global-bundle\.pem$/m);
    expect(runtime).toMatch(/^COPY --from=certs \/certs \.\/certs$/m);
  });

  it('keeps node_modules, dist and secrets out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', 'dist', '.run', '**/.env']));
  });
});
