import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '../errors/domain-errors';

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's tree into one entry per bad field, with paths like items[0].quantity. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** A body DTO whose every field is optional may set this, so that a request without a body is accepted. */
export interface OptionalBody {
  readonly bodyIsOptional: true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PostgreSQL text and jsonb cannot hold U+0000: refuse it up front, wherever it hides, naming the field. */
export function nulCharacterProblems(value: unknown, field = ''): FieldProblem[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: field || 'value', message: 'must not contain the NUL character' }] : [];
  if (Array.isArray(value)) return value.flatMap((element, index) => nulCharacterProblems(element, `${field}[${index}]`));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, element]) => nulCharacterProblems(element, join(field, key)));
  return [];
}

function refuseNulCharacters(value: unknown): void {
  const details = nulCharacterProblems(value);
  if (details.length > 0) throw new BadRequestException({ message: `invalid request: ${details.map((d) => d.field).join(', ')}`, details });
}

/** Request bodies must be JSON objects: a missing, null, array or scalar body is a 400, not a no-op. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') refuseNulCharacters(value);
    if (metadata.type === 'body' && metadata.metatype) {
      const bodyIsOptional = (metadata.metatype as unknown as Partial<OptionalBody>).bodyIsOptional === true;
      if (value === undefined && bodyIsOptional) return super.transform({}, metadata);
      if (!isPlainObject(value)) {
        throw new BadRequestException({
          message: 'request body must be a JSON object',
          details: [{ field: 'body', message: 'must be a JSON object' }],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** Unknown properties are refused (400), not silently dropped: a typo must not pass as a no-op. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = fieldProblems(errors);
      const fields = [...new Set(details.map((d) => d.field))];
      return new BadRequestException({ message: `invalid request: ${fields.join(', ')}`, details });
    },
  });
}
