/**
 * sync-api's keep-alive timeout (KEEP_ALIVE_TIMEOUT_MS in libs/platform/src/http/http-timeouts.ts;
 * infra/test holds the two equal). The load balancer must close an idle connection before the app
 * does: a request it sent on a connection the app is closing would fail with a 502.
 */
export const APP_KEEP_ALIVE_SECONDS = 65;

/** Why an ALB idle timeout cannot work, or undefined. */
export function idleTimeoutProblem(idleTimeoutSeconds: number): string | undefined {
  if (!Number.isInteger(idleTimeoutSeconds) || idleTimeoutSeconds < 1) return 'must be a whole number of seconds, at least 1';
  if (idleTimeoutSeconds >= APP_KEEP_ALIVE_SECONDS) {
    return `must be below the apps' keep-alive timeout (${APP_KEEP_ALIVE_SECONDS} s), or the load balancer reuses connections the apps are closing`;
  }
  return undefined;
}
