import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEBEX_RETRY_POLICY as P,
  nextRetryWait,
  type RetryCounts,
} from '../../src/webex/retry-policy.js';

const half = (): number => 0.5;

describe('nextRetryWait (the Webex read retry policy)', () => {
  it('waits Retry-After on 429/423/503 (capped at 60 s), on its own budget of 8', () => {
    const c: RetryCounts = { failures: 0, rateLimited: 0 };
    expect(nextRetryWait(P, c, { status: 429, retryAfter: '3' }, half)).toBe(3000);
    expect(nextRetryWait(P, c, { status: 423, retryAfter: '0.5' }, half)).toBe(500);
    expect(nextRetryWait(P, c, { status: 503, retryAfter: '3600' }, half)).toBe(60_000);
    // No usable Retry-After: backoff by the rate-limit count.
    expect(nextRetryWait(P, c, { status: 429, retryAfter: 'soon' }, half)).toBe(3000);
    expect(c).toEqual({ failures: 0, rateLimited: 4 });
    for (let i = 0; i < 4; i++) nextRetryWait(P, c, { status: 429, retryAfter: '1' }, half);
    // Budget spent: a 429 now counts as a failure and is not retried (not a 5xx).
    expect(nextRetryWait(P, c, { status: 429, retryAfter: '1' }, half)).toBeNull();
  });

  it('backs off 5xx and network errors with equal jitter, up to 5 attempts, and gives up at once on 4xx', () => {
    const c: RetryCounts = { failures: 0, rateLimited: 0 };
    expect(
      [500, null, 502, 504].map((status) => nextRetryWait(P, c, { status, retryAfter: null }, half)),
    ).toEqual([375, 750, 1500, 3000]);
    expect(nextRetryWait(P, c, { status: 500, retryAfter: null }, half)).toBeNull();
    expect(
      nextRetryWait(P, { failures: 0, rateLimited: 0 }, { status: 404, retryAfter: null }, half),
    ).toBeNull();
    expect(
      nextRetryWait(P, { failures: 0, rateLimited: 0 }, { status: 500, retryAfter: null }, () => 0),
    ).toBe(250);
  });
});
