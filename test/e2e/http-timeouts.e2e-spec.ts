import { connect } from 'node:net';
import { baseEnv, startApp, StartedApp } from '../support/app-process';
import { TestHaproxy } from '../support/haproxy';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

interface Closed {
  /** From the first byte sent to the connection's close. */
  afterMs: number;
  /** What the server sent before closing. */
  received: string;
}

/**
 * Opens a connection, sends `start` and then one character of `trickle` a second (a client that
 * keeps sending, so no inactivity timeout applies), and resolves when the server closes the connection.
 */
function sendSlowly(url: string, start: string, trickle: string): Promise<Closed> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  let sentAt = 0;
  let next = 0;
  const ticker = setInterval(() => socket.write(trickle[next++ % trickle.length]), 1000);
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    sentAt = Date.now();
    socket.write(start);
  });
  return new Promise((resolve) =>
    socket.once('close', () => {
      clearInterval(ticker);
      resolve({ afterMs: Date.now() - sentAt, received });
    }),
  );
}

/** Headers that never end: a header value that grows by a character a second. */
const slowHeaders = (url: string) => sendSlowly(url, 'GET /health/live HTTP/1.1\r\nHost: oms.test\r\nX-Slow: ', 'a');

/** A body of 100 bytes, announced, that arrives a byte a second. */
const slowBody = (url: string, path: string) =>
  sendSlowly(url, `POST ${path} HTTP/1.1\r\nHost: oms.test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"`, 'x');

describe('HTTP timeouts: headers within 15 s, a whole request within 30 s (libs/platform http-timeouts.ts, docker/haproxy.cfg)', () => {
  let databases: TestDatabases;
  let api: StartedApp;
  const haproxy = new TestHaproxy();
  /** The probes run side by side (each takes up to half a minute); each test checks its own. */
  let probes: Record<'publicHeaders' | 'internalHeaders' | 'publicBody' | 'internalBody' | 'haproxyHeaders', Promise<Closed>>;

  beforeAll(async () => {
    databases = await createTestDatabases('http_timeouts');
    api = await startApp('sync-api', baseEnv({ DATABASE_URL: databases.databaseUrl, WAREHOUSE_URL: databases.warehouseUrl }));
    await haproxy.start([api.url, api.url]);
    probes = {
      publicHeaders: slowHeaders(api.url),
      internalHeaders: slowHeaders(api.internalUrl!),
      publicBody: slowBody(api.url, '/api/v1/facilities'),
      internalBody: slowBody(api.internalUrl!, '/internal/api-keys'),
      haproxyHeaders: slowHeaders(haproxy.url),
    };
  });

  afterAll(async () => {
    await haproxy.stop();
    await api?.stop();
    await databases?.drop();
  });

  it('closes a connection whose headers never end within 15 s (plus the 1 s check interval), with a 408, on both ports', async () => {
    for (const closed of await Promise.all([probes.publicHeaders, probes.internalHeaders])) {
      expect(closed.afterMs).toBeLessThan(20_000);
      expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    }
  });

  it('closes a connection whose body never completes within 30 s (plus the check interval), on both ports', async () => {
    for (const closed of await Promise.all([probes.publicBody, probes.internalBody])) {
      expect(closed.afterMs).toBeLessThan(35_000);
      expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    }
  });

  it('HAProxy answers 408 to headers that never end within its 15 s', async () => {
    const closed = await probes.haproxyHeaders;
    expect(closed.afterMs).toBeLessThan(20_000);
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
  });
});
