/**
 * The Content-Security-Policy of the HTML pages this app serves (the dashboard, the API docs):
 * scripts, styles, images and calls from this origin only, no inline script, no forms, no
 * framing. `styleSources` adds to 'self' what a page's inline styles need (hashes).
 */
export function sameOriginPagePolicy(styleSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    ["style-src 'self'", ...styleSources].join(' '),
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
