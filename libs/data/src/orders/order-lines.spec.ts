import { InvalidInputError } from '@app/platform';
import { linesToPrice, priceOrderLines } from './order-lines';

const shirt = { id: '11111111-1111-4111-8111-111111111111', sku: 'SHIRT-M', price: '19.99', currency: 'USD' };
const cap = { id: '22222222-2222-4222-8222-222222222222', sku: 'CAP', price: '5.50', currency: 'USD' };

function errorDetails(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).details;
  }
  throw new Error('expected an InvalidInputError');
}

describe('priceOrderLines', () => {
  it('resolves lines by id or SKU, defaults the unit price and totals exactly', () => {
    const result = priceOrderLines(
      [
        { productId: shirt.id, quantity: 3 },
        { sku: 'CAP', quantity: 1, unitPrice: '4.5' },
      ],
      [shirt, cap],
    );
    expect(result.lines).toEqual([
      { lineNumber: 1, productId: shirt.id, sku: 'SHIRT-M', quantity: 3, unitPrice: '19.99' },
      { lineNumber: 2, productId: cap.id, sku: 'CAP', quantity: 1, unitPrice: '4.50' },
    ]);
    expect(result.total).toBe('64.47');
    expect(result.currency).toBe('USD');
  });

  it('names every unknown product and every ambiguous line', () => {
    const details = errorDetails(() =>
      priceOrderLines(
        [{ sku: 'NOPE', quantity: 1 }, { productId: shirt.id, sku: 'SHIRT-M', quantity: 1 }, { quantity: 1 }, { productId: cap.id, quantity: 1 }],
        [shirt, cap],
      ),
    );
    expect(details).toEqual([
      { field: 'items[0].sku', message: 'unknown product' },
      { field: 'items[1]', message: 'give exactly one of productId or sku' },
      { field: 'items[2]', message: 'give exactly one of productId or sku' },
    ]);
  });

  it('refuses an order mixing currencies', () => {
    const euroCap = { ...cap, currency: 'EUR' };
    expect(
      errorDetails(() =>
        priceOrderLines(
          [
            { sku: 'SHIRT-M', quantity: 1 },
            { sku: 'CAP', quantity: 1 },
          ],
          [shirt, euroCap],
        ),
      ),
    ).toEqual([{ field: 'items', message: 'items are priced in several currencies: USD, EUR' }]);
  });

  it('refuses a total larger than an order can store instead of failing in the database', () => {
    const priceless = { ...shirt, price: '999999999999.99' };
    expect(errorDetails(() => priceOrderLines([{ productId: shirt.id, quantity: 100_000 }], [priceless]))).toEqual([
      { field: 'items', message: 'the total exceeds 99999999999999.99' },
    ]);
  });
});

describe('linesToPrice', () => {
  it('numbers the lines, keeps how each names its product and normalises a client price', () => {
    expect(
      linesToPrice([
        { productId: shirt.id, quantity: 3 },
        { sku: 'CAP', quantity: 1, unitPrice: '4.5' },
      ]),
    ).toEqual([
      { lineNumber: 1, productId: shirt.id, sku: null, quantity: 3, unitPrice: null },
      { lineNumber: 2, productId: null, sku: 'CAP', quantity: 1, unitPrice: '4.50' },
    ]);
  });

  it('gives nothing to price when a line names its product both ways or not at all', () => {
    expect(linesToPrice([{ productId: shirt.id, sku: 'SHIRT-M', quantity: 1 }])).toBeUndefined();
    expect(linesToPrice([{ sku: 'CAP', quantity: 1 }, { quantity: 1 }])).toBeUndefined();
  });
});
