import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from './http';
import { freePort } from './ports';

const CONFIG = join(__dirname, '..', '..', 'docker', 'haproxy.cfg');

/** HAProxy with the project's own docker/haproxy.cfg, in front of the given sync-api instances. */
export class TestHaproxy {
  private child: ChildProcess | undefined;
  url = '';
  /** What HAProxy logged (docker/haproxy.cfg: notice and above, e.g. a server going DOWN or UP). */
  readonly logs: string[] = [];

  async start(backends: [string, string]): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const hostPort = (url: string) => new URL(url).host;
    this.child = spawn('haproxy', ['-db', '-f', CONFIG], {
      env: { PATH: process.env.PATH, HAPROXY_BIND: `127.0.0.1:${port}`, SYNC_API_1: hostPort(backends[0]), SYNC_API_2: hostPort(backends[1]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) createInterface({ input: stream }).on('line', (line) => this.logs.push(line));
    await eventually(async () => (await fetch(`${this.url}/health/ready`)).status === 200);
  }

  /** Resolves once HAProxy has logged a line matching the pattern (e.g. `/sync-api-1 is DOWN/`), looking from line `since` on. */
  async logged(pattern: RegExp, since = 0, timeoutMs = 30_000): Promise<string> {
    const match = () => this.logs.slice(since).find((line) => pattern.test(line));
    await eventually(async () => match() !== undefined, timeoutMs);
    return match()!;
  }

  /** Resolves once the last state HAProxy logged for the server (`sync-api-1 is DOWN`) is `state`; a server never logged is UP. */
  async serverIs(server: string, state: 'UP' | 'DOWN', timeoutMs = 30_000): Promise<void> {
    const transition = new RegExp(`${server} is (UP|DOWN)`);
    const last = () =>
      this.logs
        .filter((line) => transition.test(line))
        .pop()
        ?.match(transition)?.[1] ?? 'UP';
    await eventually(async () => last() === state, timeoutMs);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
