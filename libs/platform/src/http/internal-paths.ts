/**
 * Decided on the matched route pattern, not the raw URL, so that encoded or doubled slashes in a
 * URL cannot smuggle an internal route onto the public port.
 */
export function isInternalRoute(routePattern: string): boolean {
  return routePattern === '/metrics' || routePattern === '/internal' || routePattern.startsWith('/internal/');
}

/** The internal port answers admin routes and health (so a sidecar can probe either port). */
export function isServedOnInternalPort(routePattern: string): boolean {
  return isInternalRoute(routePattern) || routePattern.startsWith('/health/');
}
