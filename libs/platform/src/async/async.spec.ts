import type { Logger } from '@nestjs/common';
import { throttledWarning } from './throttled-warning';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('passes the result through when the work is in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'no answer')).resolves.toBe(42);
  });

  it('rejects naming what did not happen when the work is late', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'no PONG')).rejects.toThrow('no PONG within 10 ms');
  });
});

describe('throttledWarning', () => {
  it('logs the first warning and drops the rest within the interval', () => {
    const warn = jest.fn();
    const log = throttledWarning({ warn } as unknown as Logger, 60_000);
    log('Redis unavailable');
    log('Redis unavailable');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
