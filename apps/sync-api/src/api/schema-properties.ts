import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

/**
 * What the swagger plugin cannot read from a TypeScript type: the format of a string, whole numbers.
 * For response DTOs, so that the document says what a client may rely on.
 */
export const UuidProperty = (options: ApiPropertyOptions = {}) => ApiProperty({ format: 'uuid', ...options });

export const IntegerProperty = (options: ApiPropertyOptions = {}) => ApiProperty({ type: 'integer', ...options });

/** Money leaves as a decimal string with exactly two decimals (numeric(…, 2) in PostgreSQL). */
export const MoneyProperty = (options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: String, pattern: '^-?\\d+\\.\\d{2}$', example: '19.99', ...options });
