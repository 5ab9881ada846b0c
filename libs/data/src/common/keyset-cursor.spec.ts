import { InvalidInputError } from '@app/platform';
import { decodeCursor, encodeCursor } from './keyset-cursor';

describe('keyset cursors', () => {
  const position = { createdAt: '2026-11-25T02:40:01.123456Z', id: '0b6f3f0e-9a55-4a43-9c9e-2f1d2b0c7e11' };
  const numbered = { ...position, id: '9223372036854775807' };

  it('round-trips a position exactly, microseconds included, with a UUID or an identity number as its id', () => {
    expect(decodeCursor(encodeCursor(position), 'uuid')).toEqual(position);
    expect(decodeCursor(encodeCursor(numbered), 'bigint')).toEqual(numbered);
  });

  it.each([
    'not-base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["2026-11-25T02:40:01Z","x"]').toString('base64url'),
    Buffer.from(`["2026-11-25T02:40:01.123456Z","1; DROP TABLE product"]`).toString('base64url'),
    encodeCursor({ ...position, createdAt: '2026-99-25T02:40:01.123456Z' }),
    encodeCursor({ ...position, createdAt: '2026-02-30T02:40:01.123456Z' }),
    encodeCursor({ ...position, createdAt: '2026-11-25T25:40:01.123456Z' }),
    encodeCursor({ ...position, createdAt: '0000-01-01T00:00:00.000000Z' }),
    encodeCursor({ ...position, id: '42' }),
  ])('rejects %j as invalid input where ids are UUIDs', (cursor) => {
    expect(() => decodeCursor(cursor, 'uuid')).toThrow(InvalidInputError);
  });

  it.each([
    encodeCursor(position),
    encodeCursor({ ...numbered, id: '9223372036854775808' }),
    encodeCursor({ ...numbered, id: '-1' }),
    encodeCursor({ ...numbered, id: '1e3' }),
    encodeCursor({ ...numbered, id: '' }),
    encodeCursor({ ...numbered, createdAt: '2026-02-30T02:40:01.123456Z' }),
  ])('rejects %j as invalid input where ids are identity numbers', (cursor) => {
    expect(() => decodeCursor(cursor, 'bigint')).toThrow(InvalidInputError);
  });
});
