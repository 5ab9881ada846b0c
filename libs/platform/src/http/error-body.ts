import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown[];
  requestId: string;
}

export function errorBody(statusCode: number, message: string, requestId: string, details?: unknown[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(details && details.length > 0 ? { details } : {}),
    requestId,
  };
}
