import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createPostgresPool } from '../../libs/platform/src/database/postgres-pool';
import { baseEnv, startApp, StartedApp } from './app-process';
import type { InProcessBrokering } from './in-process-brokering';
import { OpenApiResponseCheck } from './openapi-response-check';
import { createTestDatabases, DatabaseServers, TestDatabases } from './test-databases';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const ADMIN_HEADERS = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A valid shipping address for orders whose address does not matter to the test. */
export const ADDRESS = { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US', latitude: 40.75, longitude: -73.99 };

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
  requestId: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  price: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

export interface Facility {
  id: string;
  code: string;
  name: string;
  type: 'WAREHOUSE' | 'STORE';
  latitude: number;
  longitude: number;
  canShip: boolean;
  canPickup: boolean;
  allowBrokering: boolean;
  maximumOrdersPerDay: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryRow {
  facilityId: string;
  productId: string;
  quantityOnHand: number;
  quantityReserved: number;
  availableToPromise: number;
  minimumStock?: number;
  brokerable?: number;
  updatedAt?: string;
}

export interface LedgerEntry {
  id: string | number;
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  actor: string;
  orderId: string | null;
  createdAt: string;
}

export interface Availability {
  productId: string;
  availableToPromise: number;
  facilities: { facilityId: string; quantityOnHand: number; quantityReserved: number; availableToPromise: number }[];
}

export interface OrderItem {
  id: string;
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  status: string;
  facilityId: string | null;
  queue: string | null;
  autoCancelAt: string | null;
}

export interface Order {
  id: string;
  externalId: string | null;
  salesChannel: string;
  status: string;
  customer: { email: string; name?: string | null };
  shippingAddress: Record<string, unknown>;
  shippingMethod: string;
  pickupFacilityId: string | null;
  priority: number;
  promiseDate: string | null;
  tags: string[];
  items: OrderItem[];
  total: string;
  createdAt: string;
  updatedAt: string;
}

export interface Fulfillment {
  orderId: string;
  facilityId: string;
  shippedItemIds: string[];
  order: Order;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiKeyRestrictions {
  salesChannel?: string;
  permissions?: string[] | null;
  channels?: string[] | null;
  facilities?: string[] | null;
}

export interface ApiKey extends ApiKeyRestrictions {
  id: string;
  name: string;
  key: string;
}

/**
 * A request body: an object/array is sent as JSON; a string is sent as is (with a JSON content type
 * unless the headers say otherwise), e.g. malformed JSON; undefined sends no body at all.
 */
export type RequestBody = unknown;
/** Headers to add; a header set to undefined removes the default one (e.g. `{ authorization: undefined }`). */
export type RequestHeaders = Record<string, string | undefined>;

export type ApiCall = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: RequestBody,
  headers?: RequestHeaders,
) => Promise<ApiResponse<T>>;

const REQUEST_TIMEOUT_MS = 20_000;

/** One HTTP request with JSON in and (when it parses) JSON out; the body is the raw text otherwise. */
export async function httpRequest<T = Record<string, unknown>>(
  url: string,
  method: string,
  body?: RequestBody,
  headers: RequestHeaders = {},
): Promise<ApiResponse<T>> {
  const merged: Record<string, string | undefined> = {};
  if (body !== undefined) merged['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(headers)) merged[name.toLowerCase()] = value;
  const sent = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, { method, headers: sent, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * The public and the internal OpenAPI documents of the built sync-api, loaded by a suite's first
 * startApi(). The fixture's clients check every response against the first that documents its route
 * (health, in both, against the public one); plain httpRequest() does not, for requests that break
 * the contract on purpose.
 */
/**
 * The documents the apps serve, as committed (test/e2e/openapi.e2e-spec.ts holds them equal to what
 * the app serves): read from disk, so that no app builds its documents only for the check.
 */
const COMMITTED_DOCUMENTS = ['docs/openapi.json', 'docs/openapi-internal.json'].map((file) => join(__dirname, '..', '..', file));
let documented: OpenApiResponseCheck[] | undefined;

/** httpRequest, failing when the response is not what the OpenAPI documents declare (once they are loaded). */
export async function documentedRequest<T = Record<string, unknown>>(
  url: string,
  method: string,
  body?: RequestBody,
  headers: RequestHeaders = {},
): Promise<ApiResponse<T>> {
  const response = await httpRequest<T>(url, method, body, headers);
  documented?.find((document) => document.documents(method, url))?.check(method, url, response);
  return response;
}

/** A client of the public API of one instance: paths are relative to /api/v1, with the API key sent. */
export function apiClient(baseUrl: string, key: string): ApiCall {
  return (method, path, body, headers = {}) =>
    documentedRequest(`${baseUrl}/api/v1${path}`, method, body, { authorization: `Bearer ${key}`, ...headers });
}

export async function createApiKey(internalUrl: string, name: string, restrictions: ApiKeyRestrictions = {}): Promise<ApiKey> {
  const response = await documentedRequest<ApiKey>(`${internalUrl}/internal/api-keys`, 'POST', { name, ...restrictions }, ADMIN_HEADERS);
  if (response.status !== 201 || typeof response.body?.key !== 'string') {
    throw new Error(`POST /internal/api-keys answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** DELETE /internal/api-keys/:id on an instance's internal port (checked against the OpenAPI document). */
export function revokeApiKey(internalUrl: string, id: string): Promise<ApiResponse> {
  return documentedRequest(`${internalUrl}/internal/api-keys/${id}`, 'DELETE', undefined, ADMIN_HEADERS);
}

/** A unique suffix for SKUs, codes and external ids. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export interface ApiFixture {
  app: StartedApp;
  databases: TestDatabases;
  url: string;
  internalUrl: string;
  key: ApiKey;
  /** Public API as the fixture's own API key; `path` is relative to /api/v1. */
  api: ApiCall;
  /** Any path on the public port (e.g. /docs, /health/live), no API key sent unless given. */
  request: <T = Record<string, unknown>>(method: string, path: string, body?: RequestBody, headers?: RequestHeaders) => Promise<ApiResponse<T>>;
  createApiKey(name?: string, restrictions?: ApiKeyRestrictions): Promise<ApiKey>;
  /** Another sync-api on the same databases (and Redis). Stopped by stop(). */
  startInstance(envOverrides?: Record<string, string>): Promise<StartedApp>;
  /** An async-worker on the same databases, Redis and queue prefix. Stopped by stop(). */
  startWorker(envOverrides?: Record<string, string>): Promise<StartedApp>;
  createProduct(overrides?: Record<string, unknown>): Promise<Product>;
  createFacility(overrides?: Record<string, unknown>): Promise<Facility>;
  setStock(facilityId: string, productId: string, quantity: number): Promise<InventoryRow>;
  /**
   * Brokers these orders now with the real BrokeringService (in the test process, on the fixture's
   * databases and Redis; no worker runs, so other orders stay as created). Where each item goes is
   * brokering's choice: set up stock so that the facility a test expects is the nearest that can
   * ship. As in the worker, the cached availability it changes is invalidated without waiting for
   * every instance to drop its in-process copy.
   */
  brokerOrders(...orderIds: string[]): Promise<void>;
  /** Runs SQL on the test's primary database. */
  sql<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

function expectStatus(response: ApiResponse<unknown>, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what} answered ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`);
}

/**
 * Fresh migrated databases, one sync-api on them (replica configured), and an API key for it.
 * `stop()` stops every instance it started and drops the databases. The databases live on the
 * shared test pair unless `servers` names another (a drill's own PgCluster).
 */
export async function startApi(prefix: string, envOverrides: Record<string, string> = {}, servers?: DatabaseServers): Promise<ApiFixture> {
  const databases = await createTestDatabases(prefix, servers);
  const env = baseEnv({
    DATABASE_URL: databases.databaseUrl,
    WAREHOUSE_URL: databases.warehouseUrl,
    DATABASE_REPLICA_URLS: databases.replicaUrl,
    QUEUE_PREFIX: `test_${new URL(databases.databaseUrl).pathname.slice(1)}`,
    ...envOverrides,
  });
  const instances: StartedApp[] = [];
  // Loaded on first use: it brings the whole data layer and Nest into the test process, which most suites never need.
  let brokering: InProcessBrokering | undefined;
  let app: StartedApp;
  try {
    app = await startApp('sync-api', env);
  } catch (error) {
    await databases.drop();
    throw error;
  }
  instances.push(app);

  // Connections kept open for the tests' own SQL: suites like the fuzz test check the database around every request.
  const sqlPool = createPostgresPool({ connectionString: databases.databaseUrl, max: 2 });
  const stop = async () => {
    await sqlPool.end();
    await brokering?.close();
    await Promise.all(instances.map((instance) => instance.stop()));
    await databases.drop();
  };

  try {
    const internalUrl = app.internalUrl!;
    documented ??= COMMITTED_DOCUMENTS.map((file) => OpenApiResponseCheck.fromFile(file));
    const key = await createApiKey(internalUrl, `${prefix}-tests`);
    const api = apiClient(app.url, key.key);

    const sql: ApiFixture['sql'] = async (text, values = []) => (await sqlPool.query(text, values)).rows;

    return {
      app,
      databases,
      url: app.url,
      internalUrl,
      key,
      api,
      request: (method, path, body, headers) => documentedRequest(`${app.url}${path}`, method, body, headers),
      createApiKey: (name = `${prefix}-${uniqueSuffix()}`, restrictions = {}) => createApiKey(internalUrl, name, restrictions),
      startInstance: async (overrides = {}) => {
        const instance = await startApp('sync-api', { ...env, ...overrides });
        instances.push(instance);
        return instance;
      },
      startWorker: async (overrides = {}) => {
        const worker = await startApp('async-worker', { ...env, ...overrides });
        instances.push(worker);
        return worker;
      },
      createProduct: async (overrides = {}) => {
        const response = await api<Product>('POST', '/products', { sku: `SKU-${uniqueSuffix()}`, name: 'Test product', price: '9.50', ...overrides });
        expectStatus(response, 201, 'POST /products');
        return response.body;
      },
      createFacility: async (overrides = {}) => {
        const response = await api<Facility>('POST', '/facilities', {
          code: `FAC-${uniqueSuffix()}`,
          name: 'Test facility',
          type: 'WAREHOUSE',
          latitude: 40.7128,
          longitude: -74.006,
          ...overrides,
        });
        expectStatus(response, 201, 'POST /facilities');
        return response.body;
      },
      setStock: async (facilityId, productId, quantity) => {
        const response = await api<InventoryRow>('PUT', `/inventory/${facilityId}/${productId}`, { quantityOnHand: quantity, reason: 'test stock' });
        expectStatus(response, 200, 'PUT /inventory');
        return response.body;
      },
      brokerOrders: (...orderIds) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
        const loaded = (brokering ??= new (require('./in-process-brokering') as typeof import('./in-process-brokering')).InProcessBrokering(env));
        return loaded.brokerOrders(orderIds);
      },
      sql,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Checks the documented error body: {statusCode, error, message, details?, requestId}, nothing else
 * but the `id` of the conflicting resource that a 409 may name (docs/api.md: a second ETL run's 409).
 */
export function expectErrorBody(response: ApiResponse<unknown>, status: number): ErrorBody {
  expect(response.status).toBe(status);
  const body = response.body as ErrorBody;
  expect(body).toEqual(
    expect.objectContaining({
      statusCode: status,
      error: expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    }),
  );
  const allowed = ['statusCode', 'error', 'message', 'details', 'detailsTotal', 'requestId', ...(status === 409 ? ['id'] : [])];
  for (const key of Object.keys(body)) expect(allowed).toContain(key);
  if (body.details !== undefined) expect(Array.isArray(body.details)).toBe(true);
  return body;
}

/** A 400 whose details name `field` (dotted path, [i] for array elements). */
export function expectValidationError(response: ApiResponse<unknown>, field?: string): ErrorBody {
  const body = expectErrorBody(response, 400);
  if (field !== undefined) {
    expect(body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
  }
  return body;
}

/** Follows nextCursor from the first page to the last. */
export async function listAll<T>(api: ApiCall, path: string, limit = 200, maxPages = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response: ApiResponse<Page<T>> = await api<Page<T>>('GET', url);
    expectStatus(response, 200, `GET ${url}`);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path}: more than ${maxPages} pages`);
}
