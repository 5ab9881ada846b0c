import { Logger } from '@nestjs/common';
import { createAppLogger, currentRequestId, PinoNestLogger, runInWorkContext } from '@app/platform';
import { currentJobOrigin, jobOriginOf, jobWorkContext, runJob } from './job-context';

const job = (data: unknown) => ({ id: '17', name: 'broker-orders', queueName: 'brokering', attemptsMade: 0, data });

function captureLogs(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const logger = createAppLogger({ logLevel: 'info' }, 'test-worker', { write: (line: string) => lines.push(JSON.parse(line)) });
  Logger.overrideLogger(new PinoNestLogger(logger));
  return lines;
}

describe('jobOriginOf', () => {
  it('reads the origin a job carries, ignoring what is not a list of strings (job data comes from Redis)', () => {
    expect(jobOriginOf({ orderIds: [], origin: { requestIds: ['req-1'], traceparents: ['00-a'] } })).toEqual({
      requestIds: ['req-1'],
      traceparents: ['00-a'],
    });
    expect(jobOriginOf({ origin: { requestIds: 'req-1', traceparents: [1] } })).toEqual({ requestIds: [], traceparents: [] });
    expect(jobOriginOf({ orderIds: [] })).toBeUndefined();
    expect(jobOriginOf({ origin: 'req-1' })).toBeUndefined();
    expect(jobOriginOf(null)).toBeUndefined();
  });
});

describe('jobWorkContext', () => {
  const fields = { jobId: '17', jobName: 'broker-orders', queue: 'brokering' };

  it('is the request that caused the job, with the job', () => {
    expect(jobWorkContext(job({}), { requestIds: ['req-1'], traceparents: [] })).toEqual({ id: 'req-1', logFields: fields });
  });

  it('names every request of a batch (reqIds), and no one request', () => {
    expect(jobWorkContext(job({}), { requestIds: ['req-1', 'req-2'], traceparents: [] })).toEqual({
      logFields: { reqIds: ['req-1', 'req-2'], ...fields },
    });
  });

  it('gives a job no request caused (a schedule) an id of its own, the same for each attempt', () => {
    expect(jobWorkContext(job({}), undefined)).toEqual({ id: 'brokering:17', logFields: fields });
  });
});

describe('runJob', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('runs the handler as the request that caused the job: its log lines and the outbox events it writes carry that request', async () => {
    const lines = captureLogs();
    const seen = await runJob(job({ origin: { requestIds: ['req-9'], traceparents: [] } }), async () => {
      new Logger('Brokering').log('brokered 1 order');
      return currentRequestId();
    });
    expect(seen).toBe('req-9');
    expect(lines).toEqual([
      expect.objectContaining({
        reqId: 'req-9',
        jobId: '17',
        jobName: 'broker-orders',
        queue: 'brokering',
        context: 'Brokering',
        msg: 'brokered 1 order',
      }),
      expect.objectContaining({ reqId: 'req-9', jobId: '17', context: 'Jobs', msg: 'job completed', durationMs: expect.any(Number) }),
    ]);
  });

  it('logs a failed attempt with its error, in the job context, and fails the job', async () => {
    const lines = captureLogs();
    await expect(runJob(job({}), () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reqId: 'brokering:17', msg: 'job failed', err: expect.objectContaining({ message: 'database down' }) }),
    ]);
  });
});

describe('currentJobOrigin', () => {
  it('is the request under way, for a job an API call enqueues; none outside a request', () => {
    expect(runInWorkContext({ id: 'req-5' }, currentJobOrigin)).toEqual({ requestIds: ['req-5'], traceparents: [] });
    expect(currentJobOrigin()).toBeUndefined();
  });
});
