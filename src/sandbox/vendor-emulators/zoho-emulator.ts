import { randomBytes } from 'node:crypto';
import express, { type Response } from 'express';
import { systemClock, type Clock } from '../../clock.js';
import { createEmulatorFaults, type EmulatorFaults } from './emulator-faults.js';
import { listenOnLoopback, logRequestsWithAuth, queryOf, type AuthRequestLogEntry } from './emulator-server.js';
import { zohoDemoData, type ZohoDemoData, type ZohoDemoUser } from './demo-data/zoho.js';

export interface ZohoEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  data?: ZohoDemoData;
  /** Drives token expiry; default the system clock. */
  clock?: Clock;
  /** `expires_in` of issued access tokens, default 3600. */
  tokenLifetimeSec?: number;
  /** `api_domain` returned with tokens; default the emulator's own origin. */
  apiDomain?: string;
  /** Zoho's cap: at most this many tokens per refresh token per 10 minutes (default 10); 0 = no cap. */
  tokensPer10Min?: number;
}

export interface ZohoEmulator {
  /** Accounts and API origin (token endpoint /oauth/v2/token, API /crm/v7/...). */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly data: ZohoDemoData;
  readonly requests: AuthRequestLogEntry[];
  /**
   * Injected faults for the CRM API (/crm/...); the token endpoint takes only `echoRequestBody` from them and is
   * otherwise steered by `refreshCapReached`.
   */
  readonly faults: EmulatorFaults;
  /** Tokens issued so far. */
  readonly tokensIssued: number;
  /** When true the token endpoint answers HTTP 200 + "Access Denied" (the per-refresh-token cap). */
  refreshCapReached: boolean;
  /** Which key `__features/user_licenses` uses for the purchased count: 'limits' (documented sample) or 'limit'. */
  licenseField: 'limits' | 'limit';
  /** When true every access token, even a fresh one, is refused with 401 INVALID_TOKEN (as from another data centre). */
  tokensRejected: boolean;
  /** `api_domain` handed out with new tokens. */
  apiDomain: string;
  /** Every issued access token stops working (401 INVALID_TOKEN) from now on. */
  expireAllTokens(): void;
  close(): Promise<void>;
}

const TOKEN_WINDOW_MS = 10 * 60_000;

const zohoErrorBody = (code: string, message: string): unknown => ({
  code,
  details: {},
  message,
  status: 'error',
});

function zohoError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json(zohoErrorBody(code, message));
}

const INJECTED_CODES: Record<number, string> = { 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_ERROR' };

function publicUser(u: ZohoDemoUser): ZohoDemoUser {
  return { ...u, profile: { ...u.profile }, role: { ...u.role } };
}

/** A Zoho accounts + CRM API emulator on 127.0.0.1, shaped as in vendor-apis.md section 3. */
export async function startZohoEmulator(options: ZohoEmulatorOptions = {}): Promise<ZohoEmulator> {
  const clock = options.clock ?? systemClock;
  const lifetimeSec = options.tokenLifetimeSec ?? 3600;
  const cap = options.tokensPer10Min ?? 10;
  const tokens = new Map<string, number>();
  const issuedAt: number[] = [];
  const requests: AuthRequestLogEntry[] = [];
  const app = express();
  const faults = createEmulatorFaults({
    errorBody: (status, message) => zohoErrorBody(INJECTED_CODES[status] ?? 'INTERNAL_ERROR', message),
  });

  const emu: { -readonly [K in keyof ZohoEmulator]: ZohoEmulator[K] } = {
    url: '',
    clientId: options.clientId ?? '1000.DEMOCLIENT0000000000000000000',
    clientSecret: options.clientSecret ?? 'demo-client-secret-0000000000000000000000',
    refreshToken:
      options.refreshToken ?? '1000.demorefresh00000000000000000000.demorefresh00000000000000000000',
    data: options.data ?? zohoDemoData(),
    requests,
    faults,
    tokensIssued: 0,
    refreshCapReached: false,
    tokensRejected: false,
    licenseField: 'limits',
    apiDomain: '',
    expireAllTokens(): void {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    close: (): Promise<void> => Promise.resolve(),
  };

  app.use(logRequestsWithAuth(requests));
  app.use((req, res, next) => (req.path.startsWith('/oauth/') ? next() : faults.middleware(req, res, next)));

  app.post('/oauth/v2/token', express.urlencoded({ extended: false }), (req, res) => {
    const body: unknown = req.body;
    const form = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const param = (k: string): string | undefined => {
      const v = req.query[k] ?? form[k];
      return typeof v === 'string' ? v : undefined;
    };
    const echo = faults.takeEcho();
    if (echo !== null) {
      // A token endpoint that echoes the request in its error, secrets and all (the echoRequestBody fault).
      const sent = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
      return void res.status(echo).json({ error: 'invalid_request', error_description: `Invalid request body: ${sent.toString()}` });
    }
    // Zoho answers refusals with HTTP 200 and an `error` body.
    if (param('grant_type') !== 'refresh_token') return void res.json({ error: 'unsupported_grant_type' });
    if (param('client_id') !== emu.clientId) return void res.json({ error: 'invalid_client' });
    if (param('client_secret') !== emu.clientSecret) return void res.json({ error: 'invalid_client_secret' });
    if (param('refresh_token') !== emu.refreshToken) return void res.json({ error: 'invalid_code' });
    const now = clock.now().getTime();
    while (issuedAt.length > 0 && (issuedAt[0] ?? 0) <= now - TOKEN_WINDOW_MS) issuedAt.shift();
    if (emu.refreshCapReached || (cap > 0 && issuedAt.length >= cap)) {
      return void res.json({
        error: 'Access Denied',
        error_description: 'You have made too many requests continuously. Please try again after some time.',
      });
    }
    const token = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    tokens.set(token, now + lifetimeSec * 1000);
    issuedAt.push(now);
    emu.tokensIssued++;
    res.json({
      access_token: token,
      scope: 'ZohoCRM.features.READ ZohoCRM.org.READ ZohoCRM.users.READ',
      api_domain: emu.apiDomain,
      token_type: 'Bearer',
      expires_in: lifetimeSec,
    });
  });

  const api = express.Router();
  api.use((req, res, next) => {
    const auth = req.get('authorization') ?? '';
    const m = /^Zoho-oauthtoken\s+(\S+)$/.exec(auth);
    if (m === null) return zohoError(res, 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
    const expiresAt = tokens.get(m[1] ?? '');
    if (emu.tokensRejected || expiresAt === undefined || expiresAt <= clock.now().getTime()) {
      return zohoError(res, 401, 'INVALID_TOKEN', 'invalid oauth token');
    }
    next();
  });
  api.get('/:version/org', (_req, res) => {
    faults.sendJson(res, {
      org: [{ ...emu.data.org, license_details: { ...emu.data.org.license_details } }],
    });
  });
  api.get('/:version/__features/user_licenses', (_req, res) => {
    const total = emu.data.org.license_details.users_license_purchased;
    const used = emu.data.users.filter((u) => u.status === 'active').length;
    faults.sendJson(res, {
      __features: [
        {
          components: null,
          api_name: 'user_licenses',
          parent_feature: null,
          module_supported: false,
          details: {
            available_count: { total: Math.max(0, total - used) },
            used_count: { total: used },
            [emu.licenseField]: { total },
          },
          feature_label: 'UserLicenses',
        },
      ],
    });
  });
  api.get('/:version/users', (req, res) => {
    const q = queryOf(req);
    const type = q['type'] ?? 'AllUsers';
    const filters: Record<string, (u: ZohoDemoUser) => boolean> = {
      AllUsers: () => true,
      ActiveUsers: (u) => u.status === 'active',
      DeactiveUsers: (u) => u.status === 'disabled',
      NotConfirmedUsers: (u) => !u.confirm,
      ActiveConfirmedUsers: (u) => u.status === 'active' && u.confirm,
      AdminUsers: (u) => u.profile.name === 'Administrator',
    };
    const filter = filters[type];
    if (filter === undefined) return zohoError(res, 400, 'INVALID_DATA', 'invalid data');
    const page = Number(q['page'] ?? '1');
    const perPage = Number(q['per_page'] ?? '200');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 200) {
      return zohoError(res, 400, 'INVALID_DATA', 'invalid data');
    }
    const all = emu.data.users.filter(filter);
    // linkLoop: the page number is ignored, page 1 comes back every time with more_records still true.
    const served = faults.plan.linkLoop === true ? 1 : page;
    const slice = faults.pageOf(all, (served - 1) * perPage, perPage, (u, i) => ({
      ...publicUser(u),
      id: String(9_000_000_000_000 + i),
      zuid: String(9_000_000_000 + i),
      email: `endless-${i}.${u.email}`,
    }));
    if (slice.length === 0) {
      if (faults.plan.failPage === page)
        return zohoError(res, 500, 'INTERNAL_ERROR', `Internal server error (injected on page ${page})`);
      return void res.status(204).end();
    }
    faults.sendJson(
      res,
      {
        users: slice.map(publicUser),
        info: { per_page: perPage, count: slice.length, page, more_records: faults.hasNextPage(all.length, (served - 1) * perPage, perPage) },
      },
      { page },
    );
  });
  app.use('/crm', api);
  app.use((_req, res) =>
    zohoError(res, 404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'),
  );

  const listening = await listenOnLoopback(app, faults);
  emu.url = listening.origin;
  emu.apiDomain = options.apiDomain ?? emu.url;
  emu.close = listening.close;
  return emu;
}
