import { FieldProblem, fromCents, InvalidInputError, normalizeAmount } from '@app/platform';

/** numeric(16,2): the largest total an order can store. */
const MAX_ORDER_TOTAL_CENTS = 10n ** 16n - 1n;
export const MAX_ORDER_TOTAL = fromCents(MAX_ORDER_TOTAL_CENTS);

export interface OrderLineInput {
  productId?: string;
  sku?: string;
  quantity: number;
  unitPrice?: string;
}

/** A line as the statement that prices and inserts it takes it: the client's price, if any, normalised. */
export interface LineToPrice {
  lineNumber: number;
  productId: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: string | null;
}

/**
 * Why the order-insert statement (OrdersRepository.insertOrder), the one place where the pricing
 * rules are applied, refused the lines: unknown products, several currencies, or else a total
 * larger than an order can store.
 */
export interface PricingVerdict {
  /** Numbers (from 1) of the lines whose product is not in the catalog, in line order. */
  unknownLines: number[];
  /** The currencies of the known lines' products, in the order the lines first name them. */
  currencies: string[];
}

/** Whether the line names its product exactly one way, by id or by SKU. */
function namesOneProduct(line: OrderLineInput): boolean {
  return (line.productId === undefined) !== (line.sku === undefined);
}

/**
 * The lines ready to be priced in SQL, numbered from 1. A line that names its product both ways or
 * not at all is a malformed request, refused before the catalog is read, with a detail per line.
 */
export function linesToPrice(lines: OrderLineInput[]): LineToPrice[] {
  const malformed = lines.flatMap((line, index) =>
    namesOneProduct(line) ? [] : [{ field: `items[${index}]`, message: 'give exactly one of productId or sku' }],
  );
  if (malformed.length > 0) throw InvalidInputError.ofFields(malformed);
  return lines.map((line, index) => ({
    lineNumber: index + 1,
    productId: line.productId ?? null,
    sku: line.sku ?? null,
    quantity: line.quantity,
    unitPrice: line.unitPrice === undefined ? null : normalizeAmount(line.unitPrice),
  }));
}

/**
 * The 400 of an order whose lines do not price, from the statement's verdict: every unknown
 * product (named as the line named it), mixed currencies and a catalog currency other than the
 * order's together; with none, the total was too large.
 */
export function pricingRefusal(lines: OrderLineInput[], verdict: PricingVerdict, orderCurrency?: string): InvalidInputError {
  const problems: FieldProblem[] = verdict.unknownLines.map((lineNumber) => ({
    field: `items[${lineNumber - 1}].${lines[lineNumber - 1].productId !== undefined ? 'productId' : 'sku'}`,
    message: 'unknown product',
  }));
  if (verdict.currencies.length > 1)
    problems.push({ field: 'items', message: `items are priced in several currencies: ${verdict.currencies.join(', ')}` });
  else if (orderCurrency !== undefined && verdict.currencies.length === 1 && verdict.currencies[0] !== orderCurrency)
    problems.push({ field: 'currency', message: `the catalog prices these items in ${verdict.currencies[0]}, not ${orderCurrency}` });
  if (problems.length > 0) return InvalidInputError.ofFields(problems);
  return new InvalidInputError('order total is too large', [{ field: 'items', message: `the total exceeds ${MAX_ORDER_TOTAL}` }]);
}
