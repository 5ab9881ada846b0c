import { ConflictError, errorCodes } from '@app/platform';

const PG_UNIQUE_VIOLATION = '23505';

/** Runs an insert whose unique constraint is the duplicate check: a violation becomes a 409. */
export async function conflictOnDuplicate<T>(insert: Promise<T>, message: string): Promise<T> {
  try {
    return await insert;
  } catch (error) {
    if (errorCodes(error).includes(PG_UNIQUE_VIOLATION)) throw new ConflictError(message);
    throw error;
  }
}

/** Whether the database refused the statement for this constraint (by name). */
export function violatesConstraint(error: unknown, constraint: string): boolean {
  return typeof error === 'object' && error !== null && (error as { constraint?: unknown }).constraint === constraint;
}
