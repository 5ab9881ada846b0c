import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const request = (header?: string | string[]) => ({ headers: { 'x-request-id': header } }) as unknown as IncomingMessage;

describe('requestIdFor', () => {
  it('echoes a well-formed X-Request-Id', () => {
    expect(requestIdFor(request('order-import:42'))).toBe('order-import:42');
  });

  it.each([undefined, '', 'has space', 'x'.repeat(129), 'new\nline'])('mints a UUID for %j', (header) => {
    expect(requestIdFor(request(header))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
