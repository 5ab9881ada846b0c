/**
 * Shutdown timings the load balancer, ECS and the apps must agree on (libs/platform graceful-shutdown:
 * on SIGTERM readiness turns 503, requests are served for SHUTDOWN_DRAIN_MS, then the app closes
 * within its own deadline or exits 1).
 */
export const READINESS_CHECK = { path: '/health/ready', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2 };

/** Close deadlines after the drain, as in apps/sync-api and apps/async-worker main.ts. */
export const CLOSE_TIMEOUT_SECONDS = { syncApi: 10, asyncWorker: 30 };

const STOP_MARGIN_SECONDS = 5;
/** Fargate gives a container at most 120 s between SIGTERM and SIGKILL. */
const MAX_STOP_TIMEOUT_SECONDS = 120;

/** SIGTERM to SIGKILL for a container: the drain, the app's close deadline, a margin. */
export function stopTimeoutSeconds(drainSeconds: number, closeSeconds: number): number {
  return drainSeconds + closeSeconds + STOP_MARGIN_SECONDS;
}

/** Why a drain cannot work, or undefined. */
export function drainProblem(drainSeconds: number): string | undefined {
  const detection = READINESS_CHECK.intervalSeconds * READINESS_CHECK.unhealthyThreshold;
  if (drainSeconds < detection) {
    return (
      `must be at least ${detection} (the load balancer needs ${READINESS_CHECK.unhealthyThreshold} failed checks ` +
      `${READINESS_CHECK.intervalSeconds} s apart to take a draining task out)`
    );
  }
  const longestStop = stopTimeoutSeconds(drainSeconds, Math.max(CLOSE_TIMEOUT_SECONDS.syncApi, CLOSE_TIMEOUT_SECONDS.asyncWorker));
  if (longestStop > MAX_STOP_TIMEOUT_SECONDS) {
    return `leaves no time to close: drain + close deadline + margin = ${longestStop} s, over Fargate's ${MAX_STOP_TIMEOUT_SECONDS} s stop timeout`;
  }
  return undefined;
}
