import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reads the two descriptions of the topology that must agree: the local stack (scripts/stack.sh,
 * scripts/services.sh and scripts/services/, read as text, never run) and docker/compose.yaml (as
 * docker-compose resolves it: anchors merged, variables interpolated).
 */

export const REPO_ROOT = join(__dirname, '..', '..');
export const COMPOSE_FILE = join(REPO_ROOT, 'docker', 'compose.yaml');

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

// --- the local stack

/** A process that `npm run stack` starts, with the variables it sets for it (exported ones included). */
export interface StackProcess {
  name: string;
  env: Record<string, string>;
  command: string[];
}

export interface StackModel {
  processes: StackProcess[];
  /** The services scripts/services.sh reports on (`status`): primary, replica, redis, haproxy. */
  backingServices: string[];
  /** Variables every process gets: scripts/services.sh env plus stack.sh's exports, by name. */
  exportedNames: string[];
  /** Host ports: lb, apiPorts, internalPorts, worker (stack.sh) and primary, replica, redis (services.sh). */
  ports: { lb: number; api: number[]; internal: number[]; worker: number; primary: number; replica: number; redis: number };
  /** scripts/services.sh's `env` lines with their default ports. */
  servicesEnv: Record<string, string>;
  /** The PostgreSQL settings scripts/services.sh writes for both nodes (addresses and sockets left out). */
  postgresSettings: Record<string, string>;
  /** The npm scripts stack.sh runs (`npm run -s db:migrate` gives db:migrate). */
  npmScripts: string[];
  /** The paths stack.sh's readiness wait probes through the load balancer. */
  readinessPaths: string[];
}

function defaultOf(script: string, variable: string): string {
  const match = new RegExp(`\\$\\{${variable}:-"?([^}"]+)"?\\}`).exec(script);
  if (!match) throw new Error(`no default for ${variable}`);
  return match[1];
}

/** Joins lines continued with a trailing backslash. */
function logicalLines(script: string): string[] {
  return script.replace(/\\\n\s*/g, ' ').split('\n');
}

/** Splits a shell line into words, removing quotes (no expansions beyond what `expand` does). */
function words(line: string): string[] {
  return (line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []).map((word) => word.replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
}

function expand(word: string, scalars: Record<string, string>, arrays: Record<string, string[]>, loop: Record<string, number>): string {
  return word
    .replace(/\$\(\((\w+) \+ 1\)\)/g, (_, name: string) => String(loop[name] + 1))
    .replace(/\$\{(\w+)\[\$?(\w+)\]\}/g, (_, name: string, index: string) => arrays[name][/^\d+$/.test(index) ? Number(index) : loop[index]])
    .replace(/\$\{?(\w+)\}?/g, (_, name: string) => scalars[name] ?? `$${name}`);
}

/** scripts/services.sh and the parts it sources from scripts/services/, as one text. */
function readServicesScripts(): string {
  const parts = readdirSync(join(REPO_ROOT, 'scripts', 'services')).filter((name) => name.endsWith('.sh'));
  return ['scripts/services.sh', ...parts.sort().map((name) => `scripts/services/${name}`)].map(readRepoFile).join('\n');
}

export function readStackModel(): StackModel {
  const stack = readRepoFile('scripts/stack.sh');
  const services = readServicesScripts();
  const ports = {
    lb: Number(defaultOf(stack, 'STACK_LB_PORT')),
    api: defaultOf(stack, 'STACK_API_PORTS').split(' ').map(Number),
    internal: defaultOf(stack, 'STACK_INTERNAL_PORTS').split(' ').map(Number),
    worker: Number(defaultOf(stack, 'STACK_WORKER_PORT')),
    primary: Number(defaultOf(services, 'OMS_PG_PRIMARY_PORT')),
    replica: Number(defaultOf(services, 'OMS_PG_REPLICA_PORT')),
    redis: Number(defaultOf(services, 'REDIS_PORT')),
  };
  const scalars: Record<string, string> = {
    LB_PORT: String(ports.lb),
    WORKER_PORT: String(ports.worker),
    PRIMARY_PORT: String(ports.primary),
    REPLICA_PORT: String(ports.replica),
    REDIS_PORT: String(ports.redis),
  };
  const arrays = { API_PORTS: ports.api.map(String), INTERNAL_PORTS: ports.internal.map(String) };

  const cmdEnv = /^cmd_env\(\) \{\n([\s\S]*?)\n\}/m.exec(services);
  if (!cmdEnv) throw new Error('scripts/services.sh has no cmd_env');
  const servicesEnv = Object.fromEntries(
    [...cmdEnv[1].matchAll(/echo "(\w+)=([^"]*)"/g)].map(([, name, value]) => [name, expand(value, scalars, arrays, {})]),
  );

  const exportedNames = [...Object.keys(servicesEnv)];
  const processes: StackProcess[] = [];
  let loop: { variable: string; values: number[] } | undefined;
  for (const line of logicalLines(stack)) {
    const forLoop = /^\s*for (\w+) in ([\d ]+); do\s*$/.exec(line);
    if (forLoop) loop = { variable: forLoop[1], values: forLoop[2].trim().split(/\s+/).map(Number) };
    if (/^\s*done\s*$/.test(line)) loop = undefined;
    const exported = /^export (.*)$/.exec(line);
    if (exported) exportedNames.push(...[...exported[1].matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)].map(([, name]) => name));
    const start = /^\s*start (.*)$/.exec(line);
    if (!start) continue;
    for (const value of loop?.values ?? [0]) {
      const bindings = loop ? { [loop.variable]: value } : {};
      const [name, ...rest] = words(start[1]).map((word) => expand(word, scalars, arrays, bindings));
      const env: Record<string, string> = {};
      while (rest.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(rest[0])) {
        const [variable, ...parts] = rest.shift()!.split('=');
        env[variable] = parts.join('=');
      }
      processes.push({ name, env, command: rest });
    }
  }

  const nodeConf = /oms-dev\.conf" <<EOF\n([\s\S]*?)\nEOF/.exec(services);
  if (!nodeConf) throw new Error('scripts/services.sh writes no oms-dev.conf');
  const postgresSettings = Object.fromEntries(
    [...nodeConf[1].matchAll(/^(\w+) = (.*)$/gm)]
      .filter(([, name]) => !['listen_addresses', 'port', 'unix_socket_directories'].includes(name))
      .map(([, name, value]) => [name, value.trim()]),
  );

  return {
    processes,
    backingServices: [...services.matchAll(/^status_(\w+)\(\)/gm)].map(([, name]) => name),
    exportedNames: [...new Set(exportedNames)],
    ports,
    servicesEnv,
    postgresSettings,
    npmScripts: [...stack.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map(([, name]) => name),
    readinessPaths: [...stack.matchAll(/\$LB_PORT(\/health\/\w+)/g)].map(([, path]) => path),
  };
}

// --- docker-compose

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; start_period?: string };
  volumes?: string[];
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
}

export function dockerComposeAvailable(): boolean {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
}

let emptyEnvFile: string | undefined;

/** Runs docker-compose on docker/compose.yaml with nothing from the caller's environment or a docker/.env file. */
export function dockerCompose(args: string[], env: Record<string, string> = {}) {
  if (!emptyEnvFile) {
    emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'oms-compose-')), 'empty.env');
    writeFileSync(emptyEnvFile, '');
  }
  return spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', COMPOSE_FILE, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 60_000,
  });
}

/**
 * The compose file as docker-compose resolves it. Debian's docker-compose (1.29) prints YAML only;
 * its own dependency python3-yaml turns that into JSON, so no YAML parser is needed in node_modules.
 */
export function resolvedComposeConfig(env: Record<string, string>): ComposeConfig {
  const config = dockerCompose(['config'], env);
  if (config.status !== 0) throw new Error(`docker-compose config failed: ${config.stderr}`);
  const json = spawnSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: config.stdout,
    encoding: 'utf8',
  });
  if (json.status !== 0) throw new Error(`YAML to JSON failed: ${json.stderr}`);
  return JSON.parse(json.stdout) as ComposeConfig;
}

/** "127.0.0.1:3000:3000/tcp" -> { hostIp, hostPort, containerPort }. */
export function parsePort(spec: string): { hostIp: string; hostPort: number; containerPort: number } {
  const match = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)(?:\/tcp)?$/.exec(spec);
  if (!match) throw new Error(`unexpected port form: ${spec}`);
  return { hostIp: match[1] ?? '0.0.0.0', hostPort: Number(match[2]), containerPort: Number(match[3]) };
}

/** `-c name=value` pairs of a postgres command line. */
export function postgresSettingsOf(args: string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  args.forEach((arg, i) => {
    if (arg === '-c') {
      const [name, ...value] = args[i + 1].split('=');
      settings[name] = value.join('=');
    }
  });
  return settings;
}
