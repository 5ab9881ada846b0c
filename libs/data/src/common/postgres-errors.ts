import { ConflictError } from '@app/platform';

const PG_UNIQUE_VIOLATION = '23505';

/** TypeORM wraps driver errors; the SQLSTATE is on the error or on its driverError. */
function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: string; driverError?: { code?: string } };
  return (candidate.driverError ?? candidate).code;
}

/** Runs an insert whose unique constraint is the duplicate check: a violation becomes a 409. */
export async function conflictOnDuplicate<T>(insert: Promise<T>, message: string): Promise<T> {
  try {
    return await insert;
  } catch (error) {
    if (sqlState(error) === PG_UNIQUE_VIOLATION) throw new ConflictError(message);
    throw error;
  }
}
