import type { Clock } from '../../clock.js';
import { VendorApiError } from '../../errors.js';
import { untilAborted } from './until-aborted.js';

export interface TokenCacheOptions<T extends { accessToken: string }> {
  /** 'webex' | 'zoho_crm', for the abort error. */
  vendor: string;
  clock: Clock;
  /** Refresh this long before the token's lifetime runs out (at most half its lifetime). */
  marginMs: number;
  /** Fetches a new token and says how many seconds it lives (`expires_in`). */
  refresh: () => Promise<{ token: T; lifetimeSec: number }>;
}

/** An access token cached until shortly before it expires; refreshes are serialised. */
export interface TokenCache<T> {
  /**
   * The cached token, or a fresh one. Concurrent callers share one refresh; a caller's `signal` only stops that
   * caller from waiting (the shared refresh runs on, bounded by its own timeouts).
   */
  get(signal?: AbortSignal): Promise<T>;
  /** Drops the cached token if it is still `accessToken` (a newer one is kept), e.g. after a 401. */
  invalidate(accessToken: string): void;
}

/** The cache-and-serialise half of an OAuth refresh-token source, shared by the Webex and Zoho token sources. */
export function createTokenCache<T extends { accessToken: string }>(o: TokenCacheOptions<T>): TokenCache<T> {
  let cached: { token: T; refreshAt: number } | null = null;
  let inFlight: Promise<T> | null = null;
  const aborted = (): VendorApiError => new VendorApiError(o.vendor, 'VENDOR_ABORTED', 'token refresh aborted');

  return {
    get(signal) {
      if (signal?.aborted === true) return Promise.reject(aborted());
      if (cached !== null && o.clock.now().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
      if (inFlight === null) {
        inFlight = o
          .refresh()
          .then(({ token, lifetimeSec }) => {
            const lifetimeMs = lifetimeSec * 1000;
            cached = { token, refreshAt: o.clock.now().getTime() + lifetimeMs - Math.min(o.marginMs, lifetimeMs / 2) };
            return token;
          })
          .finally(() => {
            inFlight = null;
          });
      }
      return untilAborted(inFlight, signal, aborted);
    },
    invalidate(accessToken) {
      if (cached?.token.accessToken === accessToken) cached = null;
    },
  };
}
