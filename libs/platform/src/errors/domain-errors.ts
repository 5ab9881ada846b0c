/** One bad field of an input: `field` is a path such as `items[0].sku`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What the domain says went wrong, independent of the transport: the HTTP layer maps each kind to
 * a status code in one place, and a job processor calling the same service gets the same error.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'not-found' | 'conflict' | 'invalid-input' | 'unprocessable';

  constructor(
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The request is valid but conflicts with the current state (duplicate, already shipped, too little stock). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The input is wrong; `details` names the bad fields. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input';

  /** The refusal of these fields, its message naming each (`items[0].sku: unknown product; ...`). */
  static ofFields(problems: FieldProblem[]): InvalidInputError {
    return new InvalidInputError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
}

/** Well-formed input that cannot be processed as sent, e.g. an idempotency key reused with another body. */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}
