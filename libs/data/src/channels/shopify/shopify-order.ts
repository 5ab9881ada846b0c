import { isEmail } from 'class-validator';
import { fromCents, isDecimalAmount, jsonBodyLimitProblem, toCents } from '@app/platform';
import type { ShippingAddress } from '../../entities/sales-order.entity';
import type { OrderLineInput } from '../../orders/order-lines';
import type { CreateOrderInput } from '../../orders/orders.service';

/** Why a Shopify payload cannot become (or cancel) an order: answered 200 and kept as an import error with this message. */
export class ShopifyImportRefusal extends Error {}

/** Shopify's order JSON as far as the OMS reads it; every field is checked, since the shop, not the OMS, decides what is sent. */
type Json = Record<string, unknown>;

/** How JSON.parse's reviver is called on Node 22+: with the source text of a primitive. */
type ReviverContext = { source?: string };

const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d{1,20})$/;
const ORDER_ID = /^\d{1,20}$/;
/** What an order line may hold, as for POST /orders. */
const LIMITS = { lines: 500, quantity: 100_000, sku: 64 } as const;

/**
 * Parses the raw body, keeping every `id` as the exact decimal text Shopify sent: its ids exceed
 * 2^53, and a JS number would round 820982911946154508 to 820982911946154500.
 */
export function parseShopifyBody(raw: Buffer): Json {
  const body = raw.toString('utf8');
  // PostgreSQL cannot store U+0000 in text; JSON can only spell it escaped.
  if (body.includes('\\u0000')) throw new ShopifyImportRefusal('the body holds a NUL character (\\u0000)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body, function (this: unknown, key: string, value: unknown, context?: ReviverContext) {
      return key === 'id' && typeof value === 'number' && context?.source !== undefined ? context.source : value;
    } as (key: string, value: unknown) => unknown);
  } catch {
    throw new ShopifyImportRefusal('the body is not valid JSON');
  }
  if (!isObject(parsed)) throw new ShopifyImportRefusal('the body is not a JSON object');
  const tooComplex = jsonBodyLimitProblem(parsed);
  if (tooComplex !== undefined) throw new ShopifyImportRefusal(`the body is too complex: it ${tooComplex.message}`);
  return parsed;
}

/** The order's id as a decimal string: `id` (exact, see parseShopifyBody), else the id in `admin_graphql_api_id`. */
export function shopifyOrderId(order: Json): string | undefined {
  if (typeof order.id === 'string' && ORDER_ID.test(order.id)) return order.id;
  const gid = typeof order.admin_graphql_api_id === 'string' ? ORDER_GID.exec(order.admin_graphql_api_id) : null;
  return gid?.[1];
}

/** The OMS order for a Shopify order (orders/create), or a ShopifyImportRefusal saying what is missing or wrong. */
export function toOrderInput(order: Json, externalId: string): CreateOrderInput {
  const currency = order.currency;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new ShopifyImportRefusal('currency is missing or not an ISO 4217 code');
  return {
    externalId,
    currency,
    customer: { email: emailOf(order), ...optional('name', customerName(order)) },
    shippingAddress: shippingAddressOf(order.shipping_address),
    items: linesOf(order.line_items),
  };
}

function emailOf(order: Json): string {
  const customer = isObject(order.customer) ? order.customer : {};
  const email = [order.email, order.contact_email, customer.email].find((value) => typeof value === 'string' && value !== '');
  if (typeof email !== 'string') throw new ShopifyImportRefusal('the order has no email');
  if (email.length > 320 || !isEmail(email)) throw new ShopifyImportRefusal(`email ${clip(email)} is not an email address`);
  return email;
}

/** The customer's first and last name, else the name on the shipping address. */
function customerName(order: Json): string | undefined {
  const customer = isObject(order.customer) ? order.customer : {};
  const address = isObject(order.shipping_address) ? order.shipping_address : {};
  const fromCustomer = [text(customer.first_name), text(customer.last_name)].filter((part) => part !== undefined).join(' ');
  const name = fromCustomer === '' ? text(address.name) : fromCustomer;
  return name?.slice(0, 200);
}

function shippingAddressOf(value: unknown): ShippingAddress {
  if (!isObject(value)) throw new ShopifyImportRefusal('the order has no shipping_address');
  const required = (field: string, max: number): string => {
    const found = text(value[field]);
    if (found === undefined) throw new ShopifyImportRefusal(`shipping_address.${field} is missing`);
    if (found.length > max) throw new ShopifyImportRefusal(`shipping_address.${field} is longer than ${max} characters`);
    return found;
  };
  const optionalText = (field: string, max: number): string | undefined => (text(value[field]) === undefined ? undefined : required(field, max));
  const country = required('country_code', 100);
  if (!/^[A-Z]{2}$/.test(country)) throw new ShopifyImportRefusal(`shipping_address.country_code ${clip(country)} is not an ISO 3166 code`);
  return {
    line1: required('address1', 200),
    ...optional('line2', optionalText('address2', 200)),
    city: required('city', 100),
    ...optional('region', optionalText('province_code', 100)),
    postalCode: required('zip', 20),
    country,
    ...coordinatesOf(value),
  };
}

/** Both coordinates when Shopify geocoded the address, else neither (they are often null). */
function coordinatesOf(address: Json): { latitude?: number; longitude?: number } {
  const { latitude, longitude } = address;
  const valid = (n: unknown, limit: number): n is number => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= limit;
  return valid(latitude, 90) && valid(longitude, 180) ? { latitude, longitude } : {};
}

/** Each Shopify line by SKU, priced after its discounts; two lines of one SKU stay two. */
function linesOf(value: unknown): OrderLineInput[] {
  if (!Array.isArray(value) || value.length === 0) throw new ShopifyImportRefusal('the order has no line_items');
  const lines = value.flatMap((line: unknown, index) => lineItems(line, index));
  if (lines.length > LIMITS.lines) throw new ShopifyImportRefusal(`the order has more than ${LIMITS.lines} lines`);
  return lines;
}

/**
 * One line's items: `quantity` units at `price` less the line's `discount_allocations`. When the
 * discount does not divide evenly over the units, the line becomes two items (some units a cent
 * dearer) so that the order's total, the sum of its items, is exactly Shopify's price after discounts.
 */
function lineItems(line: unknown, index: number): OrderLineInput[] {
  if (!isObject(line)) throw new ShopifyImportRefusal(`line_items[${index}] is not an object`);
  const sku = text(line.sku);
  if (sku === undefined) throw new ShopifyImportRefusal(`line_items[${index}] (${clip(text(line.title) ?? 'untitled')}) has no SKU`);
  if (sku.length > LIMITS.sku) throw new ShopifyImportRefusal(`line_items[${index}] has a SKU longer than ${LIMITS.sku} characters`);
  const quantity = line.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.quantity)
    throw new ShopifyImportRefusal(`line_items[${index}] (SKU ${sku}) has no quantity between 1 and ${LIMITS.quantity}`);
  const units = BigInt(quantity);
  const net = centsOf(line.price, `line_items[${index}].price`) * units - discountCents(line.discount_allocations, index);
  if (net < 0n) throw new ShopifyImportRefusal(`line_items[${index}] (SKU ${sku}) is discounted below zero`);
  const [unit, dearer] = [net / units, net % units];
  const items: OrderLineInput[] = [];
  if (dearer > 0n) items.push({ sku, quantity: Number(dearer), unitPrice: fromCents(unit + 1n) });
  if (units > dearer) items.push({ sku, quantity: Number(units - dearer), unitPrice: fromCents(unit) });
  return items;
}

function discountCents(allocations: unknown, index: number): bigint {
  if (allocations === undefined || allocations === null) return 0n;
  if (!Array.isArray(allocations)) throw new ShopifyImportRefusal(`line_items[${index}].discount_allocations is not a list`);
  return allocations.reduce<bigint>((sum, allocation: unknown, n) => {
    const amount = isObject(allocation) ? allocation.amount : undefined;
    return sum + centsOf(amount, `line_items[${index}].discount_allocations[${n}].amount`);
  }, 0n);
}

function centsOf(amount: unknown, field: string): bigint {
  if (typeof amount !== 'string' || !isDecimalAmount(amount))
    throw new ShopifyImportRefusal(`${field} is not a decimal amount with at most 2 decimals`);
  return toCents(amount);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed, non-empty string, else undefined. */
function text(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** A value quoted in an error message, kept short. */
function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 61)}...` : value;
}
