/** Where a vendor client gets the bearer token for its API calls: fixed, or refreshed as it expires. */
export interface AccessTokenSource {
  /** The token to send now (cached, or fresh: concurrent callers share one refresh). */
  getToken(signal?: AbortSignal): Promise<string>;
  /** The API refused `accessToken` (401): drop it, unless a newer one is already cached. */
  invalidate(accessToken: string): void;
  /** Whether a refused token can be replaced by a fresh one (false for a fixed token: a 401 is final). */
  readonly renewable: boolean;
  /** Every credential in play now (client secret, refresh tokens), for the scrubber of errors and logs. */
  secrets(): string[];
  /** Refreshes, and the HTTP requests and retries they took. */
  readonly stats: { refreshes: number; requests: number; retries: number };
}
