import { IntegerProperty } from './schema-properties';

export class ErrorDetailDto {
  /** The bad field, as a path. @example "items[0].quantity" */
  field?: string;

  /** @example "quantity must not be less than 1" */
  message: string;
}

/** The one error body of every error (docs/api.md, Errors), declared for the OpenAPI document only. */
export class ErrorBodyDto {
  /** Same as the HTTP status. */
  @IntegerProperty({ example: 400 })
  statusCode: number;

  /** @example "Bad Request" */
  error: string;

  message: string;

  /** For validation errors: one entry per bad field. */
  details?: ErrorDetailDto[];

  /** Also in the X-Request-Id header; quote it when reporting a problem. */
  requestId: string;
}
