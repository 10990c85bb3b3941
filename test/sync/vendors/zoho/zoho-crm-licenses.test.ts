import { readFileSync } from 'node:fs';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { VendorApiError } from '../../../../src/errors.js';
import { createLogger } from '../../../../src/log.js';
import type { VendorSnapshot } from '../../../../src/domain/vendor-snapshot.js';
import { createZohoCrmLicensesClient } from '../../../../src/sync/vendors/zoho/zoho-crm-licenses.js';
import { createZohoTokenSource } from '../../../../src/sync/vendors/zoho/zoho-token-source.js';
import { startZohoEmulator, type ZohoEmulator } from '../../../../src/sandbox/vendor-emulators/zoho-emulator.js';
import { startLoopbackServer, type LoopbackServer } from '../../../support/start-loopback-server.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/zoho/${name}`, import.meta.url), 'utf8')) as unknown;

/** A port nothing listens on: a client that ignored `api_domain` would fail with VENDOR_NETWORK. */
const DEAD_API = 'http://127.0.0.1:9';
/** The `api_domain` the emulator hands out: Zoho's EU API host, which `zohoFetch` serves from loopback. */
const ZOHO_EU = 'https://www.zohoapis.eu';

/** Where `zohoFetch` sends requests for an origin (as DNS would in production); others go where they point. */
const routes: Record<string, string> = {};
const zohoFetch: typeof globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  const to = routes[url.origin];
  return globalThis.fetch(to === undefined ? url : new URL(`${url.pathname}${url.search}`, to), init);
};

let emu: ZohoEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  clock = fixedClock('2026-11-22T12:00:00Z');
  emu = await startZohoEmulator({ clock, apiDomain: ZOHO_EU });
  routes[ZOHO_EU] = emu.url;
});
afterEach(async () => {
  await emu.close();
});

function setup(
  o: { perPage?: number; timeoutMs?: number; maxAttempts?: number; apiUrl?: string; orgIdHint?: string } = {},
) {
  const delays: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    return Promise.resolve();
  };
  const tokenSource = createZohoTokenSource({
    accountsUrl: emu.url,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    refreshToken: emu.refreshToken,
    fetch: globalThis.fetch,
    clock,
    sleep,
  });
  const client = createZohoCrmLicensesClient({
    tokenSource,
    apiUrl: o.apiUrl ?? DEAD_API,
    fetch: zohoFetch,
    clock,
    sleep,
    random: () => 0.5,
    timeoutMs: o.timeoutMs ?? 5000,
    ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
    ...(o.perPage === undefined ? {} : { perPage: o.perPage }),
    ...(o.orgIdHint === undefined ? {} : { orgIdHint: o.orgIdHint }),
  });
  return { client, tokenSource, delays };
}

const userPages = (): number[] =>
  emu.requests.filter((r) => r.path === '/crm/v7/users').map((r) => Number(r.query['page']));

/** Error messages must never carry credentials or access tokens. */
function expectNoSecrets(err: unknown): void {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
  const text = `${String(err)} ${JSON.stringify(err)} ${cause}`;
  for (const secret of [emu.refreshToken, emu.clientSecret]) expect(text).not.toContain(secret);
  for (const r of emu.requests) {
    const token = r.authorization?.split(' ')[1];
    if (token !== undefined) expect(text).not.toContain(token);
  }
}

async function failure(p: Promise<unknown>): Promise<VendorApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorApiError);
  expectNoSecrets(err);
  return err as VendorApiError;
}

describe('Zoho CRM licenses client against the emulator', () => {
  it('returns the org pool and every active user as a seat, exactly normalized', async () => {
    const { client } = setup();
    const snap = await client.fetchSnapshot();

    expect(snap.vendor).toBe('zoho_crm');
    expect(snap.connectionId).toBe('default');
    expect(snap.externalOrgId).toBe('20081234567');
    expect(snap.fetchedAt).toBe('2026-11-22T12:00:00.000Z');
    expect(snap.pools).toEqual([
      {
        externalId: '20081234567:user_licenses',
        sourceKind: 'zoho.user_licenses',
        productName: 'Zoho CRM Enterprise',
        sku: 'enterprise',
        licenseModel: 'named_user',
        unit: 'user',
        totalSeats: 25,
        consumedSeats: 20,
        availableSeats: 5,
        startDate: null,
        expiryDate: '2027-06-30T21:59:59.000Z',
        renewalDate: null,
        autoRenew: null,
        state: 'active',
        vendorState: 'paid',
        compliance: 'ok',
        subscriptionRef: null,
        scope: {},
        metered: true,
      },
    ]);
    expect(snap.assignments).toHaveLength(20);
    expect(snap.assignments[0]).toEqual({
      poolExternalId: '20081234567:user_licenses',
      externalId: '20081234567:user_licenses:5725767000000410007',
      assignee: {
        kind: 'user',
        id: '5725767000000410007',
        email: 'ava.thompson@example.com',
        name: 'Ava Thompson',
      },
      seats: 1,
      status: 'active',
      assignedAt: '2025-01-01T03:40:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      external: null,
    });
    expect(snap.assignments.filter((a) => a.status === 'pending').map((a) => a.assignee.email)).toEqual([
      'nora.lindqvist@example.com',
      'omar.farouk@example.com',
    ]);
    // Deactivated people hold no seat.
    expect(snap.assignments.map((a) => a.assignee.email)).not.toContain('paul.meyer@example.com');
    expect(snap.stats).toEqual({ requests: 4, pages: 3, retries: 0 });
  });

  it('calls the API on the api_domain of the token with the Zoho-oauthtoken scheme and asks only for active users', async () => {
    const { client } = setup();
    await client.fetchSnapshot();
    const api = emu.requests.filter((r) => r.path.startsWith('/crm/'));
    expect(api.map((r) => r.path)).toEqual([
      '/crm/v7/org',
      '/crm/v7/__features/user_licenses',
      '/crm/v7/users',
    ]);
    for (const r of api)
      expect(r.authorization).toMatch(/^Zoho-oauthtoken 1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(api[2]?.query).toEqual({ type: 'ActiveUsers', page: '1', per_page: '200' });
  });

  it('falls back to the configured API URL when the token answer has no api_domain', async () => {
    emu.apiDomain = '';
    const { client } = setup({ apiUrl: `${emu.url}/` });
    const snap = await client.fetchSnapshot();
    expect(snap.pools[0]?.totalSeats).toBe(25);
  });

  it.each(['http', 'foreign'] as const)(
    'ignores an api_domain on %s with a warning, and never sends the access token there',
    async (kind) => {
      const spy = await startLoopbackServer((_req, res) => res.end('{}'));
      const seenBySpy: string[] = [];
      routes['https://evil.example.com'] = spy.url;
      try {
        emu.apiDomain = kind === 'http' ? spy.url : 'https://evil.example.com';
        const lines: Record<string, unknown>[] = [];
        const logger = createLogger({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
        const tokenSource = createZohoTokenSource({ accountsUrl: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret, refreshToken: emu.refreshToken, fetch: globalThis.fetch, clock });
        const spyingFetch: typeof globalThis.fetch = (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          if (!url.startsWith(`${emu.url}/`)) seenBySpy.push(url);
          return zohoFetch(input, init);
        };
        const client = createZohoCrmLicensesClient({ tokenSource, apiUrl: emu.url, fetch: spyingFetch, clock, logger });

        const snap = await client.fetchSnapshot();

        expect(snap.assignments).toHaveLength(20);
        expect(seenBySpy).toEqual([]);
        expect(emu.requests.filter((r) => r.path.startsWith('/crm/')).length).toBe(3);
        const warning = lines.find((l) => l['level'] === 40);
        expect(warning).toMatchObject({ vendor: 'zoho_crm', apiDomain: new URL(emu.apiDomain).origin, using: emu.url });
        expect(String(warning?.['msg'])).toContain('not a Zoho API host');
        await client.fetchSnapshot();
        expect(lines.filter((l) => l['level'] === 40)).toHaveLength(1);
      } finally {
        delete routes['https://evil.example.com'];
        await spy.close();
      }
    },
  );

  it('walks users page by page while more_records is true', async () => {
    const { client } = setup({ perPage: 3 });
    const snap = await client.fetchSnapshot();
    expect(userPages()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(snap.assignments).toHaveLength(20);
    expect(new Set(snap.assignments.map((a) => a.assignee.id)).size).toBe(20);
    expect(snap.stats.pages).toBe(2 + 7);
  });

  it('stops on a 204 for an empty user list and reports no seats', async () => {
    emu.data.users = [];
    const { client } = setup();
    const snap = await client.fetchSnapshot();
    expect(snap.assignments).toEqual([]);
    expect(snap.pools[0]).toMatchObject({ totalSeats: 25, consumedSeats: 0, availableSeats: 5 + 20 });
    expect(userPages()).toEqual([1]);
  });

  it('reads the purchased count from `limit` as well as `limits`', async () => {
    emu.licenseField = 'limit';
    const { client } = setup();
    expect((await client.fetchSnapshot()).pools[0]?.totalSeats).toBe(25);
    const raw = await fetch(`${emu.url}/crm/v7/__features/user_licenses`, {
      headers: { authorization: emu.requests.find((r) => r.path.startsWith('/crm/'))?.authorization ?? '' },
    });
    const body = (await raw.json()) as { __features: { details: Record<string, unknown> }[] };
    expect(Object.keys(body.__features[0]?.details ?? {})).toContain('limit');
    expect(Object.keys(body.__features[0]?.details ?? {})).not.toContain('limits');
  });

  it('refuses an org other than the configured one', async () => {
    const { client } = setup({ orgIdHint: '999' });
    expect(client.connectionId).toBe('999');
    const err = await failure(client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_ORG_MISMATCH');
    expect(err.message).toContain('20081234567');
  });
});

describe('Zoho CRM licenses client under faults', () => {
  it('waits out 429s before retrying and then succeeds', async () => {
    emu.faults.set({ status429: { count: 2, retryAfterSec: 3 } });
    const { client, delays } = setup();
    const snap = await client.fetchSnapshot();
    expect(delays).toEqual([3000, 3000]);
    expect(snap.assignments).toHaveLength(20);
    expect(snap.stats.retries).toBe(2);
  });

  it('retries a 500 with backoff and then succeeds', async () => {
    emu.faults.set({ status500: 1 });
    const { client, delays } = setup();
    const snap = await client.fetchSnapshot();
    expect(delays).toEqual([375]);
    expect(snap.pools).toHaveLength(1);
  });

  it('gives up on a persistent 500 with VENDOR_HTTP', async () => {
    emu.faults.set({ status500: 100 });
    const { client, delays } = setup({ maxAttempts: 3 });
    const err = await failure(client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_HTTP');
    expect(err.status).toBe(500);
    expect(delays).toHaveLength(2);
  });

  it('times out a slow answer with VENDOR_TIMEOUT', async () => {
    const { client, tokenSource } = setup({ timeoutMs: 100, maxAttempts: 2 });
    await tokenSource.getToken();
    emu.faults.set({ slowMs: 2000 });
    const err = await failure(client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_TIMEOUT');
  });

  it('rejects malformed JSON with VENDOR_BAD_JSON', async () => {
    emu.faults.set({ malformedJson: 1 });
    const { client } = setup();
    expect((await failure(client.fetchSnapshot())).code).toBe('VENDOR_BAD_JSON');
  });

  it('rejects an answer of the wrong shape with VENDOR_SCHEMA', async () => {
    emu.faults.set({ schemaViolation: 1 });
    const { client } = setup();
    expect((await failure(client.fetchSnapshot())).code).toBe('VENDOR_SCHEMA');
  });

  it('fails the whole snapshot when a middle users page fails, and succeeds once it recovers', async () => {
    emu.faults.set({ failPage: 3 });
    const { client } = setup({ perPage: 5, maxAttempts: 2 });
    const err = await failure(client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_HTTP');
    expect(userPages()).toEqual([1, 2, 3, 3]);
    emu.faults.clear();
    expect((await client.fetchSnapshot()).assignments).toHaveLength(20);
  });
});

describe('Zoho CRM licenses client with documented sample answers', () => {
  let server: LoopbackServer;
  const answers: Record<string, unknown> = {};

  beforeEach(async () => {
    const app = express();
    app.get('/crm/v7/org', (_q, res) => void res.json(answers['org']));
    app.get('/crm/v7/__features/user_licenses', (_q, res) => void res.json(answers['features']));
    app.get(
      '/crm/v7/users',
      (_q, res) =>
        void res
          .status(typeof answers['usersStatus'] === 'number' ? answers['usersStatus'] : 200)
          .json(answers['users']),
    );
    server = await startLoopbackServer(app);
    routes[ZOHO_EU] = server.url;
    answers['org'] = fixture('org.json');
    answers['users'] = fixture('users.active.page-1.json');
    delete answers['usersStatus'];
  });
  afterEach(async () => {
    await server.close();
  });

  async function snapshot(): Promise<VendorSnapshot> {
    return setup().client.fetchSnapshot();
  }

  it('maps the documented `limits` sample, the org licence details and a users page', async () => {
    answers['features'] = fixture('features.user_licenses.json');
    const snap = await snapshot();
    expect(snap.externalOrgId).toBe('4150868000000225013');
    expect(snap.pools[0]).toMatchObject({
      externalId: '4150868000000225013:user_licenses',
      productName: 'Zoho CRM Professional',
      sku: 'professional',
      totalSeats: 10,
      consumedSeats: 7,
      availableSeats: 3,
      expiryDate: '2027-01-15T00:00:00.000Z',
      state: 'expiring',
      compliance: 'ok',
    });
    expect(snap.assignments.map((a) => [a.assignee.email, a.status, a.assignedAt])).toEqual([
      ['priya.shah@example.com', 'active', '2024-05-06T09:15:00.000Z'],
      ['dan.ortiz@example.com', 'pending', '2026-11-20T08:00:00.000Z'],
    ]);
  });

  it('maps the `limit` variant and flags more used than purchased', async () => {
    answers['features'] = fixture('features.user_licenses.limit-variant.json');
    const snap = await snapshot();
    expect(snap.pools[0]).toMatchObject({
      totalSeats: 10,
      consumedSeats: 12,
      availableSeats: 0,
      compliance: 'over_allocated',
    });
  });

  it('marks an org whose paid expiry has passed as expired', async () => {
    answers['features'] = fixture('features.user_licenses.json');
    clock.set('2027-02-01T00:00:00Z');
    const snap = await snapshot();
    expect(snap.pools[0]).toMatchObject({ state: 'expired', vendorState: 'paid' });
  });

  it('reports a missing scope as VENDOR_AUTH without refreshing the token', async () => {
    answers['features'] = fixture('features.user_licenses.json');
    answers['usersStatus'] = 401;
    answers['users'] = {
      code: 'OAUTH_SCOPE_MISMATCH',
      details: {},
      message: 'invalid oauth scope to access this URL',
      status: 'error',
    };
    const err = await failure(snapshot());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 401, vendorCode: 'OAUTH_SCOPE_MISMATCH' });
    expect(emu.tokensIssued).toBe(1);
  });

  it('fails with VENDOR_SCHEMA when a users page is empty yet claims more records', async () => {
    answers['features'] = fixture('features.user_licenses.json');
    answers['users'] = { users: [], info: { per_page: 200, count: 0, page: 1, more_records: true } };
    expect((await failure(snapshot())).code).toBe('VENDOR_SCHEMA');
  });

  it('fails with VENDOR_SCHEMA when the user_licenses feature is missing', async () => {
    answers['features'] = { __features: [] };
    const err = await failure(snapshot());
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toContain('user_licenses');
  });
});
