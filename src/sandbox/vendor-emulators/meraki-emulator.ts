import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { systemClock, type Clock } from '../../clock.js';
import { demoMerakiDataset, type MerakiDataset, type MerakiEmulatorLicense, type MerakiEmulatorOrg } from './demo-data/meraki.js';
import { createEmulatorFaults, type EmulatorFaults, type EmulatorRequestLogEntry } from './emulator-faults.js';
import { listenOnLoopback, logFinishedRequests } from './emulator-server.js';

export interface MerakiEmulatorOptions {
  /** The API key accepted as `Authorization: Bearer <key>` or `X-Cisco-Meraki-API-Key: <key>`. */
  apiKey: string;
  data?: MerakiDataset;
  /** Requests per second per organization before 429 (Meraki: 10); 0 turns the limit off. */
  rateLimitPerSecond?: number;
  /** Page size when the caller sends no perPage (Meraki: 1000). */
  defaultPerPage?: number;
  clock?: Clock;
}

export interface MerakiEmulator {
  /** API base to pass as the client's baseUrl, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  origin: string;
  faults: EmulatorFaults;
  requests: EmulatorRequestLogEntry[];
  data: MerakiDataset;
  /** Change the per-org limit at run time (0 = off). */
  setRateLimit(perSecond: number): void;
  close(): Promise<void>;
}

const merakiError = (message: string): unknown => ({ errors: [message] });
const MAX_CURSORS = 10_000;

/** A router speaking the Meraki Dashboard licensing API as documented (vendor-apis.md section 2). */
export function createMerakiRouter(opts: MerakiEmulatorOptions & { data: MerakiDataset; faults: EmulatorFaults; rateLimit: () => number }): express.Router {
  const clock = opts.clock ?? systemClock;
  const cursors = new Map<string, { route: string; offset: number }>();
  const hits = new Map<string, number[]>();
  /** Per listing, the token of its page 2 (for the linkLoop fault). */
  const loopTokens = new Map<string, string>();
  const router = express.Router();
  const fail = (res: Response, status: number, message: string): void => {
    res.status(status).json(merakiError(message));
  };

  router.use((req, res, next) => {
    const bearer = req.get('authorization');
    const header = req.get('x-cisco-meraki-api-key');
    if (bearer !== `Bearer ${opts.apiKey}` && header !== opts.apiKey) {
      fail(res, 401, 'Invalid API key');
      return;
    }
    next();
  });

  // 10 requests per second per organization, sliding window.
  router.use((req, res, next) => {
    const limit = opts.rateLimit();
    if (limit <= 0) {
      next();
      return;
    }
    const fromPath = /^\/organizations\/([^/]+)/.exec(req.path)?.[1];
    const key = fromPath ?? new URL(req.originalUrl, 'http://x').searchParams.get('organizationIds[]') ?? 'caller';
    const now = clock.now().getTime();
    const recent = (hits.get(key) ?? []).filter((t) => t > now - 1000);
    if (recent.length >= limit) {
      hits.set(key, recent);
      res.status(429).set('retry-after', '1').json(merakiError('API rate limit exceeded for organization'));
      return;
    }
    recent.push(now);
    hits.set(key, recent);
    next();
  });

  /**
   * Serves `items` a page at a time with Meraki's unquoted first/prev/next/last Link header and opaque tokens.
   * Under endlessPaging the pages past the end hold `madeUp` copies; under linkLoop the next link of every page
   * after the first is page 2's token again plus a junk `_` parameter.
   */
  const paged = <T>(req: Request, res: Response, route: string, items: readonly T[], madeUp: (item: T, i: number) => T): void => {
    const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    const perPage = url.searchParams.has('perPage') ? Number(url.searchParams.get('perPage')) : (opts.defaultPerPage ?? 1000);
    if (!Number.isInteger(perPage) || perPage < 3 || perPage > 1000) {
      fail(res, 400, "'perPage' must be an integer between 3 and 1000");
      return;
    }
    const token = url.searchParams.get('startingAfter') ?? url.searchParams.get('endingBefore');
    let offset = 0;
    if (token !== null) {
      const c = cursors.get(token);
      if (c === undefined || c.route !== route) {
        fail(res, 400, 'Invalid pagination token');
        return;
      }
      offset = c.offset;
    }
    const mint = (at: number): string => {
      const t = randomBytes(9).toString('base64url');
      if (cursors.size >= MAX_CURSORS) cursors.delete(cursors.keys().next().value as string);
      cursors.set(t, { route, offset: at });
      return t;
    };
    const link = (param: 'startingAfter' | 'endingBefore' | null, at: number, token?: string, junk: number | null = null): string => {
      const u = new URL(url);
      u.searchParams.delete('startingAfter');
      u.searchParams.delete('endingBefore');
      u.searchParams.delete('_');
      u.searchParams.set('perPage', String(perPage));
      if (param !== null) u.searchParams.set(param, token ?? mint(at));
      if (junk !== null) u.searchParams.set('_', String(junk));
      return `<${u.toString()}>`;
    };
    const parts = [`${link(null, 0)}; rel=first`];
    if (offset > 0) parts.push(`${link('endingBefore', Math.max(0, offset - perPage))}; rel=prev`);
    if (opts.faults.hasNextPage(items.length, offset, perPage)) {
      const junk = opts.faults.loopJunk(offset);
      const nextToken = (junk === null ? undefined : loopTokens.get(route)) ?? mint(offset + perPage);
      if (offset === 0) loopTokens.set(route, nextToken);
      parts.push(`${link('startingAfter', offset + perPage, nextToken, junk)}; rel=next`);
      if (offset + perPage < items.length) parts.push(`${link('endingBefore', Math.floor((items.length - 1) / perPage) * perPage)}; rel=last`);
    }
    opts.faults.sendJson(res, opts.faults.pageOf(items, offset, perPage, madeUp), {
      page: Math.floor(offset / perPage) + 1,
      headers: { link: parts.join(', ') },
      violate: (b) => (b as unknown[]).map((x, i) => (i === 0 ? { ...(x as object), id: 12345, state: 'sleeping' } : x)),
    });
  };

  const findOrg = (req: Request<{ orgId: string }>, res: Response): MerakiEmulatorOrg | undefined => {
    const org = opts.data.orgs.find((o) => o.id === req.params.orgId);
    if (org === undefined) fail(res, 404, 'Not found');
    return org;
  };
  const orgJson = (o: MerakiEmulatorOrg): unknown => ({
    id: o.id,
    name: o.name,
    url: `https://n1.meraki.com/o/${o.id}/manage/organization/overview`,
    api: { enabled: true },
    licensing: o.licensing,
    cloud: { region: { name: 'North America', host: { name: 'United States' } } },
    management: { details: [] },
  });

  const copyWithId = <T extends { id: unknown }>(item: T, i: number): T => ({ ...item, id: `endless-${i}` });
  router.get('/organizations', (req, res) => paged(req, res, 'orgs', opts.data.orgs.map(orgJson), (o) => o));

  router.get('/organizations/:orgId', (req: Request<{ orgId: string }>, res) => {
    const org = findOrg(req, res);
    if (org !== undefined) opts.faults.sendJson(res, orgJson(org), { violate: (b) => ({ ...(b as object), licensing: { model: 42 } }) });
  });

  router.get('/organizations/:orgId/licenses/overview', (req: Request<{ orgId: string }>, res) => {
    const org = findOrg(req, res);
    if (org === undefined) return;
    if (org.licensing.model === 'co-term') {
      opts.faults.sendJson(res, org.cotermOverview ?? { status: 'OK', expirationDate: 'N/A', licensedDeviceCounts: {} }, {
        violate: (b) => ({ ...(b as object), licensedDeviceCounts: ['MS'] }),
      });
    } else if (org.licensing.model === 'per-device') {
      opts.faults.sendJson(res, perDeviceOverview(org.licenses ?? []), { violate: (b) => ({ ...(b as object), licenseTypes: 'many' }) });
    } else {
      fail(res, 400, 'Organization does not support co-term or per-device licensing');
    }
  });

  router.get('/organizations/:orgId/licenses', (req: Request<{ orgId: string }>, res) => {
    const org = findOrg(req, res);
    if (org === undefined) return;
    if (org.licensing.model !== 'per-device') {
      fail(res, 400, 'Organization does not support per-device licensing');
      return;
    }
    const q = new URL(req.originalUrl, 'http://x').searchParams;
    const serial = q.get('deviceSerial');
    const network = q.get('networkId');
    const state = q.get('state');
    const all = org.licenses ?? [];
    const items =
      serial === null && network === null && state === null
        ? all
        : all.filter((l) => (serial === null || l.deviceSerial === serial) && (network === null || l.networkId === network) && (state === null || l.state === state));
    paged(req, res, `licenses:${org.id}:${serial}:${network}:${state}`, items, copyWithId);
  });

  router.get('/administered/licensing/subscription/subscriptions', (req, res) => {
    const q = new URL(req.originalUrl, 'http://x').searchParams;
    const orgIds = q.getAll('organizationIds[]');
    if (orgIds.length === 0) {
      fail(res, 400, "'organizationIds' must be specified");
      return;
    }
    const statuses = q.getAll('statuses[]');
    const items = opts.data.subscriptions
      .filter((s) => s.organizationIds.some((id) => orgIds.includes(id)))
      .map((s) => s.subscription)
      .filter((s) => statuses.length === 0 || statuses.includes(s.status));
    paged(req, res, `subs:${orgIds.join(',')}:${statuses.join(',')}`, items, (sub, i) => ({ ...sub, subscriptionId: `endless-${i}` }));
  });

  router.use((_req, res) => fail(res, 404, 'Not found'));
  return router;
}

function perDeviceOverview(licenses: readonly MerakiEmulatorLicense[]): unknown {
  const states: Record<string, { count: number }> = {};
  for (const s of ['active', 'expired', 'expiring', 'recentlyQueued', 'unused', 'unusedActive']) states[s] = { count: 0 };
  const unassigned = new Map<string, number>();
  const sm = { totalSeats: 0, activeSeats: 0, unassignedSeats: 0, orgwideEnrolledDevices: 0 };
  for (const l of licenses) {
    states[l.state]!.count++;
    if (l.state === 'expired') continue;
    if (/^SM\b/i.test(l.licenseType)) {
      const seats = l.seatCount ?? 0;
      sm.totalSeats += seats;
      if (l.networkId !== null) sm.activeSeats += seats;
      else sm.unassignedSeats += seats;
      continue;
    }
    unassigned.set(l.licenseType, (unassigned.get(l.licenseType) ?? 0) + (l.deviceSerial === null ? 1 : 0));
  }
  return {
    licenseCount: licenses.length,
    states,
    licenseTypes: [...unassigned].map(([licenseType, n]) => ({ licenseType, counts: { unassigned: n } })),
    systemsManager: { counts: sm },
  };
}

/** Starts the emulator on 127.0.0.1 (random port). */
export async function startMerakiEmulator(opts: MerakiEmulatorOptions): Promise<MerakiEmulator> {
  const data = opts.data ?? demoMerakiDataset();
  const clock = opts.clock ?? systemClock;
  let rateLimit = opts.rateLimitPerSecond ?? 10;
  const faults = createEmulatorFaults({ errorBody: (_status, message) => merakiError(message) });
  const requests: EmulatorRequestLogEntry[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(logFinishedRequests(requests, clock));
  app.use(faults.middleware);
  app.use('/api/v1', createMerakiRouter({ ...opts, data, faults, rateLimit: () => rateLimit }));
  const { origin, close } = await listenOnLoopback(app, faults);
  return {
    url: `${origin}/api/v1`,
    origin,
    faults,
    requests,
    data,
    setRateLimit: (n) => {
      rateLimit = n;
    },
    close,
  };
}
