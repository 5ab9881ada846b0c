import { InvalidInputError } from '@app/platform';
import { linesToPrice, pricingRefusal } from './order-lines';

const SHIRT_ID = '11111111-1111-4111-8111-111111111111';
const CAP_ID = '22222222-2222-4222-8222-222222222222';

function errorDetails(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).details;
  }
  throw new Error('expected an InvalidInputError');
}

describe('linesToPrice', () => {
  it('numbers the lines, keeps how each names its product and normalises a client price', () => {
    expect(
      linesToPrice([
        { productId: SHIRT_ID, quantity: 3 },
        { sku: 'CAP', quantity: 1, unitPrice: '4.5' },
      ]),
    ).toEqual([
      { lineNumber: 1, productId: SHIRT_ID, sku: null, quantity: 3, unitPrice: null },
      { lineNumber: 2, productId: null, sku: 'CAP', quantity: 1, unitPrice: '4.50' },
    ]);
  });

  it('refuses, naming each, the lines that name their product both ways or not at all', () => {
    const details = errorDetails(() =>
      linesToPrice([{ productId: SHIRT_ID, sku: 'SHIRT-M', quantity: 1 }, { sku: 'CAP', quantity: 1 }, { quantity: 1 }]),
    );
    expect(details).toEqual([
      { field: 'items[0]', message: 'give exactly one of productId or sku' },
      { field: 'items[2]', message: 'give exactly one of productId or sku' },
    ]);
  });
});

describe('pricingRefusal', () => {
  const lines = [
    { sku: 'NOPE', quantity: 1 },
    { productId: SHIRT_ID, quantity: 1 },
    { productId: CAP_ID, quantity: 1 },
    { sku: 'MUG', quantity: 1 },
  ];

  it('names every unknown product as its line named it, with mixed currencies in the same answer', () => {
    const error = pricingRefusal(lines, { unknownLines: [1, 3], currencies: ['USD', 'EUR'] });
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.details).toEqual([
      { field: 'items[0].sku', message: 'unknown product' },
      { field: 'items[2].productId', message: 'unknown product' },
      { field: 'items', message: 'items are priced in several currencies: USD, EUR' },
    ]);
    expect(error.message).toBe(
      'items[0].sku: unknown product; items[2].productId: unknown product; items: items are priced in several currencies: USD, EUR',
    );
  });

  it('refuses an order mixing currencies, in the order the lines name them', () => {
    expect(pricingRefusal(lines, { unknownLines: [], currencies: ['EUR', 'USD'] }).details).toEqual([
      { field: 'items', message: 'items are priced in several currencies: EUR, USD' },
    ]);
  });

  it('with every product known in one currency, the refusal is the total, larger than an order can store', () => {
    const error = pricingRefusal(lines, { unknownLines: [], currencies: ['USD'] });
    expect(error.message).toBe('order total is too large');
    expect(error.details).toEqual([{ field: 'items', message: 'the total exceeds 99999999999999.99' }]);
  });
});
