import { InvalidInputError } from '@app/platform';

/** The position after the last item of a page: its exact creation time (microseconds) and id. */
export interface KeysetPosition {
  createdAt: string;
  id: string;
}

/** The type of a table's id column: a UUID, or an identity number (a 64-bit integer, as a string). */
export type KeysetIdType = 'uuid' | 'bigint';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BIGINT = 2n ** 63n - 1n;

/** An id the database can compare with the column without an error (a bigint past its range would be one). */
const IS_ID: Record<KeysetIdType, (id: string) => boolean> = {
  uuid: (id) => UUID.test(id),
  bigint: (id) => /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT,
};

/** The format alone lets month 99 through; the calendar must agree too (and year 0 does not exist in PostgreSQL). */
function isRealTimestamp(value: string): boolean {
  const parsed = new Date(value);
  return !Number.isNaN(parsed.getTime()) && parsed.getUTCFullYear() >= 1 && parsed.toISOString().slice(0, 19) === value.slice(0, 19);
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string, idType: KeysetIdType): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !TIMESTAMP.test(parsed[0]) ||
    !isRealTimestamp(parsed[0]) ||
    !IS_ID[idType](parsed[1])
  ) {
    throw new InvalidInputError('cursor is not one this API returned', [{ field: 'cursor', message: 'invalid cursor' }]);
  }
  return { createdAt: parsed[0], id: parsed[1] };
}
