/** The one error body of API.md (documentation only). */
export class ErrorBodyDto {
  /** @example 400 */
  statusCode: number;
  /** @example "Bad Request" */
  error: string;
  message: string;
  /** For validation errors: one entry per bad field, e.g. {"field":"items[0].quantity","message":"..."} */
  details?: Record<string, unknown>[];
  requestId: string;
}
