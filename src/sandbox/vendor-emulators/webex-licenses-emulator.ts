import { randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import { demoWebexDataset, type WebexDataset, type WebexEmulatorLicense } from './demo-data/webex.js';
import { createEmulatorFaults, type EmulatorFaults, type EmulatorRequestLogEntry } from './emulator-faults.js';
import { listenOnLoopback, logFinishedRequests } from './emulator-server.js';
import { createWebexTokenRegistry, type WebexTokenRegistry, type WebexTokenRegistryOptions } from './webex-token-registry.js';
import { addWebexLicenseWriteRoutes, type WebexWriteLogEntry } from './webex-license-writes.js';

export interface WebexLicensesEmulatorOptions extends Omit<WebexTokenRegistryOptions, 'clock'> {
  data?: WebexDataset;
  /** Drives token expiry; default the system clock. */
  clock?: Clock;
  /** Max (and default) users per detail page; Webex: 300. */
  maxLimit?: number;
}

export interface WebexLicensesEmulator {
  /** API base to pass as the client's baseUrl, e.g. http://127.0.0.1:PORT/v1 (token endpoint: `{url}/access_token`). */
  url: string;
  origin: string;
  faults: EmulatorFaults;
  /**
   * Access tokens (a fixed `token`, and expiring ones issued for refresh tokens) and the switches that make them
   * fail early. Also over HTTP: `POST /_emulator/tokens` with `{"expireAccessTokens":true}`,
   * `{"expireAccessTokensAfter":N}` or `{"revokeRefreshTokens":true}`.
   */
  tokens: WebexTokenRegistry;
  requests: EmulatorRequestLogEntry[];
  data: WebexDataset;
  /** Every accepted license write (PATCH /licenses/users), in order. */
  writes: WebexWriteLogEntry[];
  close(): Promise<void>;
}

const tokenSwitches = z.strictObject({
  expireAccessTokens: z.boolean().optional(),
  expireAccessTokensAfter: z.number().int().min(0).optional(),
  revokeRefreshTokens: z.boolean().optional(),
});

const AUTH_MESSAGE = 'The request requires a valid access token set in the Authorization request header.';

function trackingId(): string {
  return `ROUTER_${randomUUID().toUpperCase()}`;
}

function webexError(message: string, tid: string): unknown {
  return { message, errors: [{ description: message }], trackingId: tid };
}

/** A router speaking the Webex `/v1/licenses` API as documented (vendor-apis.md section 1). */
export function createWebexLicensesRouter(
  opts: WebexLicensesEmulatorOptions & { data: WebexDataset; faults: EmulatorFaults; tokens: WebexTokenRegistry; writes?: WebexWriteLogEntry[] },
): express.Router {
  const maxLimit = opts.maxLimit ?? 300;
  const cursors = new Map<string, { licenseId: string; offset: number }>();
  /** Per license, the cursor of its page 2 (for the linkLoop fault). */
  const loopCursors = new Map<string, string>();
  const router = express.Router();

  const fail = (res: Response, status: number, message: string): void => {
    const tid = trackingId();
    res.status(status).set('trackingid', tid).json(webexError(message, tid));
  };

  // Refresh-token grant (webex-platform.md section 8); the echoRequestBody fault echoes the form, secrets and all.
  router.post('/access_token', express.urlencoded({ extended: false }), (req, res) => {
    const echo = opts.faults.takeEcho();
    if (echo !== null) {
      const body: unknown = req.body;
      const form = typeof body === 'object' && body !== null ? Object.entries(body as Record<string, unknown>) : [];
      const sent = new URLSearchParams(form.filter((e): e is [string, string] => typeof e[1] === 'string'));
      fail(res, echo, `Invalid request body: ${sent.toString()}`);
      return;
    }
    opts.tokens.handleTokenRequest(req, res);
  });

  router.use((req, res, next) => {
    if (!opts.tokens.authorize(req.get('authorization'))) {
      fail(res, 401, AUTH_MESSAGE);
      return;
    }
    res.set('trackingid', trackingId());
    next();
  });

  const summary = (l: WebexEmulatorLicense): Omit<WebexEmulatorLicense, 'users'> => {
    const { users: _users, ...rest } = l;
    return rest;
  };

  router.get('/licenses', (req, res) => {
    const orgId = typeof req.query['orgId'] === 'string' ? req.query['orgId'] : undefined;
    if (orgId !== undefined && orgId !== opts.data.orgId) {
      fail(res, 403, 'Not authorized to access this organization.');
      return;
    }
    opts.faults.sendJson(res, { items: opts.data.licenses.map(summary) }, { violate: () => ({ items: [{ id: 7, name: ['x'] }] }) });
  });

  router.get('/licenses/:id', (req: Request<{ id: string }>, res) => {
    const license = opts.data.licenses.find((l) => l.id === req.params.id);
    if (license === undefined) {
      fail(res, 404, 'License not found.');
      return;
    }
    if (req.query['includeAssignedTo'] !== 'user') {
      opts.faults.sendJson(res, summary(license));
      return;
    }
    const rawLimit = typeof req.query['limit'] === 'string' ? Number(req.query['limit']) : maxLimit;
    if (!Number.isInteger(rawLimit) || rawLimit < 1) {
      fail(res, 400, 'Invalid limit.');
      return;
    }
    const limit = Math.min(rawLimit, maxLimit);
    let offset = 0;
    const token = req.query['next'];
    if (typeof token === 'string') {
      const c = cursors.get(token);
      if (c === undefined || c.licenseId !== license.id) {
        fail(res, 400, 'Invalid next token.');
        return;
      }
      offset = c.offset;
    }
    const users = opts.faults.pageOf(license.users, offset, limit, (u, i) => ({
      ...u,
      id: `${u.id}-endless-${i}`,
      ...(u.email === undefined ? {} : { email: `endless-${i}.${u.email}` }),
    }));
    const headers: Record<string, string> = {};
    if (opts.faults.hasNextPage(license.users.length, offset, limit)) {
      // linkLoop: past page 1 the link leads back to page 2 (its cursor kept per license) with a junk `_`.
      const junk = opts.faults.loopJunk(offset);
      const mint = (): string => {
        const t = randomBytes(12).toString('base64url');
        cursors.set(t, { licenseId: license.id, offset: offset + limit });
        return t;
      };
      const next = junk === null ? mint() : (loopCursors.get(license.id) ?? mint());
      if (offset === 0) loopCursors.set(license.id, next);
      const q = new URLSearchParams({ includeAssignedTo: 'user', limit: String(limit), next });
      if (junk !== null) q.set('_', String(junk));
      headers['link'] = `<${req.protocol}://${req.get('host') ?? ''}${req.baseUrl}/licenses/${encodeURIComponent(license.id)}?${q.toString()}>; rel="next"`;
    }
    opts.faults.sendJson(
      res,
      { ...summary(license), users },
      { page: Math.floor(offset / limit) + 1, headers, violate: (b) => ({ ...(b as object), users: [{ id: null, type: 'ROBOT' }] }) },
    );
  });

  addWebexLicenseWriteRoutes(router, {
    data: opts.data,
    faults: opts.faults,
    writes: opts.writes ?? [],
    fail: (res, status, message, extra = {}) => {
      const tid = trackingId();
      res.status(status).set('trackingid', tid).json({ ...(webexError(message, tid) as object), ...extra });
    },
  });

  router.use((_req, res) => fail(res, 404, 'The requested resource could not be found.'));
  return router;
}

/** Starts the emulator on 127.0.0.1 (random port). */
export async function startWebexLicensesEmulator(opts: WebexLicensesEmulatorOptions): Promise<WebexLicensesEmulator> {
  const data = opts.data ?? demoWebexDataset();
  const clock = opts.clock ?? systemClock;
  const faults = createEmulatorFaults({
    errorBody: (_status, message) => webexError(message, trackingId()),
    errorHeaders: () => ({ trackingid: trackingId() }),
  });
  const tokens = createWebexTokenRegistry({ ...opts, clock });
  const requests: EmulatorRequestLogEntry[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(logFinishedRequests(requests, clock));
  app.post('/_emulator/tokens', express.json(), (req, res) => {
    const parsed = tokenSwitches.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    if (parsed.data.expireAccessTokens === true) tokens.expireAccessTokens();
    if (parsed.data.expireAccessTokensAfter !== undefined) tokens.expireAccessTokensAfter(parsed.data.expireAccessTokensAfter);
    if (parsed.data.revokeRefreshTokens === true) tokens.revokeRefreshTokens();
    res.status(204).end();
  });
  app.use(faults.middleware);
  const writes: WebexWriteLogEntry[] = [];
  app.use('/v1', createWebexLicensesRouter({ ...opts, data, faults, tokens, writes }));
  const { origin, close } = await listenOnLoopback(app, faults);
  return {
    url: `${origin}/v1`,
    origin,
    faults,
    tokens,
    requests,
    data,
    writes,
    close,
  };
}
