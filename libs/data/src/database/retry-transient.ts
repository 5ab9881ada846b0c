import { errorCodes } from '@app/platform';

/** Deadlock detected and serialization failure: the transaction was rolled back and may simply run again. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

export interface RetryPolicy {
  attempts: number;
  /** Upper bound of the first back-off; it doubles per attempt, and each wait is a random share of it. */
  baseDelayMs: number;
}

export const TRANSACTION_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 20 };

export function isRetryableTransactionError(error: unknown): boolean {
  return errorCodes(error).some((code) => RETRYABLE_SQLSTATES.has(code));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` again after a deadlock or serialization failure, at most `policy.attempts` times,
 * with full jitter so that the transactions that collided do not collide again in step.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, policy: RetryPolicy = TRANSACTION_RETRY, random = Math.random): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= policy.attempts || !isRetryableTransactionError(error)) throw error;
      await sleep(random() * policy.baseDelayMs * 2 ** (tries - 1));
    }
  }
}
