import { setTimeout as sleep } from 'node:timers/promises';
import { reportTraffic } from '../support/drill-report';
import { DrillStack, startDrillStack } from '../support/drill-stack';
import { Operation } from '../support/traffic';

/** Longer than HAProxy needs to take a draining instance out (two failed checks 2 s apart). */
const DRAIN_MS = '8000';
const MIX: Partial<Record<Operation, number>> = { product: 2, availability: 2, orderRead: 1, list: 1, order: 4, cancel: 1, stock: 1, reject: 1 };

/**
 * A rolling restart is a SIGTERM: under load, and with clients that never retry, not one request
 * fails and no job is lost. The sweep keeps its default schedule (every 5 minutes), so every order
 * brokered here was brokered by its own job, not found again later.
 */
describe('drill: SIGTERM of each process under load', () => {
  let stack: DrillStack;

  beforeAll(async () => {
    stack = await startDrillStack({
      prefix: 'drill_sigterm',
      syncApis: 2,
      workers: 2,
      haproxy: true,
      env: { SHUTDOWN_DRAIN_MS: DRAIN_MS },
      workerEnv: { SHUTDOWN_DRAIN_MS: '1000' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Traffic from clients that never retry, the process stopped by `terminate` meanwhile; resolves with its exit code. */
  const terminateUnderLoad = async (name: string, mix: Partial<Record<Operation, number>>, terminate: () => Promise<number | null>) => {
    const traffic = stack.traffic({ concurrency: 6, mix, retry: false }).start();
    await sleep(2000);
    const code = await terminate();
    await sleep(2000);
    const report = await traffic.stop();
    reportTraffic(name, report, { 'exit code': String(code) });

    expect(code).toBe(0);
    expect(report.failedAttempts).toEqual([]);
    await stack.verify(report);
  };

  it('a sync-api behind HAProxy drains: zero failed requests, exit 0, and its replacement is taken back', async () => {
    await terminateUnderLoad('sync-api SIGTERM drill', MIX, () => stack.replaceApi(0, 'SIGTERM', { SHUTDOWN_DRAIN_MS: DRAIN_MS }));
  });

  it('an async-worker finishes or releases its jobs: zero failed requests, exit 0, every order brokered', async () => {
    await terminateUnderLoad('async-worker SIGTERM drill', { order: 4, cancel: 1, availability: 1, stock: 1 }, async () => {
      const worker = stack.workers[0];
      worker.signal('SIGTERM');
      return worker.exited;
    });
  });
});
