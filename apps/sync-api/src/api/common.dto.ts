import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { isDecimalAmount } from '@app/platform';

/** Optional, but not null: a field left out takes its default, a null is refused (with `@ValidateIf(isSent)` in place of `@IsOptional()`). */
export const isSent = (_object: object, value: unknown) => value !== undefined;

/** Money in, as the API says: a decimal string "19.99" (a JSON number is accepted and converted). */
export function IsMoney(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value)),
    ValidateBy({
      name: 'isMoney',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isDecimalAmount(value),
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be a decimal amount such as "19.99" (at most 2 decimals, not negative)`),
      },
    }),
  );
}

function IsCoordinate(bound: number): PropertyDecorator {
  return applyDecorators(IsNumber({ allowNaN: false, allowInfinity: false }), Min(-bound), Max(bound));
}

/** Degrees, -90..90. */
export const IsLatitude = () => IsCoordinate(90);
/** Degrees, -180..180. */
export const IsLongitude = () => IsCoordinate(180);

/** Query-string integers arrive as text; anything but a plain integer stays invalid. */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value));
}

export class PageQueryDto {
  /** Page size, 1..200 (default 50). */
  @ApiPropertyOptional({ type: 'integer', default: 50 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  /** The nextCursor of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** A line's product, by id or by SKU (the service refuses a line that gives both or neither). */
export class ProductReferenceDto {
  /** Give productId or sku. */
  @IsOptional()
  @IsUUID()
  productId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  sku?: string;
}
