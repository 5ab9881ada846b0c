import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '../errors/domain-errors';
import { fieldPath } from './field-path';
import { invalidRequest, nulCharacterProblems } from './invalid-request';
import { isPlainObject } from './plain-object';
import { firstUnknownProperty } from './unknown-properties';

/** Flattens class-validator's tree into one entry per bad field, with paths like items[0].quantity. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = fieldPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** A body DTO whose every field is optional may set this, so that a request without a body is accepted. */
export interface OptionalBody {
  readonly bodyIsOptional: true;
}

function refuseNulCharacters(value: unknown): void {
  const details = nulCharacterProblems(value);
  if (details.length > 0) throw invalidRequest(details);
}

/** Request bodies must be JSON objects: a missing, null, array or scalar body is a 400, not a no-op. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Bodies were checked as they were parsed (acceptOnlyJsonBodies).
    if (metadata.type === 'query') refuseNulCharacters(value);
    if (metadata.type === 'body' && metadata.metatype) {
      const bodyIsOptional = (metadata.metatype as unknown as Partial<OptionalBody>).bodyIsOptional === true;
      if (value === undefined && bodyIsOptional) return super.transform({}, metadata);
      if (!isPlainObject(value)) {
        throw new BadRequestException({
          message: 'request body must be a JSON object',
          details: [{ field: 'body', message: 'must be a JSON object' }],
        });
      }
      const unknownProperty = firstUnknownProperty(value, metadata.metatype);
      if (unknownProperty !== undefined) throw invalidRequest([unknownProperty]);
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
    exceptionFactory: (errors) => invalidRequest(fieldProblems(errors)),
  });
}
