import type { Logger } from '@nestjs/common';

/** A warning logged at most once per `intervalMs`: an outage that fails every second should not flood the log. */
export function throttledWarning(logger: Logger, intervalMs = 10_000): (message: string) => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  return (message) => {
    const now = Date.now();
    if (now - lastLoggedAt < intervalMs) return;
    lastLoggedAt = now;
    logger.warn(message);
  };
}
