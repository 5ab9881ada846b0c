import {
  ADDRESS,
  ADMIN_HEADERS,
  ApiFixture,
  expectErrorBody,
  expectValidationError,
  Facility,
  httpRequest,
  InventoryRow,
  listAll,
  Order,
  Product,
  RequestHeaders,
  startApi,
  uniqueSuffix,
} from '../support/api-fixture';

/** What the cases need: rows that exist, so that only the input is wrong. */
interface Ctx {
  product: Product;
  facility: Facility;
  order: Order;
  cancelOrder: Order;
}

interface Endpoint {
  method: 'POST' | 'PUT' | 'PATCH';
  route: string;
  internal?: boolean;
  path(c: Ctx): string;
  /** A body that would be accepted (the bad cases are variations of it); undefined when none is needed. */
  valid(c: Ctx): Record<string, unknown>;
  bodyRequired: boolean;
}

type Expected = 400 | 413 | '4xx';

interface Case {
  endpoint: Endpoint;
  name: string;
  /** An object/array is sent as JSON, a string as is, undefined as no body. */
  body(c: Ctx): unknown;
  headers?: RequestHeaders;
  path?(c: Ctx): string;
  expected: Expected;
  field?: string;
}

const LONG = 'x'.repeat(10_000);
/** PostgreSQL text and jsonb cannot store U+0000 (22021 / 22P05): it must be refused before it gets there. */
const NUL = 'bad\u0000text';
const INT_OVERFLOW = 2 ** 31;

const endpoints = {
  createProduct: {
    method: 'POST',
    route: '/api/v1/products',
    path: () => '/api/v1/products',
    valid: () => ({ sku: `BAD-${uniqueSuffix()}`, name: 'Should not exist', price: '1.00' }),
    bodyRequired: true,
  },
  patchProduct: {
    method: 'PATCH',
    route: '/api/v1/products/:id',
    path: (c) => `/api/v1/products/${c.product.id}`,
    valid: () => ({ name: 'Changed by a bad request' }),
    bodyRequired: true,
  },
  createFacility: {
    method: 'POST',
    route: '/api/v1/facilities',
    path: () => '/api/v1/facilities',
    valid: () => ({ code: `BAD-${uniqueSuffix()}`, name: 'Should not exist', type: 'STORE', latitude: 1, longitude: 2 }),
    bodyRequired: true,
  },
  patchFacility: {
    method: 'PATCH',
    route: '/api/v1/facilities/:id',
    path: (c) => `/api/v1/facilities/${c.facility.id}`,
    valid: () => ({ name: 'Changed by a bad request' }),
    bodyRequired: true,
  },
  putInventory: {
    method: 'PUT',
    route: '/api/v1/inventory/:facilityId/:productId',
    path: (c) => `/api/v1/inventory/${c.facility.id}/${c.product.id}`,
    valid: () => ({ quantityOnHand: 11, reason: 'bad input test' }),
    bodyRequired: true,
  },
  adjustment: {
    method: 'POST',
    route: '/api/v1/inventory/adjustments',
    path: () => '/api/v1/inventory/adjustments',
    valid: (c) => ({ facilityId: c.facility.id, productId: c.product.id, delta: 1, reason: 'bad input test' }),
    bodyRequired: true,
  },
  createOrder: {
    method: 'POST',
    route: '/api/v1/orders',
    path: () => '/api/v1/orders',
    valid: (c) => ({
      customer: { email: 'bad@example.com', name: 'Bad' },
      shippingAddress: ADDRESS,
      items: [{ productId: c.product.id, quantity: 1 }],
    }),
    bodyRequired: true,
  },
  cancel: {
    method: 'POST',
    route: '/api/v1/orders/:id/cancel',
    path: (c) => `/api/v1/orders/${c.cancelOrder.id}/cancel`,
    valid: () => ({}),
    bodyRequired: false,
  },
  fulfil: {
    method: 'POST',
    route: '/api/v1/orders/:id/fulfillments',
    path: (c) => `/api/v1/orders/${c.order.id}/fulfillments`,
    valid: (c) => ({ facilityId: c.facility.id }),
    bodyRequired: true,
  },
  apiKeys: {
    method: 'POST',
    route: '/internal/api-keys',
    internal: true,
    path: () => '/internal/api-keys',
    valid: () => ({ name: 'bad input key' }),
    bodyRequired: true,
  },
} satisfies Record<string, Endpoint>;

const all: Endpoint[] = Object.values(endpoints);
const withBody = all.filter((e) => e.bodyRequired);

/** The valid body with some fields replaced (a value of undefined removes the field). */
const variant = (endpoint: Endpoint, patch: Record<string, unknown>) => (c: Ctx) => {
  const body: Record<string, unknown> = { ...endpoint.valid(c), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete body[key];
  return body;
};

const orderVariant = (mutate: (body: Record<string, unknown>, c: Ctx) => void) => (c: Ctx) => {
  const body = structuredClone(endpoints.createOrder.valid(c)) as Record<string, unknown>;
  mutate(body, c);
  return body;
};
const firstItem = (body: Record<string, unknown>) => (body.items as Record<string, unknown>[])[0];

const generic: Case[] = [
  ...all.map((endpoint): Case => ({ endpoint, name: 'malformed JSON', body: () => '{"a": 1,', expected: 400 })),
  ...all.map((endpoint): Case => ({ endpoint, name: 'an array instead of an object', body: (c) => [endpoint.valid(c)], expected: 400 })),
  ...all.map((endpoint): Case => ({ endpoint, name: 'an unknown property', body: variant(endpoint, { unexpectedField: 'x' }), expected: 400 })),
  ...all.map((endpoint): Case => ({
    endpoint,
    name: 'a body over 1 MB',
    body: (c) => JSON.stringify({ ...endpoint.valid(c), padding: 'x'.repeat(1_100_000) }),
    expected: 413,
  })),
  ...withBody.map((endpoint): Case => ({ endpoint, name: 'a JSON number as the body', body: () => '42', expected: 400 })),
  ...withBody.map((endpoint): Case => ({ endpoint, name: 'a JSON string as the body', body: () => '"hello"', expected: 400 })),
  ...withBody.map((endpoint): Case => ({ endpoint, name: 'JSON null as the body', body: () => 'null', expected: 400 })),
  ...withBody.map((endpoint): Case => ({ endpoint, name: 'an empty body with a JSON content type', body: () => '', expected: 400 })),
  ...withBody.map((endpoint): Case => ({ endpoint, name: 'no body at all', body: () => undefined, expected: 400 })),
  ...withBody.map((endpoint): Case => ({
    endpoint,
    name: 'a text/plain body',
    body: (c) => JSON.stringify(endpoint.valid(c)),
    headers: { 'content-type': 'text/plain' },
    expected: '4xx',
  })),
];

const e = endpoints;
const specific: Case[] = [
  // products
  { endpoint: e.createProduct, name: 'a missing sku', body: variant(e.createProduct, { sku: undefined }), expected: 400, field: 'sku' },
  { endpoint: e.createProduct, name: 'a numeric sku', body: variant(e.createProduct, { sku: 123 }), expected: 400, field: 'sku' },
  { endpoint: e.createProduct, name: 'a null sku', body: variant(e.createProduct, { sku: null }), expected: 400, field: 'sku' },
  { endpoint: e.createProduct, name: 'an empty sku', body: variant(e.createProduct, { sku: '' }), expected: 400, field: 'sku' },
  { endpoint: e.createProduct, name: 'a 10,000-character sku', body: variant(e.createProduct, { sku: LONG }), expected: 400, field: 'sku' },
  { endpoint: e.createProduct, name: 'a 10,000-character name', body: variant(e.createProduct, { name: LONG }), expected: 400, field: 'name' },
  { endpoint: e.createProduct, name: 'an array name', body: variant(e.createProduct, { name: ['a'] }), expected: 400, field: 'name' },
  { endpoint: e.createProduct, name: 'a missing name', body: variant(e.createProduct, { name: undefined }), expected: 400, field: 'name' },
  { endpoint: e.createProduct, name: 'a missing price', body: variant(e.createProduct, { price: undefined }), expected: 400, field: 'price' },
  { endpoint: e.createProduct, name: 'a boolean price', body: variant(e.createProduct, { price: true }), expected: 400, field: 'price' },
  { endpoint: e.createProduct, name: 'an object price', body: variant(e.createProduct, { price: {} }), expected: 400, field: 'price' },
  { endpoint: e.createProduct, name: 'a null price', body: variant(e.createProduct, { price: null }), expected: 400, field: 'price' },
  { endpoint: e.createProduct, name: 'a negative price', body: variant(e.createProduct, { price: -5 }), expected: 400, field: 'price' },
  { endpoint: e.createProduct, name: 'a huge price (1e20)', body: variant(e.createProduct, { price: 1e20 }), expected: 400, field: 'price' },
  {
    endpoint: e.createProduct,
    name: 'a huge price string',
    body: variant(e.createProduct, { price: '99999999999999999999.99' }),
    expected: 400,
    field: 'price',
  },
  {
    endpoint: e.createProduct,
    name: 'a price of 1e400 (Infinity)',
    body: () => `{"sku":"BAD-${uniqueSuffix()}","name":"x","price":1e400}`,
    expected: 400,
  },
  {
    endpoint: e.createProduct,
    name: 'a currency that is not 3 letters',
    body: variant(e.createProduct, { currency: 'DOLLARS' }),
    expected: 400,
    field: 'currency',
  },
  { endpoint: e.createProduct, name: 'a numeric currency', body: variant(e.createProduct, { currency: 840 }), expected: 400, field: 'currency' },
  {
    endpoint: e.patchProduct,
    name: 'a non-uuid id in the path',
    path: () => '/api/v1/products/not-a-uuid',
    body: variant(e.patchProduct, {}),
    expected: 400,
  },
  { endpoint: e.patchProduct, name: 'a null name', body: variant(e.patchProduct, { name: null }), expected: 400, field: 'name' },
  { endpoint: e.patchProduct, name: 'an empty name', body: variant(e.patchProduct, { name: '' }), expected: 400, field: 'name' },
  { endpoint: e.patchProduct, name: 'a 10,000-character name', body: variant(e.patchProduct, { name: LONG }), expected: 400, field: 'name' },
  { endpoint: e.patchProduct, name: 'a negative price', body: variant(e.patchProduct, { price: -1 }), expected: 400, field: 'price' },
  { endpoint: e.patchProduct, name: 'a text price', body: variant(e.patchProduct, { price: 'free' }), expected: 400, field: 'price' },
  { endpoint: e.patchProduct, name: 'a sku (not updatable)', body: variant(e.patchProduct, { sku: 'NEW' }), expected: 400 },
  // facilities
  { endpoint: e.createFacility, name: 'a missing code', body: variant(e.createFacility, { code: undefined }), expected: 400, field: 'code' },
  { endpoint: e.createFacility, name: 'an object code', body: variant(e.createFacility, { code: {} }), expected: 400, field: 'code' },
  { endpoint: e.createFacility, name: 'a 10,000-character code', body: variant(e.createFacility, { code: LONG }), expected: 400, field: 'code' },
  { endpoint: e.createFacility, name: 'a null name', body: variant(e.createFacility, { name: null }), expected: 400, field: 'name' },
  { endpoint: e.createFacility, name: 'an unknown type', body: variant(e.createFacility, { type: 'DEPOT' }), expected: 400, field: 'type' },
  { endpoint: e.createFacility, name: 'a null type', body: variant(e.createFacility, { type: null }), expected: 400, field: 'type' },
  { endpoint: e.createFacility, name: 'a text latitude', body: variant(e.createFacility, { latitude: 'north' }), expected: 400, field: 'latitude' },
  {
    endpoint: e.createFacility,
    name: 'a huge latitude (1e308)',
    body: variant(e.createFacility, { latitude: 1e308 }),
    expected: 400,
    field: 'latitude',
  },
  {
    endpoint: e.createFacility,
    name: 'a missing longitude',
    body: variant(e.createFacility, { longitude: undefined }),
    expected: 400,
    field: 'longitude',
  },
  { endpoint: e.createFacility, name: 'longitude -181', body: variant(e.createFacility, { longitude: -181 }), expected: 400, field: 'longitude' },
  { endpoint: e.createFacility, name: 'a text canShip', body: variant(e.createFacility, { canShip: 'yes' }), expected: 400, field: 'canShip' },
  {
    endpoint: e.patchFacility,
    name: 'a non-uuid id in the path',
    path: () => '/api/v1/facilities/12',
    body: variant(e.patchFacility, {}),
    expected: 400,
  },
  { endpoint: e.patchFacility, name: 'latitude 95', body: variant(e.patchFacility, { latitude: 95 }), expected: 400, field: 'latitude' },
  { endpoint: e.patchFacility, name: 'an unknown type', body: variant(e.patchFacility, { type: 'X' }), expected: 400, field: 'type' },
  { endpoint: e.patchFacility, name: 'a numeric canPickup', body: variant(e.patchFacility, { canPickup: 1 }), expected: 400, field: 'canPickup' },
  { endpoint: e.patchFacility, name: 'a null name', body: variant(e.patchFacility, { name: null }), expected: 400, field: 'name' },
  {
    endpoint: e.patchFacility,
    name: 'an id in the body',
    body: variant(e.patchFacility, { id: '00000000-0000-4000-8000-000000000000' }),
    expected: 400,
  },
  // inventory
  {
    endpoint: e.putInventory,
    name: 'a non-uuid facility id in the path',
    path: (c) => `/api/v1/inventory/WH-1/${c.product.id}`,
    body: variant(e.putInventory, {}),
    expected: 400,
  },
  {
    endpoint: e.putInventory,
    name: 'a non-uuid product id in the path',
    path: (c) => `/api/v1/inventory/${c.facility.id}/SKU-1`,
    body: variant(e.putInventory, {}),
    expected: 400,
  },
  {
    endpoint: e.putInventory,
    name: 'a negative quantityOnHand',
    body: variant(e.putInventory, { quantityOnHand: -1 }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'a fractional quantityOnHand',
    body: variant(e.putInventory, { quantityOnHand: 2.5 }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'a text quantityOnHand',
    body: variant(e.putInventory, { quantityOnHand: 'five' }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'a null quantityOnHand',
    body: variant(e.putInventory, { quantityOnHand: null }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'a missing quantityOnHand',
    body: variant(e.putInventory, { quantityOnHand: undefined }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'quantityOnHand 2^31 (integer overflow)',
    body: variant(e.putInventory, { quantityOnHand: INT_OVERFLOW }),
    expected: 400,
    field: 'quantityOnHand',
  },
  {
    endpoint: e.putInventory,
    name: 'quantityOnHand 1e20',
    body: variant(e.putInventory, { quantityOnHand: 1e20 }),
    expected: 400,
    field: 'quantityOnHand',
  },
  { endpoint: e.putInventory, name: 'a numeric reason', body: variant(e.putInventory, { reason: 123 }), expected: 400, field: 'reason' },
  { endpoint: e.adjustment, name: 'a non-uuid facilityId', body: variant(e.adjustment, { facilityId: 'WH-1' }), expected: 400, field: 'facilityId' },
  { endpoint: e.adjustment, name: 'a numeric productId', body: variant(e.adjustment, { productId: 42 }), expected: 400, field: 'productId' },
  { endpoint: e.adjustment, name: 'a missing productId', body: variant(e.adjustment, { productId: undefined }), expected: 400, field: 'productId' },
  { endpoint: e.adjustment, name: 'a zero delta', body: variant(e.adjustment, { delta: 0 }), expected: 400, field: 'delta' },
  { endpoint: e.adjustment, name: 'a text delta', body: variant(e.adjustment, { delta: 'one' }), expected: 400, field: 'delta' },
  { endpoint: e.adjustment, name: 'a null delta', body: variant(e.adjustment, { delta: null }), expected: 400, field: 'delta' },
  { endpoint: e.adjustment, name: 'a fractional delta', body: variant(e.adjustment, { delta: 0.5 }), expected: 400, field: 'delta' },
  {
    endpoint: e.adjustment,
    name: 'delta 2^31 (integer overflow)',
    body: variant(e.adjustment, { delta: INT_OVERFLOW }),
    expected: 400,
    field: 'delta',
  },
  {
    endpoint: e.adjustment,
    name: 'delta -2^31-1 (integer overflow)',
    body: variant(e.adjustment, { delta: -INT_OVERFLOW - 1 }),
    expected: 400,
    field: 'delta',
  },
  { endpoint: e.adjustment, name: 'a missing reason', body: variant(e.adjustment, { reason: undefined }), expected: 400, field: 'reason' },
  { endpoint: e.adjustment, name: 'a null reason', body: variant(e.adjustment, { reason: null }), expected: 400, field: 'reason' },
  { endpoint: e.adjustment, name: 'an empty reason', body: variant(e.adjustment, { reason: '' }), expected: 400, field: 'reason' },
  // orders
  { endpoint: e.createOrder, name: 'a missing customer', body: orderVariant((b) => delete b.customer), expected: 400, field: 'customer' },
  { endpoint: e.createOrder, name: 'a string customer', body: orderVariant((b) => (b.customer = 'ada')), expected: 400, field: 'customer' },
  {
    endpoint: e.createOrder,
    name: 'a missing customer.email',
    body: orderVariant((b) => (b.customer = { name: 'x' })),
    expected: 400,
    field: 'customer.email',
  },
  {
    endpoint: e.createOrder,
    name: 'an invalid customer.email',
    body: orderVariant((b) => (b.customer = { email: 'not-an-email' })),
    expected: 400,
    field: 'customer.email',
  },
  {
    endpoint: e.createOrder,
    name: 'a 10,000-character customer.email',
    body: orderVariant((b) => (b.customer = { email: `${LONG}@example.com` })),
    expected: 400,
    field: 'customer.email',
  },
  {
    endpoint: e.createOrder,
    name: 'an unknown property in customer',
    body: orderVariant((b) => (b.customer = { email: 'a@example.com', vip: true })),
    expected: 400,
  },
  {
    endpoint: e.createOrder,
    name: 'a missing shippingAddress',
    body: orderVariant((b) => delete b.shippingAddress),
    expected: 400,
    field: 'shippingAddress',
  },
  {
    endpoint: e.createOrder,
    name: 'an array shippingAddress',
    body: orderVariant((b) => (b.shippingAddress = [ADDRESS])),
    expected: 400,
    field: 'shippingAddress',
  },
  {
    endpoint: e.createOrder,
    name: 'a null shippingAddress.city',
    body: orderVariant((b) => (b.shippingAddress = { ...ADDRESS, city: null })),
    expected: 400,
    field: 'shippingAddress.city',
  },
  {
    endpoint: e.createOrder,
    name: 'a text shippingAddress.latitude',
    body: orderVariant((b) => (b.shippingAddress = { ...ADDRESS, latitude: 'north' })),
    expected: 400,
    field: 'shippingAddress.latitude',
  },
  {
    endpoint: e.createOrder,
    name: 'shippingAddress.latitude 100',
    body: orderVariant((b) => (b.shippingAddress = { ...ADDRESS, latitude: 100 })),
    expected: 400,
    field: 'shippingAddress.latitude',
  },
  { endpoint: e.createOrder, name: 'a missing items', body: orderVariant((b) => delete b.items), expected: 400, field: 'items' },
  {
    endpoint: e.createOrder,
    name: 'an object instead of the items array',
    body: orderVariant((b) => (b.items = { productId: 'x', quantity: 1 })),
    expected: 400,
    field: 'items',
  },
  { endpoint: e.createOrder, name: 'an empty items array', body: orderVariant((b) => (b.items = [])), expected: 400, field: 'items' },
  { endpoint: e.createOrder, name: 'a null item', body: orderVariant((b) => (b.items = [null])), expected: 400, field: 'items[0]' },
  {
    endpoint: e.createOrder,
    name: 'an item with neither productId nor sku',
    body: orderVariant((b) => (b.items = [{ quantity: 1 }])),
    expected: 400,
  },
  {
    endpoint: e.createOrder,
    name: 'a text quantity',
    body: orderVariant((b) => (firstItem(b).quantity = 'two')),
    expected: 400,
    field: 'items[0].quantity',
  },
  {
    endpoint: e.createOrder,
    name: 'a fractional quantity',
    body: orderVariant((b) => (firstItem(b).quantity = 1.5)),
    expected: 400,
    field: 'items[0].quantity',
  },
  {
    endpoint: e.createOrder,
    name: 'a negative quantity',
    body: orderVariant((b) => (firstItem(b).quantity = -1)),
    expected: 400,
    field: 'items[0].quantity',
  },
  {
    endpoint: e.createOrder,
    name: 'quantity 2^31 (integer overflow)',
    body: orderVariant((b) => (firstItem(b).quantity = INT_OVERFLOW)),
    expected: 400,
    field: 'items[0].quantity',
  },
  {
    endpoint: e.createOrder,
    name: 'quantity 1e20',
    body: orderVariant((b) => (firstItem(b).quantity = 1e20)),
    expected: 400,
    field: 'items[0].quantity',
  },
  {
    endpoint: e.createOrder,
    name: 'a non-uuid productId',
    body: orderVariant((b) => (firstItem(b).productId = 'abc')),
    expected: 400,
    field: 'items[0].productId',
  },
  {
    endpoint: e.createOrder,
    name: 'a negative unitPrice',
    body: orderVariant((b) => (firstItem(b).unitPrice = '-1.00')),
    expected: 400,
    field: 'items[0].unitPrice',
  },
  {
    endpoint: e.createOrder,
    name: 'a unitPrice with 3 decimals',
    body: orderVariant((b) => (firstItem(b).unitPrice = '1.001')),
    expected: 400,
    field: 'items[0].unitPrice',
  },
  {
    endpoint: e.createOrder,
    name: 'a huge unitPrice',
    body: orderVariant((b) => (firstItem(b).unitPrice = 1e20)),
    expected: 400,
    field: 'items[0].unitPrice',
  },
  { endpoint: e.createOrder, name: 'an unknown property in an item', body: orderVariant((b) => (firstItem(b).gift = true)), expected: 400 },
  { endpoint: e.createOrder, name: 'a numeric externalId', body: orderVariant((b) => (b.externalId = 123)), expected: 400, field: 'externalId' },
  {
    endpoint: e.createOrder,
    name: 'a 10,000-character externalId',
    body: orderVariant((b) => (b.externalId = LONG)),
    expected: 400,
    field: 'externalId',
  },
  {
    endpoint: e.createOrder,
    name: 'a 300-character Idempotency-Key',
    body: orderVariant(() => undefined),
    headers: { 'idempotency-key': 'k'.repeat(300) },
    expected: 400,
  },
  { endpoint: e.cancel, name: 'a non-uuid id in the path', path: () => '/api/v1/orders/not-a-uuid/cancel', body: () => undefined, expected: 400 },
  { endpoint: e.fulfil, name: 'a non-uuid id in the path', path: () => '/api/v1/orders/42/fulfillments', body: variant(e.fulfil, {}), expected: 400 },
  { endpoint: e.fulfil, name: 'a missing facilityId', body: variant(e.fulfil, { facilityId: undefined }), expected: 400, field: 'facilityId' },
  { endpoint: e.fulfil, name: 'a non-uuid facilityId', body: variant(e.fulfil, { facilityId: 'WH-1' }), expected: 400, field: 'facilityId' },
  { endpoint: e.fulfil, name: 'a null facilityId', body: variant(e.fulfil, { facilityId: null }), expected: 400, field: 'facilityId' },
  { endpoint: e.fulfil, name: 'a numeric facilityId', body: variant(e.fulfil, { facilityId: 7 }), expected: 400, field: 'facilityId' },
  // U+0000 in a text field of every endpoint, nested ones included
  { endpoint: e.createProduct, name: 'a NUL character in name', body: variant(e.createProduct, { name: NUL }), expected: 400, field: 'name' },
  { endpoint: e.createProduct, name: 'a NUL character in sku', body: variant(e.createProduct, { sku: NUL }), expected: 400, field: 'sku' },
  { endpoint: e.patchProduct, name: 'a NUL character in name', body: variant(e.patchProduct, { name: NUL }), expected: 400, field: 'name' },
  { endpoint: e.createFacility, name: 'a NUL character in code', body: variant(e.createFacility, { code: NUL }), expected: 400, field: 'code' },
  { endpoint: e.patchFacility, name: 'a NUL character in name', body: variant(e.patchFacility, { name: NUL }), expected: 400, field: 'name' },
  { endpoint: e.putInventory, name: 'a NUL character in reason', body: variant(e.putInventory, { reason: NUL }), expected: 400, field: 'reason' },
  { endpoint: e.adjustment, name: 'a NUL character in reason', body: variant(e.adjustment, { reason: NUL }), expected: 400, field: 'reason' },
  {
    endpoint: e.createOrder,
    name: 'a NUL character in shippingAddress.line1',
    body: orderVariant((b) => (b.shippingAddress = { ...ADDRESS, line1: NUL })),
    expected: 400,
    field: 'shippingAddress.line1',
  },
  {
    endpoint: e.createOrder,
    name: 'a NUL character in shippingAddress.region',
    body: orderVariant((b) => (b.shippingAddress = { ...ADDRESS, region: NUL })),
    expected: 400,
    field: 'shippingAddress.region',
  },
  {
    endpoint: e.createOrder,
    name: 'a NUL character in customer.name',
    body: orderVariant((b) => (b.customer = { email: 'a@example.com', name: NUL })),
    expected: 400,
    field: 'customer.name',
  },
  {
    endpoint: e.createOrder,
    name: 'a NUL character in externalId',
    body: orderVariant((b) => (b.externalId = NUL)),
    expected: 400,
    field: 'externalId',
  },
  {
    endpoint: e.createOrder,
    name: 'a NUL character in an item sku',
    body: orderVariant((b) => (b.items = [{ sku: NUL, quantity: 1 }])),
    expected: 400,
    field: 'items[0].sku',
  },
  { endpoint: e.cancel, name: 'a NUL character in reason', body: variant(e.cancel, { reason: NUL }), expected: 400, field: 'reason' },
  { endpoint: e.apiKeys, name: 'a NUL character in name', body: variant(e.apiKeys, { name: NUL }), expected: 400, field: 'name' },
  {
    endpoint: e.apiKeys,
    name: 'a NUL character in salesChannel',
    body: variant(e.apiKeys, { salesChannel: NUL }),
    expected: 400,
    field: 'salesChannel',
  },
  // internal api keys
  { endpoint: e.apiKeys, name: 'a null salesChannel', body: variant(e.apiKeys, { salesChannel: null }), expected: 400, field: 'salesChannel' },
  {
    endpoint: e.apiKeys,
    name: 'a 101-character salesChannel',
    body: variant(e.apiKeys, { salesChannel: 'c'.repeat(101) }),
    expected: 400,
    field: 'salesChannel',
  },
  { endpoint: e.apiKeys, name: 'a missing name', body: variant(e.apiKeys, { name: undefined }), expected: 400, field: 'name' },
  { endpoint: e.apiKeys, name: 'an empty name', body: variant(e.apiKeys, { name: '' }), expected: 400, field: 'name' },
  { endpoint: e.apiKeys, name: 'a null name', body: variant(e.apiKeys, { name: null }), expected: 400, field: 'name' },
  { endpoint: e.apiKeys, name: 'a numeric name', body: variant(e.apiKeys, { name: 123 }), expected: 400, field: 'name' },
  { endpoint: e.apiKeys, name: 'a 10,000-character name', body: variant(e.apiKeys, { name: LONG }), expected: 400, field: 'name' },
];

const cases = [...generic, ...specific].map((c) => [`${c.endpoint.method} ${c.endpoint.route} rejects ${c.name} with ${c.expected}`, c] as const);

describe('bad input gets a clear 4xx on every write endpoint, never a 5xx, and corrupts nothing', () => {
  let f: ApiFixture;
  let ctx: Ctx;
  let products: Product[];
  let facilities: Facility[];
  let orders: Order[];

  beforeAll(async () => {
    f = await startApi('badinput');
    const product = await f.createProduct({ name: 'Original', price: '4.00' });
    const facility = await f.createFacility({ name: 'Original' });
    await f.setStock(facility.id, product.id, 10);
    const newOrder = async () => {
      const response = await f.api<Order>('POST', '/orders', endpoints.createOrder.valid({ product } as Ctx));
      if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const order = await newOrder();
    const cancelOrder = await newOrder();
    await f.brokerOrders(order.id);
    ctx = { product, facility, order, cancelOrder };
    products = await listAll<Product>(f.api, '/products');
    facilities = await listAll<Facility>(f.api, '/facilities');
    orders = await listAll<Order>(f.api, '/orders');
  });

  afterAll(async () => {
    await f?.stop();
  });

  it.each(cases)('%s', async (_title, c) => {
    const base = c.endpoint.internal ? f.internalUrl : f.url;
    const auth = c.endpoint.internal ? ADMIN_HEADERS : { authorization: `Bearer ${f.key.key}` };
    const path = (c.path ?? c.endpoint.path)(ctx);
    const response = await httpRequest(`${base}${path}`, c.endpoint.method, c.body(ctx), { ...auth, ...c.headers });
    expect(response.status).toBeLessThan(500);
    if (c.expected === '4xx') {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expectErrorBody(response, response.status);
    } else if (c.expected === 400) {
      expectValidationError(response, c.field);
    } else {
      expectErrorBody(response, c.expected);
    }
  });

  it('the process still answers /health/live and serves valid requests afterwards', async () => {
    expect(f.app.child.exitCode).toBeNull();
    const live = await f.request('GET', '/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await f.api('GET', `/products/${ctx.product.id}`)).status).toBe(200);
  });

  it('no bad request created or changed anything', async () => {
    expect(await listAll<Product>(f.api, '/products')).toEqual(products);
    expect(await listAll<Facility>(f.api, '/facilities')).toEqual(facilities);
    const ordersNow = await listAll<Order>(f.api, '/orders');
    expect(ordersNow.map((o) => [o.id, o.status])).toEqual(orders.map((o) => [o.id, o.status]));
    const inventory = await f.api<{ items: InventoryRow[] }>('GET', `/inventory?facilityId=${ctx.facility.id}&productId=${ctx.product.id}`);
    expect(inventory.body.items).toEqual([expect.objectContaining({ quantityOnHand: 10, quantityReserved: 1, availableToPromise: 9 })]);
    const order = await f.api<Order>('GET', `/orders/${ctx.order.id}`);
    expect(order.body.items.map((i) => i.status)).toEqual(['ALLOCATED']);
  });
});
