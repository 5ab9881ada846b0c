/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
/** How long after its first attempt a delivery is still retried. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A retry waits between (1 - JITTER) and 1 times its delay, so that the retries of one outage spread out. */
const JITTER = 0.2;

/**
 * The wait after failed attempt `attempt` (1 for the first): `baseMs`, doubling each time up to an
 * hour, shortened by up to a fifth at random. `random` is a number in [0, 1).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number = Math.random()): number {
  const delay = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  return Math.round(delay * (1 - JITTER * random));
}

/** When to try a failed delivery again, or null once the retry would start more than 24 h after its first attempt (it has failed). */
export function nextAttemptAt(attempt: number, firstAttemptAt: Date, now: Date, baseMs: number, random: number = Math.random()): Date | null {
  const at = new Date(now.getTime() + retryDelayMs(attempt, baseMs, random));
  return at.getTime() - firstAttemptAt.getTime() > RETRY_WINDOW_MS ? null : at;
}
