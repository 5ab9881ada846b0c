/**
 * Errors that mean a dependency (the database) could not be reached or is restarting, rather than
 * that the request was wrong: the client should retry later (503 + Retry-After), not give up.
 */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs of a server that is shutting down, starting, overloaded or cancelled the statement. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

const CONNECTION_LOST_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  "Stream isn't writeable",
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The SQLSTATE or system error code of an error, looking through TypeORM's and AggregateError's wrappers. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (candidate: unknown, depth: number) => {
    if (depth > 3 || typeof candidate !== 'object' || candidate === null) return;
    const { code, driverError, cause, errors } = candidate as ErrorLike;
    if (typeof code === 'string') codes.push(code);
    visit(driverError, depth + 1);
    visit(cause, depth + 1);
    if (Array.isArray(errors)) errors.forEach((inner) => visit(inner, depth + 1));
  };
  visit(error, 0);
  return codes;
}

export function isDependencyFailure(error: unknown): boolean {
  const codes = errorCodes(error);
  if (codes.some((code) => NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  const message = (error as ErrorLike | null)?.message;
  return typeof message === 'string' && CONNECTION_LOST_MESSAGES.some((text) => message.includes(text));
}

/** SQLSTATE class 22 (data exception): a value the database cannot take, i.e. bad input that got past validation. */
export function isDataException(error: unknown): boolean {
  return errorCodes(error).some((code) => code.startsWith('22'));
}
