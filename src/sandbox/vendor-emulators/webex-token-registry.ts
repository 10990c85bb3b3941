import { randomBytes, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '../../clock.js';

export interface WebexTokenRegistryOptions {
  /** A fixed admin token accepted for ever (a personal or pasted admin token); none by default. */
  token?: string;
  /** The integration or service app whose refresh tokens `POST /v1/access_token` takes; random by default. */
  clientId?: string;
  clientSecret?: string;
  /** The first live refresh token (what an operator puts into WEBEX_LICENSES_REFRESH_TOKEN); random by default. */
  refreshToken?: string;
  /** `expires_in` of issued access tokens; default 300 (short, so expiry is exercised). */
  tokenLifetimeSec?: number;
  /** `refresh_token_expires_in`; default 7776000 (90 days, as Webex). */
  refreshTokenLifetimeSec?: number;
  /** Each refresh issues a new refresh token and retires the one used (default true). */
  rotateRefreshTokens?: boolean;
  clock: Clock;
}

/** Access and refresh tokens of the Webex emulator, with switches to make them fail early. */
export interface WebexTokenRegistry {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The first refresh token (dead after its first use while rotation is on). */
  readonly refreshToken: string;
  /** Access tokens issued so far. */
  readonly tokensIssued: number;
  /** Refresh requests refused with invalid_grant so far. */
  readonly refreshesRefused: number;
  /** Whether `authorization` carries a live token (counts down `expireAccessTokensAfter`). */
  authorize(authorization: string | undefined): boolean;
  /** `POST /v1/access_token` (form body) as Webex answers it. */
  handleTokenRequest(req: Request, res: Response): void;
  /** Every issued access token stops working now: the API answers 401 until the client refreshes. */
  expireAccessTokens(): void;
  /** After `n` more authorised requests with an issued token, every issued access token stops working. */
  expireAccessTokensAfter(n: number): void;
  /** Every refresh token stops working: refreshes answer 400 invalid_grant. */
  revokeRefreshTokens(): void;
  /** A new live refresh token, as if an admin authorised the app again (e.g. to put into the env). */
  issueRefreshToken(): string;
  /** The refresh tokens that work now. */
  liveRefreshTokens(): string[];
}

const hex = (n: number): string => randomBytes(n).toString('hex');

/** Webex wraps its identity broker's OAuth errors in its usual error body (observed shape, not documented). */
function oauthError(res: Response, status: number, error: string, description: string): void {
  const tid = `ROUTER_${randomUUID().toUpperCase()}`;
  const message =
    `POST failed: HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'} (url = https://idbroker.webex.com/idb/oauth2/v1/access_token, ` +
    `request/response TrackingId = ${tid}, error = '${error}', description = '${description}')`;
  res.status(status).set('trackingid', tid).json({ message, errors: [{ description: message }], trackingId: tid });
}

export function createWebexTokenRegistry(o: WebexTokenRegistryOptions): WebexTokenRegistry {
  const lifetimeSec = o.tokenLifetimeSec ?? 300;
  const refreshLifetimeSec = o.refreshTokenLifetimeSec ?? 7_776_000;
  const rotate = o.rotateRefreshTokens ?? true;
  const now = (): number => o.clock.now().getTime();
  /** token -> expiry (ms since the epoch); an expired or revoked token is set to 0. */
  const access = new Map<string, number>();
  const refresh = new Map<string, number>();
  let expireAfter: number | null = null;
  let issued = 0;
  let refused = 0;

  const mintRefresh = (): string => {
    const t = `wx-rt-${hex(24)}`;
    refresh.set(t, now() + refreshLifetimeSec * 1000);
    return t;
  };
  const expireAll = (): void => {
    for (const t of access.keys()) access.set(t, 0);
  };
  const first = o.refreshToken ?? mintRefresh();
  refresh.set(first, now() + refreshLifetimeSec * 1000);
  const clientId = o.clientId ?? `C${hex(16)}`;
  const clientSecret = o.clientSecret ?? `wx-cs-${hex(24)}`;

  return {
    clientId,
    clientSecret,
    refreshToken: first,
    get tokensIssued() {
      return issued;
    },
    get refreshesRefused() {
      return refused;
    },
    authorize(authorization) {
      const m = /^Bearer\s+(\S+)$/.exec(authorization ?? '');
      const token = m?.[1];
      if (token === undefined) return false;
      if (o.token !== undefined && token === o.token) return true;
      if (expireAfter !== null && expireAfter <= 0) {
        expireAll();
        expireAfter = null;
      }
      const ok = (access.get(token) ?? 0) > now();
      if (ok && expireAfter !== null) expireAfter--;
      return ok;
    },
    handleTokenRequest(req, res) {
      const body: unknown = req.body;
      const form = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const param = (k: string): string | undefined => (typeof form[k] === 'string' ? form[k] : undefined);
      if (param('grant_type') !== 'refresh_token') {
        return oauthError(res, 400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
      }
      if (param('client_id') !== clientId || param('client_secret') !== clientSecret) {
        return oauthError(res, 401, 'invalid_client', 'The client authentication failed.');
      }
      const used = param('refresh_token') ?? '';
      if ((refresh.get(used) ?? 0) <= now()) {
        refused++;
        return oauthError(res, 400, 'invalid_grant', 'The refresh token provided is expired, revoked, malformed, or invalid.');
      }
      let next = used;
      if (rotate) {
        refresh.delete(used);
        next = mintRefresh();
      }
      const token = `wx-at-${hex(24)}`;
      access.set(token, now() + lifetimeSec * 1000);
      issued++;
      res.json({
        access_token: token,
        expires_in: lifetimeSec,
        refresh_token: next,
        refresh_token_expires_in: Math.max(0, Math.round(((refresh.get(next) ?? 0) - now()) / 1000)),
      });
    },
    expireAccessTokens: expireAll,
    expireAccessTokensAfter(n) {
      expireAfter = n;
    },
    revokeRefreshTokens() {
      for (const t of refresh.keys()) refresh.set(t, 0);
    },
    issueRefreshToken: mintRefresh,
    liveRefreshTokens() {
      return [...refresh].filter(([, exp]) => exp > now()).map(([t]) => t);
    },
  };
}
