import { InvalidInputError } from '@app/platform';

const MAX_BIGINT = 2n ** 63n - 1n;
const FEED_PREFIX = 'f';
const SNAPSHOT_PREFIX = 's';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const isPosition = (value: unknown): value is string => typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT;

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const invalid = () => new InvalidInputError('cursor is not one this API returned', [{ field: 'cursor', message: 'invalid cursor' }]);
const encode = (value: unknown[]) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The feed position after which a reader goes on: opaque to clients. */
export const encodeFeedCursor = (sequence: string): string => encode([FEED_PREFIX, sequence]);

export function decodeFeedCursor(cursor: string): string {
  const parsed = decode(cursor);
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== FEED_PREFIX || !isPosition(parsed[1])) throw invalid();
  return parsed[1];
}

export interface SnapshotPosition {
  snapshotId: string;
  productId: string;
}

export const encodeSnapshotCursor = (position: SnapshotPosition): string => encode([SNAPSHOT_PREFIX, position.snapshotId, position.productId]);

export function decodeSnapshotCursor(cursor: string): SnapshotPosition {
  const parsed = decode(cursor);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== SNAPSHOT_PREFIX ||
    !isPosition(parsed[1]) ||
    typeof parsed[2] !== 'string' ||
    !UUID.test(parsed[2])
  ) {
    throw invalid();
  }
  return { snapshotId: parsed[1], productId: parsed[2] };
}
