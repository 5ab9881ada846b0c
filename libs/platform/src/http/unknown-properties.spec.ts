import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { firstUnknownProperty } from './unknown-properties';

class Line {
  @IsString() sku: string;
  @IsInt() quantity: number;
}

class Address {
  @IsString() city: string;
}

class Order {
  @IsString() email: string;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[];
}

describe('firstUnknownProperty', () => {
  it('finds nothing in a body of declared properties, whatever their values', () => {
    expect(firstUnknownProperty({ email: 'a', address: { city: 'x' }, lines: [{ sku: 's', quantity: 'not checked here' }] }, Order)).toBeUndefined();
    expect(firstUnknownProperty({ email: 1, address: 'not an object', lines: 'not an array' }, Order)).toBeUndefined();
  });

  it('names an unknown property at any level as class-validator would, with its path', () => {
    expect(firstUnknownProperty({ email: 'a', extra: 1 }, Order)).toEqual({ field: 'extra', message: 'property extra should not exist' });
    expect(firstUnknownProperty({ email: 'a', address: { city: 'x', zip: 1 } }, Order)).toEqual({
      field: 'address.zip',
      message: 'property zip should not exist',
    });
    expect(firstUnknownProperty({ lines: [{ sku: 's' }, { sku: 's', price: 1 }] }, Order)?.field).toBe('lines[1].price');
  });

  it('stops at the first unknown property of a very wide object', () => {
    const wide = Object.fromEntries(Array.from({ length: 90_000 }, (_, i) => [`k${i}`, { nested: i }]));
    expect(firstUnknownProperty(wide, Order)?.field).toBe('k0');
  });
});
