import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ADMIN_HEADERS, ADMIN_TOKEN, ApiFixture, expectErrorBody, httpRequest, startApi } from '../support/api-fixture';
import { EtlRun, internalRequest } from '../support/warehouse';

/** Debian's chromium package (scripts/services.sh chromium installs it; npm test calls that first). */
const CHROMIUM = '/usr/bin/chromium';
const BROWSER_WAIT_MS = 15_000;
const SCREENSHOT = resolve(__dirname, '../../.run/queue-board.png');
const BOARD = '/internal/queues/board';
const QUEUES = ['brokering', 'warehouse', 'maintenance'];

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  jobs: { id: string; name: string; data: Record<string, unknown> }[];
}

/** Bull Board on the sync-api's internal port: every queue, the admin token on every path, never on the public port. */
describe('queue board (Bull Board on the internal port) in headless Chromium', () => {
  let f: ApiFixture;
  let browser: Browser | undefined;
  /** The job of an ETL run requested before the tests; no worker runs, so it waits in the warehouse queue. */
  let etlJob: BoardQueue['jobs'][number];

  const board = (path: string, method = 'GET', headers: Record<string, string> = ADMIN_HEADERS, body?: unknown) =>
    httpRequest<unknown>(`${f.internalUrl}${BOARD}${path}`, method, body, headers);

  const warehouseQueue = async (status: string): Promise<BoardQueue> => {
    const response = await board(`/api/queues?activeQueue=warehouse&status=${status}&page=1&jobsPerPage=50`);
    expect(response.status).toBe(200);
    const queues = (response.body as { queues: BoardQueue[] }).queues;
    expect(queues.map((queue) => queue.name).sort()).toEqual([...QUEUES].sort());
    return queues.find((queue) => queue.name === 'warehouse')!;
  };

  beforeAll(async () => {
    f = await startApi('queueboard');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
    const run = await internalRequest<EtlRun>(f, 'POST', '/internal/warehouse/etl-runs', {});
    expect(run.status).toBe(202);
    etlJob = (await warehouseQueue('waiting')).jobs.find((job) => job.data.runId === run.body.id)!;
    expect(etlJob).toEqual(expect.objectContaining({ name: 'warehouse-etl' }));
  });

  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  it.each(['', '/', '/queue/warehouse', '/api/queues', '/static/favicon-32x32.png', '/nothing-here'])(
    'answers 404 for %s on the public port, with or without the admin token',
    async (path) => {
      for (const headers of [{}, ADMIN_HEADERS, basic('admin', ADMIN_TOKEN)]) {
        expectErrorBody(await httpRequest(`${f.url}${BOARD}${path}`, 'GET', undefined, headers), 404);
      }
      expectErrorBody(await httpRequest(`${f.url}/%69nternal/queues/board${path}`, 'GET', undefined, ADMIN_HEADERS), 404);
    },
  );

  it.each([
    ['GET', ''],
    ['GET', '/queue/warehouse'],
    ['GET', '/static/favicon-32x32.png'],
    ['GET', '/api/queues'],
    ['PUT', '/api/queues/warehouse/{etlJob}/clean'],
  ])('answers %s %s on the internal port with 401 and a Basic challenge without the admin token', async (method, path) => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, basic('admin', 'wrong-token'), basic('', '')];
    for (const headers of attempts) {
      const response = await board(path.replace('{etlJob}', etlJob.id), method, headers);
      expectErrorBody(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
    }
    expect((await board(`/api/queues/warehouse/${etlJob.id}`)).status).toBe(200);
  });

  it('lists every queue and the ETL run’s job in Chromium, with the admin token as the Basic password', async () => {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 900 },
      httpCredentials: { username: 'operator', password: ADMIN_TOKEN },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_WAIT_MS);
    const problems: string[] = [];
    const ours = (url: string) => url.startsWith(f.internalUrl);
    // The page links a web font from Google's CDN: tests reach nothing but loopback.
    await context.route('**/*', (route) => (ours(route.request().url()) ? route.continue() : route.abort()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      // ERR_ABORTED is the browser cancelling a request itself (the test navigating away while the
      // board loads a chunk or polls its API), not the server failing it.
      const errorText = request.failure()?.errorText;
      if (ours(request.url()) && errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${errorText}`);
    });
    page.on('response', (response) => {
      // The first request of each kind meets the Basic challenge (401) before the browser answers it.
      const refused = ours(response.url()) && response.status() >= 400 && response.status() !== 401;
      if (refused) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });

    try {
      const response = await page.goto(`${f.internalUrl}${BOARD}`, { waitUntil: 'load', timeout: BROWSER_WAIT_MS });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['x-frame-options']).toBe('DENY');
      for (const name of QUEUES) await page.getByRole('link', { name, exact: false }).first().waitFor();

      await page.goto(`${f.internalUrl}${BOARD}/queue/warehouse?status=waiting`, { waitUntil: 'load', timeout: BROWSER_WAIT_MS });
      await page.getByText('warehouse-etl').first().waitFor();
      await page.getByText(etlJob.id, { exact: false }).first().waitFor();

      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true, timeout: BROWSER_WAIT_MS });
      process.stdout.write(`queue board screenshot: ${SCREENSHOT}\n`);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an operator retry, clean and promote jobs, and refuses adding jobs, pausing and other changes', async () => {
    expect((await board('/api/queues/brokering/add', 'POST', ADMIN_HEADERS, { name: 'broker-orders', data: {} })).status).toBe(403);
    expect((await board('/api/queues/brokering/pause', 'PUT')).status).toBe(403);
    expect((await board('/api/queues/maintenance/obliterate', 'PUT', ADMIN_HEADERS, {})).status).toBe(403);
    expect((await board(`/api/queues/warehouse/${etlJob.id}`)).status).toBe(200);

    expect((await board('/api/queues/brokering/retry/failed', 'PUT')).status).toBe(200);
    expect((await board('/api/queues/maintenance/promote', 'PUT')).status).toBe(200);
    expect((await board(`/api/queues/warehouse/${etlJob.id}/clean`, 'PUT', basic('operator', ADMIN_TOKEN))).status).toBe(204);
    expect((await board(`/api/queues/warehouse/${etlJob.id}`)).status).toBe(404);
  });
});
