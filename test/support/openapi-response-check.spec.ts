import { OpenApiDocument, OpenApiResponseCheck } from './openapi-response-check';

const JSON_HEADERS = new Headers({ 'content-type': 'application/json; charset=utf-8' });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

const DOCUMENT: OpenApiDocument = {
  paths: {
    '/things/{id}': { get: { responses: { '200': json({ $ref: '#/components/schemas/ThingDto' }), '404': json({ type: 'object' }) } } },
    '/things/special': { get: { responses: { '200': json({ type: 'string' }) } } },
    '/things': { post: { responses: { '201': { description: 'no body' } } } },
  } as unknown as OpenApiDocument['paths'],
  components: {
    schemas: {
      ThingDto: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, note: { type: 'string', nullable: true, example: 'x' } },
        required: ['id', 'note'],
      },
    },
  },
};

const ID = '8a6e0804-2bd0-4672-b79c-d91c8ce42b5b';
const check = new OpenApiResponseCheck(DOCUMENT);
const get = (path: string, status: number, body: unknown, headers = JSON_HEADERS) =>
  check.check('GET', `http://127.0.0.1:1${path}`, { status, headers, body });

describe('OpenApiResponseCheck', () => {
  it('accepts a body that matches the schema of its status, nullable fields included', () => {
    expect(() => get(`/things/${ID}`, 200, { id: ID, note: null })).not.toThrow();
  });

  it('refuses a body that breaks its schema, naming the route and the problem', () => {
    expect(() => get(`/things/${ID}`, 200, { id: 'not-a-uuid', note: null })).toThrow(
      /GET \/things\/\{id\} answered 200 .*body\/id must match format "uuid"/,
    );
    expect(() => get(`/things/${ID}`, 200, { id: ID })).toThrow(/must have required property 'note'/);
  });

  it('refuses a field the document does not declare', () => {
    expect(() => get(`/things/${ID}`, 200, { id: ID, note: 'x', extra: 1 })).toThrow(/must NOT have additional properties/);
  });

  it('refuses a status the document does not declare for the route', () => {
    expect(() => get(`/things/${ID}`, 500, { statusCode: 500 })).toThrow(
      /answered 500, which the OpenAPI document does not declare \(it declares 200, 404\)/,
    );
  });

  it('refuses a JSON body where the document declares none', () => {
    expect(() => check.check('POST', 'http://127.0.0.1:1/things', { status: 201, headers: JSON_HEADERS, body: {} })).toThrow(/declares none/);
  });

  it('prefers a literal path segment over a parameter', () => {
    expect(() => get('/things/special', 200, 'text')).not.toThrow();
  });

  it('tells which routes its document has, by method and path', () => {
    expect(check.documents('GET', `http://127.0.0.1:1/things/${ID}`)).toBe(true);
    expect(check.documents('post', 'http://127.0.0.1:1/things')).toBe(true);
    expect(check.documents('DELETE', `http://127.0.0.1:1/things/${ID}`)).toBe(false);
    expect(check.documents('GET', 'http://127.0.0.1:1/nowhere')).toBe(false);
  });

  it('leaves undocumented routes and bodies that are not JSON alone', () => {
    expect(() => get('/nowhere', 500, { anything: true })).not.toThrow();
    expect(() => check.check('DELETE', `http://127.0.0.1:1/things/${ID}`, { status: 405, headers: JSON_HEADERS, body: {} })).not.toThrow();
    expect(() => get(`/things/${ID}`, 200, '<html>', new Headers({ 'content-type': 'text/html' }))).not.toThrow();
  });
});
