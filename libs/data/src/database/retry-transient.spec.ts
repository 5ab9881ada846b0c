import { retryTransient } from './retry-transient';

const deadlock = () => Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } });
const serialization = () => Object.assign(new Error('could not serialize access'), { code: '40001' });
const policy = { attempts: 3, baseDelayMs: 1 };

describe('retryTransient', () => {
  it('runs a transaction again after a deadlock or a serialization failure', async () => {
    const failures = [deadlock(), serialization()];
    const attempt = jest.fn(async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return 'committed';
    });
    await expect(retryTransient(attempt, policy)).resolves.toBe('committed');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    const attempt = jest.fn(() => Promise.reject(deadlock()));
    await expect(retryTransient(attempt, policy)).rejects.toThrow('deadlock detected');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('never retries other errors', async () => {
    const uniqueViolation = Object.assign(new Error('duplicate key'), { code: '23505' });
    const attempt = jest.fn(() => Promise.reject(uniqueViolation));
    await expect(retryTransient(attempt, policy)).rejects.toBe(uniqueViolation);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('waits a random share of a doubling bound between attempts', async () => {
    const waits: number[] = [];
    const realSetTimeout = global.setTimeout;
    jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      waits.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    const attempt = jest.fn(() => Promise.reject(deadlock()));
    await expect(retryTransient(attempt, { attempts: 4, baseDelayMs: 100 }, () => 0.5)).rejects.toThrow();
    expect(waits).toEqual([50, 100, 200]);
    jest.restoreAllMocks();
  });
});
