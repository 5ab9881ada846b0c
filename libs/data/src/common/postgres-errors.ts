export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

interface PostgresError {
  code?: string;
  constraint?: string;
}

/** TypeORM wraps driver errors; the SQLSTATE is on the error or on its driverError. */
export function postgresError(error: unknown): PostgresError {
  const candidate = error as PostgresError & { driverError?: PostgresError };
  return candidate.driverError ?? candidate;
}

export function isPostgresError(error: unknown, code: string): boolean {
  return postgresError(error).code === code;
}
