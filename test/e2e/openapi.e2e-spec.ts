import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ApiFixture, startApi } from '../support/api-fixture';
import type { OpenApiDocument } from '../support/openapi-response-check';
import { describeProblem, redoclyLint } from '../support/redocly-lint';

/** Warnings kept on purpose: the health probes have no 4xx answer to document. */
const ACCEPTED_WARNINGS = [{ ruleId: 'operation-4xx-response', pointer: /^#\/paths\/~1health~1(live|ready)\/get\/responses$/ }];

/** Every /api/v1 route of docs/api.md for products, facilities, inventory and orders, with its methods. */
const CONTRACT: Record<string, string[]> = {
  '/api/v1/products': ['get', 'post'],
  '/api/v1/products/{}': ['get', 'patch'],
  '/api/v1/products/{}/availability': ['get'],
  '/api/v1/facilities': ['get', 'post'],
  '/api/v1/facilities/{}': ['get', 'patch'],
  '/api/v1/inventory': ['get'],
  '/api/v1/inventory/{}/{}': ['put'],
  '/api/v1/inventory/adjustments': ['post'],
  '/api/v1/orders': ['get', 'post'],
  '/api/v1/orders/{}': ['get'],
  '/api/v1/orders/{}/cancel': ['post'],
  '/api/v1/orders/{}/fulfillments': ['post'],
};

/** The committed copy of the document, for clients and reviewers who do not run the app. */
const COMMITTED_DOCUMENT = join(__dirname, '../../docs/openapi.json');

interface DocumentSections {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
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

describe('OpenAPI document and Swagger UI', () => {
  let f: ApiFixture;

  beforeAll(async () => {
    f = await startApi('openapi');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('GET /docs serves the Swagger UI as HTML', async () => {
    const response = await fetch(`${f.url}/docs`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toMatch(/swagger/i);
  });

  it('GET /docs/json is an OpenAPI document whose paths hold every /api/v1 route of docs/api.md with its methods', async () => {
    const response = await f.request<{ openapi?: string; swagger?: string; paths: Record<string, Record<string, unknown>> }>('GET', '/docs/json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.openapi ?? response.body.swagger).toEqual(expect.any(String));
    const documented = new Map<string, string[]>();
    for (const [path, operations] of Object.entries(response.body.paths ?? {})) {
      documented.set(normalise(path), [...(documented.get(normalise(path)) ?? []), ...Object.keys(operations)]);
    }
    const missing = Object.entries(CONTRACT).flatMap(([path, methods]) =>
      methods.filter((method) => !(documented.get(path) ?? []).includes(method)).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('passes `redocly lint` with the recommended rules: no error, no warning but the accepted ones', async () => {
    const document = await f.request('GET', '/docs/json');
    const { exitCode, errors, problems } = await redoclyLint(document.body);
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

  it('every operation declares the body of each of its success responses (but 204)', async () => {
    const response = await f.request<OpenApiDocument>('GET', '/docs/json');
    const undeclared = Object.entries(response.body.paths).flatMap(([path, operations]) =>
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

  it('docs/openapi.json is the document the app serves', async () => {
    const served = sections((await f.request<DocumentSections>('GET', '/docs/json')).body);
    const committed = sections(JSON.parse(await readFile(COMMITTED_DOCUMENT, 'utf8')) as DocumentSections);
    const stale = [...new Set([...served.keys(), ...committed.keys()])].filter((key) => !isDeepStrictEqual(served.get(key), committed.get(key)));
    if (stale.length > 0) {
      throw new Error(`docs/openapi.json is stale (${stale.join('; ')}): run \`npm run openapi\` and commit the file`);
    }
  });

  it('the document declares the bearer API key security', async () => {
    const response = await f.request<{ components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> } }>('GET', '/docs/json');
    const schemes = Object.values(response.body.components?.securitySchemes ?? {});
    expect(schemes.some((s) => s.type === 'http' && s.scheme?.toLowerCase() === 'bearer')).toBe(true);
  });
});
