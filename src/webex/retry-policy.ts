/**
 * The Webex-side retry policy for reads on the event path (message, card action, person, and the SDK calls the
 * framework makes for unknown spaces). Pure: the caller does the waiting. Same rules and defaults as the send
 * queue's webex-call: 429/423/503 wait their `Retry-After` (capped) on their own budget; 5xx and network errors
 * (status null) retry with jittered exponential backoff ("equal jitter"); anything else gives up at once.
 * (sync/http/retry-policy.ts is the vendors' twin; webex/ may not import sync/.)
 */
export interface WebexRetryPolicy {
  /** Attempts per call for 5xx/network errors, the first included (default 5). */
  readonly maxAttempts: number;
  /** Rate-limit answers tolerated per call, on top of maxAttempts (default 8). */
  readonly maxRateLimitRetries: number;
  /** First backoff ceiling (default 500 ms), doubled per retry up to maxBackoffMs (default 10 s). */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Longest Retry-After honoured; longer asks are capped (default 60 s). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_WEBEX_RETRY_POLICY: WebexRetryPolicy = Object.freeze({
  maxAttempts: 5,
  maxRateLimitRetries: 8,
  baseBackoffMs: 500,
  maxBackoffMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/** Statuses whose wait comes from `Retry-After` (backoff when absent). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([423, 429, 503]);

/** What one call has used of its budgets so far. */
export interface RetryCounts {
  /** Failed attempts (5xx, network). */
  failures: number;
  /** Rate-limit answers. */
  rateLimited: number;
}

/** One failed attempt: its status (null for a network error) and its `Retry-After` header, if any. */
export interface FailedAttempt {
  status: number | null;
  retryAfter: string | null;
}

/** Equal-jitter backoff for the `retry`-th retry (1-based): half the ceiling fixed, half random. */
export function backoffMs(policy: WebexRetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** `Retry-After` in delay-seconds as milliseconds; null when absent or not a number (Webex sends seconds). */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return null;
  return Math.round(Number(header) * 1000);
}

/**
 * Counts `attempt` against `counts` (mutated) and returns how long to wait before the next attempt, or null
 * to give up (not retryable, or a budget is spent).
 */
export function nextRetryWait(
  policy: WebexRetryPolicy,
  counts: RetryCounts,
  attempt: FailedAttempt,
  random: () => number,
): number | null {
  const { status } = attempt;
  const rateLimit =
    status !== null && RETRY_AFTER_STATUSES.has(status) && counts.rateLimited < policy.maxRateLimitRetries;
  if (rateLimit) {
    counts.rateLimited += 1;
    const asked = retryAfterMs(attempt.retryAfter);
    return asked === null
      ? backoffMs(policy, counts.rateLimited, random)
      : Math.min(asked, policy.maxRetryAfterMs);
  }
  counts.failures += 1;
  const retryable = status === null || status >= 500;
  if (!retryable || counts.failures >= policy.maxAttempts) return null;
  return backoffMs(policy, counts.failures, random);
}
