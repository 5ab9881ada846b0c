import { BadRequestException } from '@nestjs/common';
import type { FieldProblem } from '../errors/domain-errors';
import { MAX_ERROR_DETAILS } from './error-body';
import { fieldPath } from './field-path';
import { isPlainObject } from './plain-object';

/** "invalid request: a, b and 3 more": the bad fields, as many as an error lists details. */
export function invalidRequest(details: FieldProblem[]): BadRequestException {
  const fields = [...new Set(details.map((d) => d.field))];
  const named = fields.slice(0, MAX_ERROR_DETAILS).join(', ');
  const more = fields.length > MAX_ERROR_DETAILS ? ` and ${fields.length - MAX_ERROR_DETAILS} more` : '';
  return new BadRequestException({ message: `invalid request: ${named}${more}`, details });
}

/** PostgreSQL text and jsonb cannot hold U+0000: refuse it up front, wherever it hides, naming the field. */
export function nulCharacterProblems(value: unknown, field = ''): FieldProblem[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: field || 'value', message: 'must not contain the NUL character' }] : [];
  if (Array.isArray(value)) return value.flatMap((element, index) => nulCharacterProblems(element, `${field}[${index}]`));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, element]) => nulCharacterProblems(element, fieldPath(field, key)));
  return [];
}
