/**
 * A stopped stack must leave nothing running or listening: `npm run stack` (scripts/stack.sh)
 * stops everything it started (two sync-api processes, the async-worker, HAProxy) and exits within
 * a bound, whether it gets Ctrl-C (SIGINT to the whole process group), `kill PID` (SIGTERM to the
 * script only) or its terminal closes (SIGHUP to the whole process group, its output gone), also
 * when that happens while it waits to be ready.
 * Each run uses free ports, not the defaults, so a developer's own stack is left alone.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../support/http';
import { freePort } from '../support/ports';
import { acceptsConnections, isRunning, processGroupMembers, ProcessInfo, signalProcessGroup } from '../support/process-group';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 120_000;
const STOP_BOUND_MS = 30_000;

interface StackRun {
  script: ChildProcess;
  /** The script is spawned detached: its pid is the process group of everything it starts. */
  pgid: number;
  ports: number[];
  output: string[];
  runDir: string;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function spawnStack(): Promise<StackRun> {
  const ports = await distinctFreePorts(6);
  const [lb, api1, api2, internal1, internal2, worker] = ports;
  const runDir = mkdtempSync(join(tmpdir(), 'stack-signals-'));
  const script = spawn('bash', ['scripts/stack.sh'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      STACK_LB_PORT: String(lb),
      STACK_API_PORTS: `${api1} ${api2}`,
      STACK_INTERNAL_PORTS: `${internal1} ${internal2}`,
      STACK_WORKER_PORT: String(worker),
      STACK_RUN_DIR: runDir,
      STACK_SKIP_BUILD: '1',
    },
  });
  const output: string[] = [];
  for (const stream of [script.stdout!, script.stderr!]) createInterface({ input: stream }).on('line', (line) => output.push(line));
  return { script, pgid: script.pid!, ports, output, runDir };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the script prints a matching line; fails as soon as it exits without doing so. */
async function waitForOutput(run: StackRun, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!run.output.some((line) => pattern.test(line))) {
    if (hasExited(run.script) || Date.now() > deadline) {
      throw new Error(`stack.sh did not print ${pattern}:\n${run.output.slice(-30).join('\n')}`);
    }
    await sleep(200);
  }
}

async function waitUntilServing(run: StackRun): Promise<void> {
  await waitForOutput(run, /^Ctrl-C stops/);
  const lbReady = `http://127.0.0.1:${run.ports[0]}/health/ready`;
  await eventually(async () => (await fetch(lbReady, { signal: AbortSignal.timeout(2_000) })).status === 200);
}

/** What is still there of the stack: live processes and ports that still accept connections. */
async function leftovers(processes: ProcessInfo[], ports: number[]): Promise<string[]> {
  const running = processes.filter(({ pid }) => isRunning(pid)).map(({ pid, command }) => `pid ${pid} (${command}) still running`);
  const open = [];
  for (const port of ports) if (await acceptsConnections(port)) open.push(`port ${port} still accepts connections`);
  return [...running, ...open];
}

interface SignalCase {
  name: string;
  signal: NodeJS.Signals;
  toWholeGroup: boolean;
  /** A closed terminal: writes to it fail from then on. */
  outputGone?: boolean;
  whileWaitingForReady?: boolean;
}

const CASES: SignalCase[] = [
  { name: 'Ctrl-C', signal: 'SIGINT', toWholeGroup: true },
  { name: 'kill PID', signal: 'SIGTERM', toWholeGroup: false },
  { name: 'terminal closed', signal: 'SIGHUP', toWholeGroup: true, outputGone: true },
  { name: 'kill PID while waiting for ready', signal: 'SIGTERM', toWholeGroup: false, whileWaitingForReady: true },
];

describe('npm run stack (scripts/stack.sh) stops what it started', () => {
  let run: StackRun | undefined;

  afterEach(async () => {
    if (!run) return;
    signalProcessGroup(run.pgid, 'SIGKILL');
    if (!hasExited(run.script)) await new Promise((resolve) => run!.script.once('exit', resolve));
    rmSync(run.runDir, { recursive: true, force: true });
    run = undefined;
  });

  it.each(CASES)(
    'on $name ($signal)',
    async ({ signal, toWholeGroup, outputGone, whileWaitingForReady }) => {
      run = await spawnStack();
      if (whileWaitingForReady) await waitForOutput(run, /waiting for the load balancer/);
      else await waitUntilServing(run);
      const started = processGroupMembers(run.pgid);
      // The script, two sync-api, the async-worker and HAProxy (more while a probe runs).
      expect(started.length).toBeGreaterThanOrEqual(5);

      if (outputGone) {
        run.script.stdout!.destroy();
        run.script.stderr!.destroy();
      }
      if (toWholeGroup) signalProcessGroup(run.pgid, signal);
      else run.script.kill(signal);

      const { ports } = run;
      await eventually(async () => (await leftovers(started, ports)).length === 0, STOP_BOUND_MS, 250).catch(() => undefined);
      expect(await leftovers(started, ports)).toEqual([]);
    },
    START_TIMEOUT_MS + STOP_BOUND_MS + 30_000,
  );
});
