import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseShopifyBody, shopifyOrderId, ShopifyImportRefusal, toOrderInput } from './shopify-order';
import { shopifySignature, shopifySignatureMatches } from './shopify-signature';

const FIXTURES = join(__dirname, '../../../../../test/fixtures/shopify');
const raw = readFileSync(join(FIXTURES, 'orders-create.json'));

/** The fixture's parsed order, as far as the tests change it. */
interface FixtureOrder extends Record<string, unknown> {
  line_items: Record<string, unknown>[];
  shipping_address: Record<string, unknown>;
}

/** The fixture order with `change` applied to its parsed copy (ids kept exact). */
function orderWith(change: (order: FixtureOrder) => void): Record<string, unknown> {
  const order = parseShopifyBody(raw) as FixtureOrder;
  change(order);
  return order;
}

function refusalOf(order: Record<string, unknown>): string {
  try {
    toOrderInput(order, '1');
  } catch (error) {
    if (error instanceof ShopifyImportRefusal) return error.message;
    throw error;
  }
  throw new Error('the order was not refused');
}

describe("Shopify's order JSON to an OMS order", () => {
  it('keeps the 18-digit order id exact, which a JS number would round', () => {
    expect(Number('820982911946154508')).not.toBe(820982911946154508n.toString());
    expect(shopifyOrderId(parseShopifyBody(raw))).toBe('820982911946154508');
  });

  it('takes the id from admin_graphql_api_id when there is no id', () => {
    expect(shopifyOrderId({ admin_graphql_api_id: 'gid://shopify/Order/9007199254740993' })).toBe('9007199254740993');
    expect(shopifyOrderId({ id: 12.5, admin_graphql_api_id: 'gid://shopify/Customer/1' })).toBeUndefined();
  });

  it('maps the sample order: email, customer name, address without coordinates, currency, lines by SKU after discounts', () => {
    const order = parseShopifyBody(raw);
    expect(toOrderInput(order, shopifyOrderId(order)!)).toEqual({
      externalId: '820982911946154508',
      currency: 'USD',
      customer: { email: 'jon@example.com', name: 'John Smith' },
      shippingAddress: { line1: '123 Shipping Street', city: 'Shippington', region: 'KY', postalCode: '40003', country: 'US' },
      items: [
        // 3 x 19.99 less 1.00 is 58.97: two units at 19.66 and one at 19.65.
        { sku: 'SHOPIFY-TEE-BLK-M', quantity: 2, unitPrice: '19.66' },
        { sku: 'SHOPIFY-TEE-BLK-M', quantity: 1, unitPrice: '19.65' },
        { sku: 'SHOPIFY-MUG', quantity: 1, unitPrice: '12.50' },
        // A second line of the same SKU stays an item of its own.
        { sku: 'SHOPIFY-TEE-BLK-M', quantity: 1, unitPrice: '19.99' },
      ],
    });
  });

  it('keeps coordinates when Shopify geocoded the address, the shipping name when there is no customer, and address2', () => {
    const input = toOrderInput(
      orderWith((order) => {
        Object.assign(order.shipping_address, { latitude: 45.41634, longitude: -75.6868, address2: 'Suite 4' });
        delete order.customer;
      }),
      '1',
    );
    expect(input.shippingAddress).toEqual(expect.objectContaining({ latitude: 45.41634, longitude: -75.6868, line2: 'Suite 4' }));
    expect(input.customer).toEqual({ email: 'jon@example.com', name: 'Steve Shipper' });
  });

  it('totals exactly what Shopify charges for the lines after discounts (subtotal_price)', () => {
    const { items } = toOrderInput(parseShopifyBody(raw), '1');
    const cents = items.reduce((sum, item) => sum + Math.round(Number(item.unitPrice) * 100) * item.quantity, 0);
    expect((cents / 100).toFixed(2)).toBe('91.46');
  });

  it.each<[string, (order: FixtureOrder) => void, string]>([
    ['no lines', (o) => (o.line_items = []), 'the order has no line_items'],
    ['a line without SKU', (o) => (o.line_items[1].sku = null), 'line_items[1] (Mug) has no SKU'],
    ['no shipping address', (o) => Object.assign(o, { shipping_address: null }), 'the order has no shipping_address'],
    ['no zip', (o) => (o.shipping_address.zip = ''), 'shipping_address.zip is missing'],
    ['a bad country', (o) => (o.shipping_address.country_code = 'usa'), 'shipping_address.country_code usa is not an ISO 3166 code'],
    ['no email', (o) => Object.assign(o, { email: null, contact_email: null, customer: null }), 'the order has no email'],
    ['a bad price', (o) => (o.line_items[0].price = '19.999'), 'line_items[0].price is not a decimal amount with at most 2 decimals'],
    ['a zero quantity', (o) => (o.line_items[0].quantity = 0), 'line_items[0] (SKU SHOPIFY-TEE-BLK-M) has no quantity between 1 and 100000'],
    ['no currency', (o) => delete o.currency, 'currency is missing or not an ISO 4217 code'],
  ])('refuses an order with %s, saying why', (_case, change, message) => {
    expect(refusalOf(orderWith(change))).toBe(message);
  });

  it.each([
    ['not JSON', '{"id": 1,', 'the body is not valid JSON'],
    ['not an object', '[1, 2]', 'the body is not a JSON object'],
    ['a NUL character', '{"id": 1, "email": "a\\u0000b"}', 'the body holds a NUL character (\\u0000)'],
  ])('refuses a body that is %s', (_case, body, message) => {
    expect(() => parseShopifyBody(Buffer.from(body))).toThrow(new ShopifyImportRefusal(message));
  });
});

describe('Shopify webhook signatures', () => {
  const secret = 'shpss_0123456789abcdef';

  it('verifies the base64 HMAC-SHA256 of the raw bytes', () => {
    expect(shopifySignatureMatches(raw, shopifySignature(raw, secret), secret)).toBe(true);
  });

  it('refuses another secret, a missing or malformed header, and the same JSON serialised again', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(shopifySignatureMatches(raw, shopifySignature(raw, 'other'), secret)).toBe(false);
    expect(shopifySignatureMatches(raw, undefined, secret)).toBe(false);
    expect(shopifySignatureMatches(raw, 'not base64!', secret)).toBe(false);
    expect(shopifySignatureMatches(raw, shopifySignature(raw, secret).slice(0, -2), secret)).toBe(false);
    expect(shopifySignatureMatches(raw, shopifySignature(reserialised, secret), secret)).toBe(false);
  });
});
