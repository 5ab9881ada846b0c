import { InvalidInputError } from '@app/platform';
import { decodeFeedCursor, decodeSnapshotCursor, encodeFeedCursor, encodeSnapshotCursor } from './feed-cursor';

const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('availability cursors', () => {
  it('give back the feed position and the snapshot position they were made from', () => {
    expect(decodeFeedCursor(encodeFeedCursor('0'))).toBe('0');
    expect(decodeFeedCursor(encodeFeedCursor('9223372036854775807'))).toBe('9223372036854775807');
    const position = { snapshotId: '42', productId: '0b6f2c1e-4d1a-4b7e-9a3c-1f2e3d4c5b6a' };
    expect(decodeSnapshotCursor(encodeSnapshotCursor(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['a negative position', encoded(['f', '-1'])],
    ['a position past bigint', encoded(['f', '9223372036854775808'])],
    ['a number, not a string', encoded(['f', 5])],
    ["a snapshot's cursor", encodeSnapshotCursor({ snapshotId: '1', productId: '0b6f2c1e-4d1a-4b7e-9a3c-1f2e3d4c5b6a' })],
  ])('refuse %s as a feed cursor with a 400', (_name, cursor) => {
    expect(() => decodeFeedCursor(cursor)).toThrow(InvalidInputError);
  });

  it.each([
    ['a feed cursor', encodeFeedCursor('3')],
    ['an upper-case product id', encoded(['s', '1', '0B6F2C1E-4D1A-4B7E-9A3C-1F2E3D4C5B6A'])],
    ['a product id that is no uuid', encoded(['s', '1', 'x'])],
  ])('refuse %s as a snapshot cursor with a 400', (_name, cursor) => {
    expect(() => decodeSnapshotCursor(cursor)).toThrow(InvalidInputError);
  });
});
