import { baseEnv, startApp, StartedApp } from '../support/app-process';
import { getJson } from '../support/http';
import { createTestDatabases, TestDatabases } from '../support/test-databases';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

describe('internal stays internal (ports, admin token, error body, request id)', () => {
  let databases: TestDatabases;
  let api: StartedApp;

  beforeAll(async () => {
    databases = await createTestDatabases('internal');
    api = await startApp('sync-api', baseEnv({ DATABASE_URL: databases.databaseUrl, WAREHOUSE_URL: databases.warehouseUrl }));
  });

  afterAll(async () => {
    await api?.stop();
    await databases?.drop();
  });

  it.each(['/metrics', '/internal/api-keys', '/internal/queues', '/%69nternal/queues', '/%6Detrics', '/metrics?x=1'])(
    'answers 404 for %s on the public port, even with the admin token',
    async (path) => {
      const { status, body } = await getJson<{ statusCode: number; error: string }>(`${api.url}${path}`, { headers: ADMIN });
      expect(status).toBe(404);
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    },
  );

  it('answers 401 on the internal port without a token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: 'Basic dGVzdA==' }];
    for (const headers of attempts) {
      const { status, body } = await getJson(`${api.internalUrl}/metrics`, { headers });
      expect(status).toBe(401);
      expect(body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('serves Prometheus metrics on the internal port with the admin token', async () => {
    await fetch(`${api.url}/health/live`);
    await fetch(`${api.url}/no/such/route/42`);
    const response = await fetch(`${api.internalUrl}/metrics`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\}/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} \d+\n/);
    expect(text).not.toContain('/no/such/route');
  });

  it('does not serve public routes on the internal port', async () => {
    const { status } = await getJson(`${api.internalUrl}/api/v1/products`, { headers: ADMIN });
    expect(status).toBe(404);
  });

  it('gives every error the documented body and echoes X-Request-Id', async () => {
    const { status, headers, body } = await getJson(`${api.url}/no/such/route`, { headers: { 'x-request-id': 'trace-42' } });
    expect(status).toBe(404);
    expect(headers.get('x-request-id')).toBe('trace-42');
    expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no/such/route', requestId: 'trace-42' });
  });

  it('mints a request id when none is sent and logs it as JSON', async () => {
    const response = await fetch(`${api.url}/no/such/route`);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = api.logs
      .filter((line) => line.includes(requestId!))
      .map((line) => JSON.parse(line) as { reqId?: string; msg?: string; statusCode?: number; url?: string });
    expect(logged).toContainEqual(expect.objectContaining({ reqId: requestId, msg: 'request completed', statusCode: 404, url: '/no/such/route' }));
  });
});
