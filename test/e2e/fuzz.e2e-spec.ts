import fc from 'fast-check';
import { ADDRESS, ADMIN_HEADERS, ApiFixture, expectErrorBody, httpRequest, Order, startApi } from '../support/api-fixture';
import { cursorLike, hostileValue, OpenApiDocument, SchemaArbitraries } from '../support/schema-arbitraries';

const RUNS_PER_WRITE_ENDPOINT = 60;
const RUNS_PER_READ_ENDPOINT = 60;
const RUNS_PER_COSTLY_BODY = 12;
const WRITE_METHODS = ['post', 'put', 'patch'];

/** Everything a request could change, in one string: counts and last-change times of every table. */
const FINGERPRINT_SQL = `SELECT concat_ws('|',
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM product),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM facility),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(sum(quantity_on_hand + quantity_reserved), 0) FROM inventory_item),
  (SELECT count(*) FROM inventory_ledger),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM sales_order),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM order_item),
  (SELECT count(*) FROM outbox_event), (SELECT count(*) FROM idempotency_record), (SELECT count(*) FROM api_key),
  (SELECT count(*) FROM picklist), (SELECT count(*) FROM shipment),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM routing_group),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM routing),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM routing_rule),
  (SELECT count(*) || ':' || count(deleted_at) FROM webhook_endpoint),
  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM sales_channel),
  (SELECT count(*) || ':' || count(shipped_at) || ':' || count(received_at) || ':' || count(cancelled_at) FROM transfer_order),
  (SELECT count(*) FROM transfer_order_item),
  (SELECT count(*) || ':' || count(closed_at) || ':' || coalesce(max(expected_date)::text, '') FROM purchase_order),
  (SELECT count(*) || ':' || coalesce(sum(received_quantity), 0) FROM purchase_order_item),
  (SELECT count(*) FROM purchase_order_receipt)) AS print`;

/** A request body that costs too much to read, and the status that refuses it before validation. */
interface CostlyBody {
  text: string;
  contentType: string;
  expected: 400 | 415;
}

const OTHER_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''];

/** `body` nested too deep, made too wide or too long, or sent as something other than JSON. */
function costlyVariants(body: Record<string, unknown>): fc.Arbitrary<CostlyBody> {
  const json = (value: unknown) => ({ text: JSON.stringify(value), contentType: 'application/json', expected: 400 as const });
  return fc.oneof(
    fc.integer({ min: 65, max: 5_000 }).map((depth) => ({
      ...json(body),
      text: JSON.stringify({ ...body, deep: 0 }).replace('"deep":0', `"deep":${'['.repeat(depth)}${']'.repeat(depth)}`),
    })),
    fc
      .integer({ min: 1_001, max: 3_000 })
      .map((width) => json({ ...body, ...Object.fromEntries(Array.from({ length: width }, (_, i) => [`w${i}`, i])) })),
    fc.integer({ min: 501, max: 3_000 }).map((length) => json({ ...body, items: new Array(length).fill({}) })),
    fc.constantFrom(...OTHER_CONTENT_TYPES).map((contentType) => ({ text: JSON.stringify(body), contentType, expected: 415 as const })),
  );
}

/** The routes of one OpenAPI document to fuzz, and where and how to send their requests. */
interface Surface {
  document: OpenApiDocument;
  arbitraries: SchemaArbitraries;
  prefix: string;
  url: string;
  headers: Record<string, string>;
}

interface Operation {
  surface: Surface;
  method: string;
  path: string;
}

/**
 * Property-based fuzzing of every write endpoint's body and every list endpoint's query, generated
 * from the request schemas of the OpenAPI documents (which the DTOs produce): the public API's and
 * the internal API's. Whatever arrives, the answer is never a 5xx, an error has the documented body,
 * and a refused request writes nothing.
 */
describe('fuzzing every endpoint from its documented request shape: no 5xx, no partial write', () => {
  let f: ApiFixture;
  let surfaces: Surface[];
  let knownIds: string[];

  beforeAll(async () => {
    f = await startApi('fuzz', { RATE_LIMIT_PER_MINUTE: '0' });
    const product = await f.createProduct({ sku: 'FUZZ-SKU' });
    const facility = await f.createFacility();
    await f.setStock(facility.id, product.id, 1_000_000);
    const order = await f.api<Order>('POST', '/orders', {
      customer: { email: 'f@example.com' },
      shippingAddress: ADDRESS,
      items: [{ productId: product.id, quantity: 1 }],
    });
    await f.brokerOrders(order.body.id);
    // The seeded routing group, its routing and a rule: so that routing configuration writes reach the database.
    const [routing] = await f.sql<{ groupId: string; routingId: string; ruleId: string }>(
      `SELECT r.group_id AS "groupId", r.id AS "routingId", (SELECT id FROM routing_rule WHERE routing_id = r.id LIMIT 1) AS "ruleId" FROM routing r LIMIT 1`,
    );
    knownIds = [product.id, facility.id, order.body.id, routing.groupId, routing.routingId, routing.ruleId];
    const surface = async (documentUrl: string, prefix: string, url: string, headers: Record<string, string>): Promise<Surface> => {
      const document = (await httpRequest<OpenApiDocument>(documentUrl, 'GET', undefined, headers)).body;
      return { document, arbitraries: new SchemaArbitraries(document, knownIds), prefix, url, headers };
    };
    surfaces = [
      await surface(`${f.url}/docs/json`, '/api/v1/', f.url, { authorization: `Bearer ${f.key.key}` }),
      await surface(`${f.internalUrl}/internal/docs/json`, '/internal/', f.internalUrl, ADMIN_HEADERS),
    ];
  });

  afterAll(async () => {
    await f?.stop();
  });

  const fingerprint = async () => (await f.sql<{ print: string }>(FINGERPRINT_SQL))[0].print;
  const operations = (methods: string[]): Operation[] =>
    surfaces.flatMap((surface) =>
      Object.entries(surface.document.paths).flatMap(([path, byMethod]) =>
        Object.keys(byMethod)
          .filter((method) => methods.includes(method) && path.startsWith(surface.prefix))
          .map((method) => ({ surface, method, path })),
      ),
    );
  const declared = ({ surface, path, method }: Operation) => surface.document.paths[path][method];
  // Dot segments and empty ones are not path values: URL resolution removes them, which sends the request to another route.
  const anyPathValue = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value !== '.' && value !== '..');
  const pathValue = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...knownIds) }, { weight: 1, arbitrary: anyPathValue });
  const fillPath = (path: string) => {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    return fc
      .tuple(...names.map(() => pathValue()))
      .map((values) => names.reduce((url, name, i) => url.replace(`{${name}}`, encodeURIComponent(values[i])), path));
  };
  const send = ({ surface, method }: Operation, url: string, body?: unknown) =>
    httpRequest(`${surface.url}${url}`, method.toUpperCase(), body, surface.headers);

  it('finds the write endpoints and list endpoints to fuzz in both documents', () => {
    expect(operations(WRITE_METHODS).length).toBeGreaterThanOrEqual(9);
    expect(operations(['get']).length).toBeGreaterThanOrEqual(8);
    for (const surface of surfaces) {
      expect(operations(WRITE_METHODS).filter((operation) => operation.surface === surface).length).toBeGreaterThan(0);
      expect(operations(['get']).filter((operation) => operation.surface === surface).length).toBeGreaterThan(0);
    }
  });

  it('write endpoints: any body gives a 2xx or a documented 4xx, and a 4xx changes nothing', async () => {
    for (const operation of operations(WRITE_METHODS)) {
      const schema = declared(operation).requestBody?.content['application/json']?.schema;
      const body = schema
        ? fc.oneof({ weight: 9, arbitrary: operation.surface.arbitraries.body(schema) }, { weight: 1, arbitrary: hostileValue })
        : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(fillPath(operation.path), body, async (url, payload) => {
          const before = await fingerprint();
          const response = await send(operation, url, payload);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expectErrorBody(response, response.status);
            expect(await fingerprint()).toBe(before);
          }
        }),
        { numRuns: RUNS_PER_WRITE_ENDPOINT },
      );
    }
  });

  it('write endpoints: a body too deep, too wide, too long or not JSON is refused before validation and changes nothing', async () => {
    for (const operation of operations(WRITE_METHODS)) {
      const schema = declared(operation).requestBody?.content['application/json']?.schema;
      const body = schema ? operation.surface.arbitraries.body(schema) : fc.constant({});
      await fc.assert(
        fc.asyncProperty(fillPath(operation.path), body.chain(costlyVariants), async (url, { text, contentType, expected }) => {
          const before = await fingerprint();
          const { surface, method } = operation;
          const response = await httpRequest(`${surface.url}${url}`, method.toUpperCase(), text, { ...surface.headers, 'content-type': contentType });
          expectErrorBody(response, expected);
          expect(await fingerprint()).toBe(before);
        }),
        { numRuns: RUNS_PER_COSTLY_BODY },
      );
    }
  });

  it('read endpoints: any query string and path id gives a 200 or a documented 4xx', async () => {
    for (const operation of operations(['get'])) {
      const parameters = (declared(operation).parameters ?? []).filter((parameter) => parameter.in === 'query');
      const query = fc.tuple(
        ...parameters.map((parameter) =>
          fc.option(
            parameter.name === 'cursor'
              ? cursorLike
              : fc
                  .oneof(operation.surface.arbitraries.value(parameter.schema ?? {}), hostileValue)
                  .map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
            { nil: undefined },
          ),
        ),
      );
      await fc.assert(
        fc.asyncProperty(fillPath(operation.path), query, async (url, values) => {
          const search = new URLSearchParams(
            parameters.flatMap((parameter, i): [string, string][] => (values[i] === undefined ? [] : [[parameter.name, String(values[i])]])),
          );
          const response = await send(operation, search.size > 0 ? `${url}?${search}` : url);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expectErrorBody(response, response.status);
        }),
        { numRuns: RUNS_PER_READ_ENDPOINT },
      );
    }
  });
});
