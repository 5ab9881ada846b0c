import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './keyset-cursor';

describe('keyset cursors', () => {
  const position = { createdAt: '2026-11-25T02:40:01.123456Z', id: '0b6f3f0e-9a55-4a43-9c9e-2f1d2b0c7e11' };

  it('round-trips a position exactly, microseconds included', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    'not-base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["2026-11-25T02:40:01Z","x"]').toString('base64url'),
    Buffer.from(`["2026-11-25T02:40:01.123456Z","1; DROP TABLE product"]`).toString('base64url'),
  ])('rejects %j with a 400', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadRequestException);
  });
});
