import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
const ENTRY_POINTS = {
  'sync-api': 'dist/apps/sync-api/src/main.js',
  'async-worker': 'dist/apps/async-worker/src/main.js',
  migrate: 'dist/apps/sync-api/src/cli/migrate.js',
} as const;

export type Program = keyof typeof ENTRY_POINTS;

export interface StartedApp {
  child: ChildProcess;
  /** Public port (sync-api) or health port (async-worker). */
  url: string;
  internalUrl?: string;
  logs: string[];
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<number | null>;
}

/**
 * The environment every spawned program gets: the services of scripts/services.sh, loopback only.
 * Its queue prefix is its own unless given, so that the processes of suites running alongside on
 * the shared Redis never take each other's jobs, schedules or rate-limit counters.
 */
export function baseEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    QUEUE_PREFIX: `test_${randomBytes(6).toString('hex')}`,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    INTERNAL_PORT: '0',
    INTERNAL_HOST: '127.0.0.1',
    WORKER_HEALTH_PORT: '0',
    REDIS_URL: process.env.REDIS_URL,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

export function spawnProgram(program: Program, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [ENTRY_POINTS[program]], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function addressUrl(address: { address: string; port: number }): string {
  return `http://${address.address}:${address.port}`;
}

/** Starts a built app and resolves once it logs the addresses it listens on. */
export function startApp(program: 'sync-api' | 'async-worker', env: NodeJS.ProcessEnv, timeoutMs = 45_000): Promise<StartedApp> {
  const child = spawnProgram(program, env);
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr = createInterface({ input: child.stderr! });
  stderr.on('line', (line) => logs.push(line));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} did not start within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${program} exited with ${code} before listening:\n${logs.slice(-20).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      let entry: { publicAddress?: never; internalAddress?: never; healthAddress?: never };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      const main = entry.publicAddress ?? entry.healthAddress;
      if (!main) return;
      clearTimeout(timer);
      resolve({
        child,
        url: addressUrl(main),
        internalUrl: entry.internalAddress ? addressUrl(entry.internalAddress) : undefined,
        logs,
        exited,
        signal: (signal) => child.kill(signal),
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          return exited;
        },
      });
    });
  });
}

/** Runs a program to completion and returns its exit code and output. */
export function runProgram(program: Program, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnProgram(program, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
