import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './http';
import { freePort } from './ports';

const CONFIG = join(__dirname, '..', '..', 'docker', 'haproxy.cfg');

/** HAProxy with the project's own docker/haproxy.cfg, in front of the given sync-api instances. */
export class TestHaproxy {
  private child: ChildProcess | undefined;
  url = '';

  async start(backends: [string, string]): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const hostPort = (url: string) => new URL(url).host;
    this.child = spawn('haproxy', ['-db', '-f', CONFIG], {
      env: { PATH: process.env.PATH, HAPROXY_BIND: `127.0.0.1:${port}`, SYNC_API_1: hostPort(backends[0]), SYNC_API_2: hostPort(backends[1]) },
      stdio: 'ignore',
    });
    await eventually(async () => (await fetch(`${this.url}/health/ready`)).status === 200);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
