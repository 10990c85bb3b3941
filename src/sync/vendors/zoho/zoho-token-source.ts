import { z } from 'zod';
import { systemClock, type Clock } from '../../../clock.js';
import { VendorApiError } from '../../../errors.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions } from '../../http/http-json-types.js';
import { scrubSecrets } from '../../http/scrub-secrets.js';
import { secretsOf } from '../../http/secrets-of.js';
import { createTokenCache } from '../../http/token-cache.js';
import { postRefreshGrant, refreshGrantForm } from '../../http/post-refresh-grant.js';
import { ZOHO_HOSTS } from './zoho-hosts.js';

/** An access token and the data centre's API base it belongs to (Zoho's `api_domain`). */
export interface ZohoAccessToken {
  accessToken: string;
  /** `api_domain` from the token answer (e.g. https://www.zohoapis.eu), or null when Zoho sent none. */
  apiDomain: string | null;
}

/** Hands out a cached Zoho access token, refreshing it (one refresh in flight at a time) when needed. */
export interface ZohoTokenSource {
  getToken(signal?: AbortSignal): Promise<ZohoAccessToken>;
  /** Drops the cached token if it is still `accessToken` (a newer one is kept), e.g. after INVALID_TOKEN. */
  invalidate(accessToken: string): void;
  readonly stats: { refreshes: number; requests: number; retries: number };
}

export interface ZohoTokenSourceOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://accounts.zoho.eu (see ZOHO_DCS in config-env.ts). */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  clock?: Clock;
  /** Refresh this long before `expires_in` runs out (at most half the lifetime); default 5 minutes. */
  refreshMarginMs?: number;
}

const VENDOR = 'zoho_crm';
const DEFAULT_MARGIN_MS = 5 * 60_000;

/**
 * The token endpoint answers HTTP 200 both for a token and for a refusal ("Access Denied" when the per-refresh-token
 * cap is reached, `invalid_code` for a bad refresh token), so both shapes are accepted and told apart here.
 */
const tokenAnswer = z.union([
  z.object({
    access_token: z.string().min(1),
    expires_in: z.number().positive().optional(),
    /** Older answers carried seconds here and milliseconds in `expires_in`. */
    expires_in_sec: z.number().positive().optional(),
    api_domain: z.string().optional(),
    token_type: z.string().optional(),
  }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

function apiDomainOf(v: string | undefined): string | null {
  if (v === undefined) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** A refusal the token endpoint answered with HTTP 200; `clean` scrubs what it echoes (before it is cut short). */
function refusal(error: string, description: string | undefined, clean: (text: string) => string): VendorApiError {
  const said = clean(description === undefined ? error : `${error}: ${description}`);
  const code = clean(error);
  const text = said.length > 200 ? `${said.slice(0, 200)}…` : said;
  if (/access denied|too many/i.test(said)) {
    return new VendorApiError(
      VENDOR,
      'VENDOR_RATE_LIMITED',
      `token refresh refused (${text}); Zoho caps access tokens per refresh token (10 per 10 minutes), try again later`,
      { vendorCode: code },
    );
  }
  const hint =
    error === 'invalid_code'
      ? 'the refresh token is invalid or revoked; check ZOHO_REFRESH_TOKEN and that ZOHO_DC is the data centre it was issued in'
      : /client/i.test(error)
        ? 'check ZOHO_CLIENT_ID / ZOHO_CLIENT_SECRET and ZOHO_DC'
        : 'check the Zoho OAuth settings';
  return new VendorApiError(VENDOR, 'VENDOR_AUTH', `token refresh refused (${text}): ${hint}`, {
    vendorCode: code,
  });
}

/** OAuth refresh-token flow against `{accounts}/oauth/v2/token` (vendor-apis.md 3.3). */
export function createZohoTokenSource(options: ZohoTokenSourceOptions): ZohoTokenSource {
  const {
    accountsUrl,
    clientId,
    clientSecret,
    refreshToken,
    clock = systemClock,
    refreshMarginMs,
    ...httpOptions
  } = options;
  const margin = refreshMarginMs ?? DEFAULT_MARGIN_MS;
  const knownSecrets = [clientSecret, refreshToken, ...(httpOptions.knownSecrets ?? [])];
  const allowedHostSuffixes = [...ZOHO_HOSTS.accounts, ...(httpOptions.allowedHostSuffixes ?? [])];
  const http = new HttpJson({ ...httpOptions, vendor: VENDOR, clock, knownSecrets, allowedHostSuffixes });
  const tokenUrl = `${accountsUrl.replace(/\/+$/, '')}/oauth/v2/token`;
  const stats = { refreshes: 0, requests: 0, retries: 0 };

  async function refresh(): Promise<{ token: ZohoAccessToken; lifetimeSec: number }> {
    stats.refreshes++;
    // Form body rather than the query string the docs show (both are accepted).
    const body = refreshGrantForm({ clientId, clientSecret, refreshToken });
    const data = await postRefreshGrant(http, tokenUrl, body, tokenAnswer, stats);
    if ('error' in data) {
      const secrets = secretsOf({ url: tokenUrl, body }, knownSecrets);
      throw refusal(data.error, data.error_description, (text) => scrubSecrets(text, secrets));
    }
    const lifetimeSec = data.expires_in_sec ?? data.expires_in ?? 3600;
    return { token: { accessToken: data.access_token, apiDomain: apiDomainOf(data.api_domain) }, lifetimeSec };
  }

  const cache = createTokenCache({ vendor: VENDOR, clock, marginMs: margin, refresh });
  return {
    stats,
    getToken: (signal) => cache.get(signal),
    invalidate: (accessToken) => cache.invalidate(accessToken),
  };
}
