import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown[];
  /** How many problems there were, when `details` lists only the first MAX_ERROR_DETAILS. */
  detailsTotal?: number;
  requestId: string;
}

/** An error lists at most this many problems: a body with thousands of bad values must not be answered with megabytes. */
export const MAX_ERROR_DETAILS = 20;

function cappedDetails(details: unknown[] | undefined): Pick<ErrorBody, 'details' | 'detailsTotal'> {
  if (!details || details.length === 0) return {};
  if (details.length <= MAX_ERROR_DETAILS) return { details };
  return { details: details.slice(0, MAX_ERROR_DETAILS), detailsTotal: details.length };
}

export function errorBody(statusCode: number, message: string, requestId: string, details?: unknown[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...cappedDetails(details),
    requestId,
  };
}
