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

  /** For validation errors: one entry per bad field, at most 20. */
  details?: ErrorDetailDto[];

  /** How many problems there were, when `details` lists only the first 20. */
  @IntegerProperty({ example: 500, required: false })
  detailsTotal?: number;

  /** Also in the X-Request-Id header; quote it when reporting a problem. */
  requestId: string;
}
