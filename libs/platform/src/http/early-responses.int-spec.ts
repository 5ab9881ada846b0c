import { Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { Writable } from 'node:stream';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { EarlyBody, EarlyResponses } from './early-responses';
import { createHttpAdapter } from './fastify-adapter.factory';

/** What the Nest handler saw, so a test can tell who answered. */
const servedByNest: { id: string; query: unknown }[] = [];

@Controller('things')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string, @Query() query: unknown): { from: string; id: string } {
    servedByNest.push({ id, query });
    return { from: 'nest', id };
  }

  @Post(':id')
  post(@Param('id') id: string): { from: string; id: string } {
    return { from: 'nest', id };
  }
}

@Module({ imports: [MetricsModule], controllers: [ThingsController], providers: [EarlyResponses] })
class EarlyResponsesTestModule {}

describe('EarlyResponses: GETs answered before Fastify, over real HTTP', () => {
  const lines: Record<string, unknown>[] = [];
  let app: NestFastifyApplication;
  let internalServer: Server;
  let base: string;
  let internalBase: string;
  /** The early body of GET /things/:id, per test; undefined declines. */
  let earlyBody: EarlyBody;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        );
        done();
      },
    });
    const { adapter, internalServer: internal } = createHttpAdapter(pino({ level: 'info' }, sink));
    internalServer = internal;
    app = await NestFactory.create<NestFastifyApplication>(EarlyResponsesTestModule, adapter, { logger: false });
    app
      .get(EarlyResponses)
      .registerRoute('/things/:id', ['x-answered', 'early', 'content-type', 'application/json'], (params, query, request) =>
        earlyBody(params, query, request),
      );
    await app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => internalServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    internalBase = `http://127.0.0.1:${(internalServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => internalServer?.close(resolve));
    await app?.close();
  });

  beforeEach(() => {
    servedByNest.length = 0;
    lines.length = 0;
    earlyBody = (params) => (params.id.startsWith('known') ? JSON.stringify({ from: 'early', id: params.id }) : undefined);
  });

  async function durationCount(): Promise<number> {
    const sample = 'http_request_duration_seconds_count{method="GET",route="/things/:id",status="200"} ';
    const line = (await app.get(MetricsRegistry).metrics()).split('\n').find((candidate) => candidate.startsWith(sample));
    return line === undefined ? 0 : Number(line.slice(sample.length));
  }

  /** The request lines written so far, once pino's asynchronous batches have been handed on. */
  async function requestLines(): Promise<Record<string, unknown>[]> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return lines.filter((line) => line.msg === 'request completed');
  }

  it('answers with the early body, the route headers and the request id; logs the line and observes the duration', async () => {
    const before = await durationCount();
    const response = await fetch(`${base}/things/known-1`, { headers: { 'x-request-id': 'trace-7' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ from: 'early', id: 'known-1' });
    expect(response.headers.get('x-answered')).toBe('early');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toBe('trace-7');
    expect(servedByNest).toEqual([]);
    expect(await requestLines()).toEqual([
      expect.objectContaining({ reqId: 'trace-7', method: 'GET', url: '/things/known-1', statusCode: 200, responseTime: expect.any(Number) }),
    ]);
    expect((await durationCount()) - before).toBe(1);

    const minted = await fetch(`${base}/things/known-2`);
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves to Fastify what the body declines, other methods, other paths and the internal port', async () => {
    const declined = await fetch(`${base}/things/other`);
    expect(await declined.json()).toEqual({ from: 'nest', id: 'other' });
    expect(declined.headers.get('x-answered')).toBeNull();
    expect(declined.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    expect((await fetch(`${base}/things/known-1`, { method: 'POST' })).status).toBe(201);
    expect((await fetch(`${base}/things/known-1`, { method: 'HEAD' })).headers.get('x-answered')).toBeNull();
    expect((await fetch(`${base}/things`)).status).toBe(404);
    // The internal port serves no public route at all: the early path must not answer there either.
    expect((await fetch(`${internalBase}/things/known-1`)).status).toBe(404);
    // HEAD is Fastify's twin of the GET route: Fastify runs the GET handler for it.
    expect(servedByNest.map((served) => served.id)).toEqual(['other', 'known-1']);
  });

  it('matches URLs as Fastify does: decoded parameters, parsed queries, no trailing slash, no over-long parameter', async () => {
    const seen: unknown[] = [];
    earlyBody = (params, query) => {
      seen.push({ params, query });
      return undefined;
    };
    await fetch(`${base}/things/caf%C3%A9%20x?size=L&tag=a&tag=b`);
    expect(seen).toEqual([{ params: { id: 'café x' }, query: { size: 'L', tag: ['a', 'b'] } }]);
    expect(servedByNest).toEqual([{ id: 'café x', query: { size: 'L', tag: ['a', 'b'] } }]);

    seen.length = 0;
    expect((await fetch(`${base}/things/known-1/`)).status).toBe(404);
    expect((await fetch(`${base}/THINGS/known-1`)).status).toBe(404);
    expect((await fetch(`${base}/things/known-${'x'.repeat(120)}`)).status).toBe(414);
    expect(seen).toEqual([]);
  });

  it('survives a body function that throws or a malformed URL: Fastify answers, nothing crashes', async () => {
    earlyBody = () => {
      throw new Error('broken cache');
    };
    const response = await fetch(`${base}/things/known-1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ from: 'nest', id: 'known-1' });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'early response failed; Fastify serves the request', url: '/things/known-1' }));

    earlyBody = () => JSON.stringify({ from: 'early' });
    expect((await fetch(`${base}/things/%E0%A4%A`)).status).toBe(400);
  });

  it('refuses a server it cannot answer on, with a clear error', async () => {
    await expect(NestFactory.create(EarlyResponsesTestModule, new FastifyAdapter(), { logger: false, abortOnError: false })).rejects.toThrow(
      'EarlyResponses needs the HTTP server of createHttpAdapter',
    );
  });
});
