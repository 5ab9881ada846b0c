import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Browser, chromium } from 'playwright-core';
import { ADMIN_HEADERS, ADMIN_TOKEN, ApiFixture, expectErrorBody, httpRequest, startApi } from '../support/api-fixture';
import type { OpenApiDocument } from '../support/openapi-response-check';
import { describeProblem, redoclyLint } from '../support/redocly-lint';

/** Debian's chromium package (scripts/services.sh chromium installs it; npm test calls that first). */
const CHROMIUM = '/usr/bin/chromium';
const BROWSER_WAIT_MS = 15_000;

/** Warnings kept on purpose: the health probes have no 4xx answer to document. */
const ACCEPTED_WARNINGS = [{ ruleId: 'operation-4xx-response', pointer: /^#\/paths\/~1health~1(live|ready)\/get\/responses$/ }];

/** Every /api/v1 route of docs/api.md for products, facilities, inventory, orders and fulfilment, with its methods. */
const PUBLIC_CONTRACT: Record<string, string[]> = {
  '/api/v1/products': ['get', 'post'],
  '/api/v1/products/{}': ['get', 'patch'],
  '/api/v1/products/{}/availability': ['get'],
  '/api/v1/facilities': ['get', 'post'],
  '/api/v1/facilities/{}': ['get', 'patch'],
  '/api/v1/facilities/{}/capacity': ['get'],
  '/api/v1/inventory': ['get'],
  '/api/v1/inventory/{}/{}': ['put'],
  '/api/v1/inventory/{}/{}/ledger': ['get'],
  '/api/v1/inventory/adjustments': ['post'],
  '/api/v1/orders': ['get', 'post'],
  '/api/v1/orders/{}': ['get'],
  '/api/v1/orders/{}/cancel': ['post'],
  '/api/v1/orders/{}/fulfillments': ['post'],
  '/api/v1/orders/{}/shipments': ['get'],
  '/api/v1/facilities/{}/picklists': ['post'],
  '/api/v1/picklists/{}': ['get'],
  '/api/v1/picklists/{}/complete': ['post'],
  '/api/v1/shipments': ['post'],
  '/api/v1/shipments/{}': ['get'],
  '/api/v1/shipments/{}/ship': ['post'],
  '/api/v1/shipments/{}/unpack': ['post'],
};

/** Every route of docs/api.md's internal API, with its methods. */
const INTERNAL_CONTRACT: Record<string, string[]> = {
  '/internal/api-keys': ['post'],
  '/internal/api-keys/{}': ['delete'],
  '/internal/warehouse/etl-runs': ['get', 'post'],
  '/internal/warehouse/etl-runs/{}': ['get'],
  '/internal/queues': ['get'],
  '/internal/routing/groups': ['get', 'post'],
  '/internal/routing/groups/{}': ['get', 'patch', 'delete'],
  '/internal/routing/groups/{}/routings': ['post'],
  '/internal/routing/routings/{}': ['patch', 'delete'],
  '/internal/routing/routings/{}/rules': ['post'],
  '/internal/routing/rules/{}': ['patch', 'delete'],
  '/internal/routing/runs': ['get'],
  '/metrics': ['get'],
};

interface Docs {
  name: 'public' | 'internal';
  /** Where the Swagger UI page is, on the port that serves it. */
  page: string;
  /** The committed copy of the document, for clients and reviewers who do not run the app. */
  committed: string;
  contract: Record<string, string[]>;
  securityScheme: string;
}

const PUBLIC_DOCS: Docs = {
  name: 'public',
  page: '/docs',
  committed: 'docs/openapi.json',
  contract: PUBLIC_CONTRACT,
  securityScheme: 'api-key',
};
const INTERNAL_DOCS: Docs = {
  name: 'internal',
  page: '/internal/docs',
  committed: 'docs/openapi-internal.json',
  contract: INTERNAL_CONTRACT,
  securityScheme: 'admin-token',
};
const BOTH = [PUBLIC_DOCS, INTERNAL_DOCS];

interface DocumentSections {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

/** A document cut into its paths, its schemas and the rest, so that a stale copy names what changed. */
function sections(document: DocumentSections): Map<string, unknown> {
  return new Map<string, unknown>([
    ...Object.entries(document.paths ?? {}).map(([path, item]): [string, unknown] => [`path ${path}`, item]),
    ...Object.entries(document.components?.schemas ?? {}).map(([name, schema]): [string, unknown] => [`schema ${name}`, schema]),
    ['the rest', { ...document, paths: undefined, components: { ...document.components, schemas: undefined } }],
  ]);
}

/** Path parameters compared by position, not by name ({id} and {productId} are the same slot). */
const normalise = (path: string) => path.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '');

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`operator:${password}`).toString('base64')}` });

describe('OpenAPI documents and Swagger UI: the public API on the public port, the internal API on the internal port', () => {
  let f: ApiFixture;
  let browser: Browser | undefined;

  beforeAll(async () => {
    f = await startApi('openapi');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await f?.stop();
  });

  /** A path of the docs on the port that serves them, with the admin token for the internal ones. */
  const served = <T = unknown>(docs: Docs, path = '') =>
    docs === PUBLIC_DOCS
      ? httpRequest<T>(`${f.url}${docs.page}${path}`, 'GET')
      : httpRequest<T>(`${f.internalUrl}${docs.page}${path}`, 'GET', undefined, ADMIN_HEADERS);
  const document = async (docs: Docs) => (await served<OpenApiDocument & DocumentSections>(docs, '/json')).body;

  it.each(BOTH)('serves the $name Swagger UI as HTML and its document as JSON', async (docs) => {
    const page = await served<string>(docs);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toMatch(/swagger/i);
    const json = await served<{ openapi?: string }>(docs, '/json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.body.openapi).toEqual(expect.any(String));
  });

  it.each(BOTH)('the $name document holds every route of its part of docs/api.md, with its methods', async (docs) => {
    const documented = new Map<string, string[]>();
    for (const [path, operations] of Object.entries((await document(docs)).paths)) {
      documented.set(normalise(path), [...(documented.get(normalise(path)) ?? []), ...Object.keys(operations)]);
    }
    const missing = Object.entries(docs.contract).flatMap(([path, methods]) =>
      methods.filter((method) => !(documented.get(path) ?? []).includes(method)).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('the public document has no internal route, no metrics and no admin token scheme; the internal one has no public route', async () => {
    const publicPaths = Object.keys((await document(PUBLIC_DOCS)).paths);
    expect(publicPaths.filter((path) => path === '/metrics' || path === '/internal' || path.startsWith('/internal/'))).toEqual([]);
    expect(JSON.stringify(await document(PUBLIC_DOCS))).not.toMatch(/admin.?token/i);

    const internalPaths = Object.keys((await document(INTERNAL_DOCS)).paths);
    expect(internalPaths.filter((path) => path.startsWith('/api/') || path.startsWith('/reports'))).toEqual([]);
    expect(internalPaths).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });

  it.each(BOTH)('the $name document declares its bearer security scheme and no other', async (docs) => {
    const schemes = (await document(docs)).components?.securitySchemes ?? {};
    expect(Object.keys(schemes)).toEqual([docs.securityScheme]);
    expect(schemes[docs.securityScheme]).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('serves the internal docs on the internal port only, and there only with the admin token (Bearer or Basic)', async () => {
    for (const path of ['', '/json', '/swagger-ui.css', '/swagger-ui-init.js']) {
      for (const headers of [{}, ADMIN_HEADERS]) {
        expectErrorBody(await httpRequest(`${f.url}/internal/docs${path}`, 'GET', undefined, headers), 404);
      }
      const refused = await httpRequest(`${f.internalUrl}/internal/docs${path}`, 'GET', undefined, { authorization: 'Bearer wrong-token' });
      expectErrorBody(refused, 401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
      expectErrorBody(await httpRequest(`${f.internalUrl}/internal/docs${path}`, 'GET'), 401);
      expect((await httpRequest(`${f.internalUrl}/internal/docs${path}`, 'GET', undefined, basic(ADMIN_TOKEN))).status).toBe(200);
    }
    for (const path of ['/docs', '/docs/json', '/docs/swagger-ui.css']) {
      expectErrorBody(await httpRequest(`${f.internalUrl}${path}`, 'GET', undefined, ADMIN_HEADERS), 404);
    }
  });

  it.each(
    BOTH.flatMap((docs) => ['', '/', '/json', '/swagger-ui-init.js', '/swagger-ui.css', '/swagger-ui-bundle.js'].map((path) => ({ docs, path }))),
  )('the $docs.name docs at $path send a CSP without inline script that forbids framing, and nosniff', async ({ docs, path }) => {
    const response = await served(docs, path);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each(BOTH)('the $name document passes `redocly lint` with the recommended rules: no error, no warning but the accepted ones', async (docs) => {
    const { exitCode, errors, problems } = await redoclyLint(await document(docs));
    const unexpected = problems.filter(
      (problem) =>
        !ACCEPTED_WARNINGS.some(
          (accepted) =>
            problem.severity === 'warn' && problem.ruleId === accepted.ruleId && accepted.pointer.test(problem.location[0]?.pointer ?? ''),
        ),
    );
    expect(unexpected.map(describeProblem)).toEqual([]);
    expect(errors).toBe(0);
    expect(exitCode).toBe(0);
  });

  it.each(BOTH)('every operation of the $name document declares the body of each of its success responses (but 204)', async (docs) => {
    const undeclared = Object.entries((await document(docs)).paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.entries(operation.responses)
          .filter(
            ([status, declared]) =>
              status.startsWith('2') && status !== '204' && !Object.values(declared.content ?? {}).some((media) => media.schema !== undefined),
          )
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(undeclared).toEqual([]);
  });

  it.each(BOTH)('$committed is the $name document the app serves', async (docs) => {
    const servedSections = sections(await document(docs));
    const committed = sections(JSON.parse(await readFile(join(__dirname, '../..', docs.committed), 'utf8')) as DocumentSections);
    const stale = [...new Set([...servedSections.keys(), ...committed.keys()])].filter(
      (key) => !isDeepStrictEqual(servedSections.get(key), committed.get(key)),
    );
    if (stale.length > 0) {
      throw new Error(`${docs.committed} is stale (${stale.join('; ')}): run \`npm run openapi\` and commit the file`);
    }
  });

  it.each(BOTH)('Chromium draws the $name Swagger UI with its CSP: every operation, no blocked script or style, no error', async (docs) => {
    const origin = docs === PUBLIC_DOCS ? f.url : f.internalUrl;
    const context = await browser!.newContext({
      httpCredentials: docs === PUBLIC_DOCS ? undefined : { username: 'operator', password: ADMIN_TOKEN },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(BROWSER_WAIT_MS);
    const problems: string[] = [];
    // A CSP violation is reported as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      // The first request meets the Basic challenge (401) before the browser answers it.
      if (response.status() >= 400 && response.status() !== 401) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });

    try {
      const response = await page.goto(`${origin}${docs.page}`, { waitUntil: 'load', timeout: BROWSER_WAIT_MS });
      expect(response?.status()).toBe(200);
      const operations = Object.values((await document(docs)).paths).flatMap((item) => Object.keys(item));
      await page
        .locator('.opblock')
        .nth(operations.length - 1)
        .waitFor();
      expect(await page.locator('.opblock').count()).toBe(operations.length);

      // Try it out: the page calls the API of its own origin, which the CSP allows.
      const live = page.locator('#operations-health-HealthController_live');
      await live.locator('.opblock-summary').click();
      await live.getByRole('button', { name: 'Try it out' }).click();
      await live.getByRole('button', { name: 'Execute' }).click();
      const status = live.locator('.live-responses-table tr.response .response-col_status');
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe('200');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
