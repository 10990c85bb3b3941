import { z } from 'zod';
import { systemClock, type Clock } from '../../../clock.js';
import { VendorApiError } from '../../../errors.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions } from '../../http/http-json-types.js';
import type { PersistedSecret } from '../../http/persisted-secret.js';
import { createTokenCache } from '../../http/token-cache.js';
import { postRefreshGrant, refreshGrantForm } from '../../http/post-refresh-grant.js';
import type { AccessTokenSource } from '../../http/access-token-source.js';
import { WEBEX_API_HOSTS } from './webex-api-hosts.js';

export interface WebexTokenSourceOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** The API base, e.g. https://webexapis.com/v1: tokens are refreshed at `{apiUrl}/access_token`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** WEBEX_LICENSES_REFRESH_TOKEN, as configured. */
  refreshToken: string;
  /**
   * Keeps a refresh token Webex rotated across restarts (store/secret-file.ts in DATA_DIR); it loads only one that
   * descends from `refreshToken`, so a new env value wins. Without it a rotated token lives in memory only.
   */
  persisted?: PersistedSecret;
  clock?: Clock;
  /** Refresh this long before `expires_in` runs out (at most half the lifetime); default 5 minutes. */
  refreshMarginMs?: number;
}

const VENDOR = 'webex';
const DEFAULT_MARGIN_MS = 5 * 60_000;
const REFRESH_KEY = 'WEBEX_LICENSES_REFRESH_TOKEN';
const CLIENT_KEYS = 'WEBEX_LICENSES_CLIENT_ID and WEBEX_LICENSES_CLIENT_SECRET';

/** `POST /v1/access_token` answer (webex-platform.md section 8). */
const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().optional(),
  token_type: z.string().optional(),
});

/** RFC 6749 error codes; Webex wraps its identity broker's (`error = 'invalid_grant'`) in its own error body. */
const OAUTH_ERROR = /\b(invalid_grant|invalid_client|unauthorized_client|invalid_request|invalid_scope|unsupported_grant_type)\b/;

/** Which refresh token was sent: the configured one, or one Webex issued since (rotated, kept in DATA_DIR). */
type RefreshOrigin = 'env' | 'rotated';

/**
 * A refused refresh (HTTP 4xx) as a VENDOR_AUTH error naming what to fix; anything else (5xx, 429, network,
 * timeouts, a 2xx of the wrong shape) passes as it is.
 */
function refusal(err: unknown, origin: RefreshOrigin): unknown {
  if (!(err instanceof VendorApiError) || err.status === null || err.status < 400 || err.status >= 500 || err.status === 429) return err;
  const code = (err.vendorCode !== null && OAUTH_ERROR.test(err.vendorCode) ? err.vendorCode : OAUTH_ERROR.exec(err.message)?.[1]) ?? null;
  const track = err.trackingId === null ? '' : ` (trackingId ${err.trackingId})`;
  const which = origin === 'rotated' ? `, the rotated one Webex issued after ${REFRESH_KEY}` : '';
  let message: string;
  if (code === 'invalid_grant') {
    message = `Webex refused the refresh token (invalid_grant${which}): create a new one and set ${REFRESH_KEY}`;
  } else if (code === 'invalid_client' || code === 'unauthorized_client' || (code === null && err.status === 401)) {
    message = `Webex refused the client credentials (${code ?? `HTTP ${err.status}`}): check ${CLIENT_KEYS}`;
  } else {
    message = `Webex refused the token refresh (${code ?? `HTTP ${err.status}`}): check ${CLIENT_KEYS} and ${REFRESH_KEY}`;
  }
  return new VendorApiError(VENDOR, 'VENDOR_AUTH', `${message}${track}`, {
    status: err.status,
    vendorCode: code ?? err.vendorCode,
    trackingId: err.trackingId,
    cause: err,
  });
}

/**
 * Access tokens for Webex admin reads from an integration's or service app's refresh token (vendor-apis.md 1.2,
 * webex-platform.md 8): `POST {apiUrl}/access_token` with a form body, the token cached until shortly before
 * `expires_in`, refreshes serialised, a rotated refresh token kept (and persisted) as the one to use next.
 * No token or secret is ever logged or put into an error.
 */
export function createWebexTokenSource(options: WebexTokenSourceOptions): AccessTokenSource {
  const { apiUrl, clientId, clientSecret, refreshToken, persisted, clock = systemClock, refreshMarginMs, ...httpOptions } = options;
  const log = httpOptions.logger?.child({ vendor: VENDOR });
  const allowedHostSuffixes = [...WEBEX_API_HOSTS, ...(httpOptions.allowedHostSuffixes ?? [])];
  const known = new Set([clientSecret, refreshToken, ...(httpOptions.knownSecrets ?? [])]);
  const http = new HttpJson({ ...httpOptions, vendor: VENDOR, clock, allowedHostSuffixes, knownSecrets: [...known] });
  const tokenUrl = `${apiUrl.replace(/\/+$/, '')}/access_token`;
  const stats = { refreshes: 0, requests: 0, retries: 0 };
  let current: { token: string; origin: RefreshOrigin } | null = null;

  /** The refresh token to send: on first use the persisted one (if it descends from the env one), else the env one. */
  async function currentRefreshToken(): Promise<{ token: string; origin: RefreshOrigin }> {
    if (current !== null) return current;
    let saved: string | null = null;
    try {
      saved = (await persisted?.load()) ?? null;
    } catch (err) {
      log?.warn({ err }, `could not read the saved Webex refresh token; using ${REFRESH_KEY}`);
    }
    current = saved !== null && saved !== refreshToken ? { token: saved, origin: 'rotated' } : { token: refreshToken, origin: 'env' };
    if (current.origin === 'rotated') known.add(current.token);
    return current;
  }

  async function keepRotated(token: string): Promise<void> {
    current = { token, origin: 'rotated' };
    known.add(token);
    if (persisted === undefined) {
      log?.info('Webex rotated the refresh token; the new one is kept in memory only (no DATA_DIR given)');
      return;
    }
    try {
      await persisted.save(token);
      log?.info('Webex rotated the refresh token; saved the new one in DATA_DIR');
    } catch (err) {
      log?.error({ err }, `Webex rotated the refresh token but it could not be saved in DATA_DIR; after a restart ${REFRESH_KEY} is used again`);
    }
  }

  async function refresh(): Promise<{ token: { accessToken: string }; lifetimeSec: number }> {
    stats.refreshes++;
    const sent = await currentRefreshToken();
    const form = refreshGrantForm({ clientId, clientSecret, refreshToken: sent.token });
    let data: z.infer<typeof tokenAnswer>;
    try {
      data = await postRefreshGrant(http, tokenUrl, form, tokenAnswer, stats);
    } catch (err) {
      throw refusal(err, sent.origin);
    }
    if (data.refresh_token !== undefined && data.refresh_token !== sent.token) await keepRotated(data.refresh_token);
    const lifetimeSec = data.expires_in ?? 3600;
    log?.debug({ expiresInSec: lifetimeSec, refreshTokenExpiresInSec: data.refresh_token_expires_in ?? null }, 'refreshed the Webex access token');
    return { token: { accessToken: data.access_token }, lifetimeSec };
  }

  const cache = createTokenCache({ vendor: VENDOR, clock, marginMs: refreshMarginMs ?? DEFAULT_MARGIN_MS, refresh });
  return {
    renewable: true,
    stats,
    getToken: async (signal) => (await cache.get(signal)).accessToken,
    invalidate: (accessToken) => cache.invalidate(accessToken),
    secrets: () => [...known],
  };
}
