import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createAppLogger } from './app-logger';
import { PinoNestLogger } from './nest-logger';
import { runInRequestContext, runInWorkContext } from './request-context';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createAppLogger({ logLevel: 'info' }, 'test-service', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, nest: new PinoNestLogger(logger) };
}

describe('PinoNestLogger', () => {
  it("writes Nest Logger calls as JSON lines with service, pid, the Logger's context and the fields given first", () => {
    const { lines, nest } = capture();
    Logger.overrideLogger(nest);
    new Logger('Orders').warn({ orderId: 'o-1' }, 'slow order');
    new Logger('Orders').log('plain message');
    new Logger('Filter').error('boom', 'Error: boom\n    at somewhere (file.js:1:1)');
    new Logger('Quiet').debug('below the level');

    expect(lines).toEqual([
      expect.objectContaining({ level: 40, service: 'test-service', pid: process.pid, context: 'Orders', orderId: 'o-1', msg: 'slow order' }),
      expect.objectContaining({ level: 30, context: 'Orders', msg: 'plain message' }),
      expect.objectContaining({
        level: 50,
        context: 'Filter',
        msg: 'boom',
        err: expect.objectContaining({ stack: expect.stringContaining('at somewhere') }),
      }),
    ]);
  });

  it('adds the id of the request being served (reqId), and only then', () => {
    const { lines, nest } = capture();
    const request = { id: 'req-42' } as FastifyRequest;
    runInRequestContext(request, {} as FastifyReply, () => nest.log('inside', 'Ctx'));
    nest.log('outside', 'Ctx');
    expect(lines[0]).toMatchObject({ reqId: 'req-42', msg: 'inside' });
    expect(lines[1]).not.toHaveProperty('reqId');
  });

  it("adds a job's fields and the request that caused it, or the requests of a batch", () => {
    const { lines, nest } = capture();
    runInWorkContext({ id: 'req-7', logFields: { jobId: 'j-1', jobName: 'broker-orders' } }, () => nest.log('one', 'Jobs'));
    runInWorkContext({ logFields: { reqIds: ['req-7', 'req-8'], jobId: 'j-2' } }, () => nest.log('batch', 'Jobs'));
    expect(lines[0]).toMatchObject({ reqId: 'req-7', jobId: 'j-1', jobName: 'broker-orders', msg: 'one' });
    expect(lines[1]).toMatchObject({ reqIds: ['req-7', 'req-8'], jobId: 'j-2', msg: 'batch' });
    expect(lines[1]).not.toHaveProperty('reqId');
  });

  it('never logs request headers, whatever is passed as req', () => {
    const { lines, nest } = capture();
    nest.log({ req: { id: 'r', method: 'GET', url: '/x', headers: { authorization: 'Bearer secret', cookie: 'c=1' } } }, 'with a request', 'Ctx');
    expect(lines[0].req).toEqual({ id: 'r', method: 'GET', url: '/x' });
  });
});
