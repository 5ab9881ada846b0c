import { ValidationError } from '@nestjs/common';
import { nulCharacterProblems } from './invalid-request';
import { fieldProblems } from './validation.pipe';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError => ({
  property,
  constraints,
  children,
});

describe('fieldProblems', () => {
  it('names nested and array fields with dotted paths and indexes', () => {
    const errors = [
      error('customer', undefined, [error('email', { isEmail: 'email must be an email' })]),
      error('items', undefined, [
        error('0', undefined, [error('quantity', { min: 'quantity must not be less than 1', isInt: 'quantity must be an integer' })]),
      ]),
      error('extra', { whitelistValidation: 'property extra should not exist' }),
    ];
    expect(fieldProblems(errors)).toEqual([
      { field: 'customer.email', message: 'email must be an email' },
      { field: 'items[0].quantity', message: 'quantity must not be less than 1' },
      { field: 'items[0].quantity', message: 'quantity must be an integer' },
      { field: 'extra', message: 'property extra should not exist' },
    ]);
  });
});

describe('nulCharacterProblems', () => {
  it('finds U+0000 in any string, however deep, and names the field', () => {
    const body = { name: 'ok', shippingAddress: { line1: 'a\u0000b' }, items: [{ sku: 'fine' }, { sku: '\u0000' }] };
    expect(nulCharacterProblems(body)).toEqual([
      { field: 'shippingAddress.line1', message: 'must not contain the NUL character' },
      { field: 'items[1].sku', message: 'must not contain the NUL character' },
    ]);
  });

  it('accepts text without it, and values that are not strings', () => {
    expect(nulCharacterProblems({ a: 'null', b: 0, c: null, d: [true], e: '\\u0000 spelled out' })).toEqual([]);
  });
});
