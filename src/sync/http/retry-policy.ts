/** Which answers are retried, and how long to wait before the next attempt. */

/** Statuses whose wait comes from `Retry-After` (fallback when absent). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([423, 429, 503]);

export function isRetryableStatus(status: number): boolean {
  return RETRY_AFTER_STATUSES.has(status) || (status >= 500 && status <= 599);
}

/**
 * Milliseconds asked for by a `Retry-After` value (delay-seconds or an HTTP-date), or null when the
 * header is missing or unusable (garbage, negative, a date that cannot be parsed).
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Wait before retrying a rate-limited answer: Retry-After (capped), or the fallback. */
export function rateLimitDelayMs(
  retryAfter: string | null,
  nowMs: number,
  opts: { fallbackMs: number; maxMs: number },
): number {
  const asked = parseRetryAfterMs(retryAfter, nowMs);
  return Math.min(asked ?? opts.fallbackMs, opts.maxMs);
}

/**
 * Jittered exponential backoff for 5xx, timeouts and network errors ("equal jitter": half fixed, half random).
 * `retry` is 1 for the first retry.
 */
export function backoffDelayMs(retry: number, opts: { baseMs: number; maxMs: number; random: () => number }): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * opts.random());
}
