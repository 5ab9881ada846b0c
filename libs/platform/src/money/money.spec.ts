import { fromCents, isDecimalAmount, normalizeAmount, toCents } from './money';

describe('money as decimal strings', () => {
  it.each([
    ['0', 0n],
    ['19.99', 1999n],
    ['19.9', 1990n],
    ['1000000', 100000000n],
    ['999999999999.99', 99999999999999n],
  ])('%s is %s cents', (amount, cents) => {
    expect(toCents(amount)).toBe(cents);
  });

  it.each(['-1', '1.999', '1e3', '', ' 1', '1.', '.5', '1234567890123'])('rejects %j', (amount) => {
    expect(isDecimalAmount(amount)).toBe(false);
    expect(() => toCents(amount)).toThrow(RangeError);
  });

  it('sums without floating point error', () => {
    expect(fromCents(toCents('0.10') + toCents('0.20'))).toBe('0.30');
    expect(fromCents(toCents('19.99') * 3n)).toBe('59.97');
  });

  it('normalises to two decimals', () => {
    expect(normalizeAmount('5')).toBe('5.00');
    expect(normalizeAmount('5.5')).toBe('5.50');
  });
});
