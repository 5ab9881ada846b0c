import { fromCents, InvalidInputError, normalizeAmount, toCents } from '@app/platform';

/** numeric(16,2): the largest total an order can store. */
const MAX_ORDER_TOTAL_CENTS = 10n ** 16n - 1n;
export const MAX_ORDER_TOTAL = fromCents(MAX_ORDER_TOTAL_CENTS);

export interface OrderLineInput {
  productId?: string;
  sku?: string;
  quantity: number;
  unitPrice?: string;
}

export interface CatalogEntry {
  id: string;
  sku: string;
  price: string;
  currency: string;
}

/** A line as the statement that prices and inserts it takes it: the client's price, if any, normalised. */
export interface LineToPrice {
  lineNumber: number;
  productId: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: string | null;
}

export interface PricedLine {
  lineNumber: number;
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
}

/** Whether the line names its product exactly one way, by id or by SKU. */
function namesOneProduct(line: OrderLineInput): boolean {
  return (line.productId === undefined) !== (line.sku === undefined);
}

/**
 * The lines ready to be priced in SQL (see OrdersRepository.insertOrder), or undefined when a line
 * names no product or two ways: priceOrderLines explains that.
 */
export function linesToPrice(lines: OrderLineInput[]): LineToPrice[] | undefined {
  if (!lines.every(namesOneProduct)) return undefined;
  return lines.map((line, index) => ({
    lineNumber: index + 1,
    productId: line.productId ?? null,
    sku: line.sku ?? null,
    quantity: line.quantity,
    unitPrice: line.unitPrice === undefined ? null : normalizeAmount(line.unitPrice),
  }));
}

/**
 * Resolves each line to a catalog product (by id or SKU) and prices it, or explains in `details`
 * which lines are wrong. Pure: the catalog entries are looked up by the caller.
 */
export function priceOrderLines(lines: OrderLineInput[], catalog: CatalogEntry[]): { lines: PricedLine[]; total: string; currency: string } {
  const byId = new Map(catalog.map((entry) => [entry.id, entry]));
  const bySku = new Map(catalog.map((entry) => [entry.sku, entry]));
  const problems: { field: string; message: string }[] = [];
  const priced: PricedLine[] = [];

  lines.forEach((line, index) => {
    const field = `items[${index}]`;
    if (!namesOneProduct(line)) {
      problems.push({ field, message: 'give exactly one of productId or sku' });
      return;
    }
    const product = line.productId !== undefined ? byId.get(line.productId) : bySku.get(line.sku!);
    if (!product) {
      problems.push({ field: `${field}.${line.productId !== undefined ? 'productId' : 'sku'}`, message: 'unknown product' });
      return;
    }
    priced.push({
      lineNumber: index + 1,
      productId: product.id,
      sku: product.sku,
      quantity: line.quantity,
      unitPrice: normalizeAmount(line.unitPrice ?? product.price),
    });
  });

  const currencies = new Set(priced.map((line) => byId.get(line.productId)!.currency));
  if (currencies.size > 1) problems.push({ field: 'items', message: `items are priced in several currencies: ${[...currencies].join(', ')}` });
  if (problems.length > 0) {
    throw new InvalidInputError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
  const totalCents = priced.reduce((sum, line) => sum + toCents(line.unitPrice) * BigInt(line.quantity), 0n);
  if (totalCents > MAX_ORDER_TOTAL_CENTS) {
    throw new InvalidInputError('order total is too large', [{ field: 'items', message: `the total exceeds ${MAX_ORDER_TOTAL}` }]);
  }
  return { lines: priced, total: fromCents(totalCents), currency: [...currencies][0] ?? 'USD' };
}
