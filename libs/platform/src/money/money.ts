const DECIMAL_AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

export function isDecimalAmount(value: string): boolean {
  return DECIMAL_AMOUNT.test(value);
}

/** Exact money arithmetic: amounts travel as decimal strings and are summed as integer cents. */
export function toCents(amount: string): bigint {
  if (!isDecimalAmount(amount)) throw new RangeError(`not a decimal amount: ${amount}`);
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const absolute = cents < 0n ? -cents : cents;
  return `${sign}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** Normalises "19.9" to "19.90" (the form numeric(14,2) gives back). */
export function normalizeAmount(amount: string): string {
  return fromCents(toCents(amount));
}
