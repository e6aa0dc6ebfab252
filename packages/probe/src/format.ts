/** Short number formats shared by SLO margins, messages and input errors. */

/** 2.4ms, 412ms, 1.41s: ms below a second, seconds above; no trailing zeros. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${trim((ms / 1000).toFixed(2))}s`;
  if (ms < 10) return `${trim(ms.toFixed(1))}ms`;
  return `${Math.round(ms)}ms`;
}

/** 0.99123 → "99.12%", 1 → "100%". */
export function formatPercent(fraction: number): string {
  return `${trim((fraction * 100).toFixed(2))}%`;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A URL as reports show it: no user or password, and the query replaced by
 * `?…`, since either may hold a credential.
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
