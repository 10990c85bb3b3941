import type { AccessTokenSource } from './access-token-source.js';

/** A token that never changes (WEBEX_LICENSES_TOKEN): nothing to refresh, a 401 is final. */
export function fixedTokenSource(token: string): AccessTokenSource {
  return {
    getToken: () => Promise.resolve(token),
    invalidate: () => undefined,
    renewable: false,
    secrets: () => [token],
    stats: { refreshes: 0, requests: 0, retries: 0 },
  };
}
