import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { generateWebexDataset, type WebexDataset } from '../../../../src/sandbox/vendor-emulators/demo-data/webex.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import type { AccessTokenSource } from '../../../../src/sync/http/access-token-source.js';
import { createWebexLicensesClient, type WebexLicensesClientSettings } from '../../../../src/sync/vendors/webex/webex-licenses.js';
import { createWebexTokenSource } from '../../../../src/sync/vendors/webex/webex-token-source.js';
import { caughtVendorError } from '../../../support/caught-vendor-error.js';

const TOKEN = 'webex-admin-TOKEN-do-not-leak-42';
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/webex-licenses/small-org.dataset.json', import.meta.url), 'utf8')) as WebexDataset;
const clock = fixedClock('2025-06-01T12:00:00Z');

describe('Webex licenses client', () => {
  let emu: WebexLicensesEmulator;
  let big: WebexLicensesEmulator;
  let sleeps: number[];

  beforeAll(async () => {
    emu = await startWebexLicensesEmulator({ token: TOKEN, data: fixture });
    big = await startWebexLicensesEmulator({ token: TOKEN, data: generateWebexDataset({ licenses: 2, users: 700 }) });
  });
  afterAll(async () => {
    await emu.close();
    await big.close();
  });
  beforeEach(() => {
    sleeps = [];
  });
  afterEach(() => {
    emu.faults.clear();
    big.faults.clear();
    emu.requests.length = 0;
    big.requests.length = 0;
  });

  function client(target: WebexLicensesEmulator, extra: Partial<WebexLicensesClientSettings> & { token?: string } = {}): ReturnType<typeof createWebexLicensesClient> {
    return createWebexLicensesClient({
      baseUrl: target.url,
      orgId: target.data.orgId,
      fetch: globalThis.fetch,
      clock,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      ...extra,
      token: extra.token ?? TOKEN,
    });
  }

  it('maps every license to a pool and every user to an assignment', async () => {
    const snap = await client(emu).fetchSnapshot();
    expect(snap).toMatchObject({ vendor: 'webex', connectionId: fixture.orgId, externalOrgId: fixture.orgId, fetchedAt: '2025-06-01T12:00:00.000Z' });
    const common = { sku: null, licenseModel: 'named_user', unit: 'user', sourceKind: 'webex.license', startDate: null, expiryDate: null, renewalDate: null, autoRenew: null, state: 'active', vendorState: null };
    expect(snap.pools).toEqual([
      {
        ...common,
        externalId: 'LIC-MEET',
        productName: 'Meeting - Webex Meeting Center',
        totalSeats: 50,
        consumedSeats: 2,
        availableSeats: 48,
        compliance: 'ok',
        subscriptionRef: 'Sub-hydraOct26a',
        scope: { siteUrl: 'site1-example.webex.com', siteType: 'Control Hub managed site' },
        metered: true,
      },
      {
        ...common,
        externalId: 'LIC-CALL',
        productName: 'Webex Calling - Professional',
        totalSeats: 2,
        consumedSeats: 3,
        availableSeats: 0,
        compliance: 'over_allocated',
        subscriptionRef: 'Sub-hydraOct26a',
        scope: {},
        metered: true,
      },
      {
        ...common,
        externalId: 'LIC-HYBRID',
        productName: 'Hybrid - Call Aware',
        totalSeats: 1,
        consumedSeats: 0,
        availableSeats: 1,
        compliance: 'ok',
        subscriptionRef: null,
        scope: {},
        metered: false,
      },
    ]);
    const seat = { seats: 1, status: 'active', assignedAt: null, expiresAt: null, lastUsedAt: null };
    expect(snap.assignments).toEqual([
      { ...seat, poolExternalId: 'LIC-MEET', externalId: 'LIC-MEET:PERSON-A', assignee: { kind: 'user', id: 'PERSON-A', email: 'alice@example.com', name: 'Alice Martin' }, external: false },
      { ...seat, poolExternalId: 'LIC-MEET', externalId: 'LIC-MEET:PERSON-D', assignee: { kind: 'user', id: 'PERSON-D', email: 'dan@partner.example', name: 'Dan Partner' }, external: true },
      { ...seat, poolExternalId: 'LIC-CALL', externalId: 'LIC-CALL:PERSON-A', assignee: { kind: 'user', id: 'PERSON-A', email: 'alice@example.com', name: 'Alice Martin' }, external: false },
      { ...seat, poolExternalId: 'LIC-CALL', externalId: 'LIC-CALL:PERSON-B', assignee: { kind: 'user', id: 'PERSON-B', email: null, name: 'Bob Nguyen' }, external: null },
    ]);
    expect(snap.stats).toEqual({ requests: 4, pages: 4, retries: 0 });
    expect(emu.requests[0]!.url).toBe(`/v1/licenses?orgId=${fixture.orgId}`);
    expect(emu.requests.slice(1).every((r) => r.url.includes('includeAssignedTo=user') && r.url.includes('limit=300'))).toBe(true);
  });

  it('lists the caller\'s own org when no orgId is configured and calls the connection "default"', async () => {
    const c = client(emu, { orgId: null });
    expect(c.connectionId).toBe('default');
    const snap = await c.fetchSnapshot();
    expect(snap.externalOrgId).toBeNull();
    expect(emu.requests[0]!.url).toBe('/v1/licenses');
  });

  it('follows rel="next" across pages of 300 users until all 700 are read', async () => {
    const snap = await client(big).fetchSnapshot();
    expect(snap.assignments).toHaveLength(1400);
    for (const pool of snap.pools) {
      const ids = snap.assignments.filter((a) => a.poolExternalId === pool.externalId).map((a) => a.assignee.id);
      expect(new Set(ids).size).toBe(700);
    }
    expect(big.requests.filter((r) => r.url.includes('next='))).toHaveLength(4);
    expect(snap.stats).toMatchObject({ requests: 7, pages: 7 });
  });

  it('keeps at most `concurrency` license requests in flight', async () => {
    const many = await startWebexLicensesEmulator({ token: TOKEN, data: generateWebexDataset({ licenses: 12, users: 5 }) });
    many.faults.set({ slowMs: 15 });
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    try {
      const snap = await client(many, { fetch: counting, concurrency: 4 }).fetchSnapshot();
      expect(snap.pools).toHaveLength(12);
      expect(peak).toBe(4);
    } finally {
      await many.close();
    }
  });

  it('waits the Retry-After a 429 asks for, then completes the snapshot', async () => {
    emu.faults.set({ status429: { count: 1, retryAfterSec: 7 } });
    const snap = await client(emu).fetchSnapshot();
    expect(sleeps).toEqual([7000]);
    expect(snap.assignments).toHaveLength(4);
    expect(snap.stats.retries).toBe(1);
  });

  it('retries a 500 once and completes', async () => {
    emu.faults.set({ status500: 1 });
    const snap = await client(emu).fetchSnapshot();
    expect(snap.pools).toHaveLength(3);
    expect(sleeps).toHaveLength(1);
  });

  it('fails with VENDOR_HTTP on persistent 500s, tracking id kept, token not shown', async () => {
    emu.faults.set({ status500: 100 });
    const err = await caughtVendorError(client(emu).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500, vendor: 'webex' });
    expect(err.trackingId).toMatch(/^ROUTER_/);
    expect(err.message).not.toContain(TOKEN);
    expect(emu.requests).toHaveLength(4);
  });

  it('fails with VENDOR_TIMEOUT when the API is slower than timeoutMs', async () => {
    emu.faults.set({ slowMs: 400 });
    const err = await caughtVendorError(client(emu, { timeoutMs: 40, maxAttempts: 2 }).fetchSnapshot());
    expect(err.code).toBe('VENDOR_TIMEOUT');
  });

  it('fails with VENDOR_BAD_JSON on a truncated body', async () => {
    emu.faults.set({ malformedJson: 1 });
    expect((await caughtVendorError(client(emu).fetchSnapshot())).code).toBe('VENDOR_BAD_JSON');
  });

  it('fails with VENDOR_SCHEMA when the list has the wrong shape, naming the path', async () => {
    emu.faults.set({ schemaViolation: 1 });
    const err = await caughtVendorError(client(emu).fetchSnapshot());
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toContain('items.0.id');
  });

  it('fails with VENDOR_SCHEMA when a users page has the wrong shape', async () => {
    let served = 0;
    const breakSecond: typeof fetch = async (input, init) => {
      served++;
      if (served === 3) big.faults.set({ schemaViolation: 1 });
      return globalThis.fetch(input, init);
    };
    const err = await caughtVendorError(client(big, { fetch: breakSecond, concurrency: 1 }).fetchSnapshot());
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toContain('users.0');
  });

  it('throws instead of returning a partial snapshot when a middle users page keeps failing', async () => {
    big.faults.set({ failPage: 2 });
    const err = await caughtVendorError(client(big).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500 });
    expect(big.requests.some((r) => r.url.includes('next=') && r.status === 500)).toBe(true);
  });

  it('maps a wrong token to VENDOR_AUTH with the Webex message, never echoing the token', async () => {
    const err = await caughtVendorError(client(emu, { token: `${TOKEN}-wrong` }).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 401 });
    expect(err.message).toContain('valid access token');
    expect(err.message).not.toContain(TOKEN);
    expect(emu.requests).toHaveLength(1);
  });

  it('with a refreshing token source, a token refused even when fresh is VENDOR_AUTH naming the scope, after one retry', async () => {
    let refreshes = 0;
    const stubborn: AccessTokenSource = {
      renewable: true,
      getToken: () => Promise.resolve(`not-a-live-token-${refreshes}`),
      invalidate: () => void refreshes++,
      secrets: () => [],
      stats: { refreshes: 0, requests: 0, retries: 0 },
    };
    const err = await caughtVendorError(
      createWebexLicensesClient({ baseUrl: emu.url, tokenSource: stubborn, orgId: emu.data.orgId, fetch: globalThis.fetch, clock }).fetchSnapshot(),
    );
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 401 });
    expect(err.message).toMatch(/refused a freshly refreshed access token .*spark-admin:licenses_read/);
    expect(refreshes).toBe(1);
    expect(emu.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it('expires issued access tokens over the emulator admin route, as Webex revoking them early', async () => {
    const ts = createWebexTokenSource({ apiUrl: emu.url, clientId: emu.tokens.clientId, clientSecret: emu.tokens.clientSecret, refreshToken: emu.tokens.refreshToken, fetch: globalThis.fetch, clock });
    const c = createWebexLicensesClient({ baseUrl: emu.url, tokenSource: ts, orgId: emu.data.orgId, fetch: globalThis.fetch, clock });
    await c.fetchSnapshot();
    const post = (body: string): Promise<Response> => fetch(`${emu.origin}/_emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('{"expireAccessTokens": "yes"}')).status).toBe(400);
    expect((await post('{"expireAccessTokens": true}')).status).toBe(204);
    emu.requests.length = 0;
    await c.fetchSnapshot();
    expect(emu.requests.slice(0, 3).map((r) => [r.url.split('?')[0], r.status])).toEqual([
      ['/v1/licenses', 401],
      ['/v1/access_token', 200],
      ['/v1/licenses', 200],
    ]);
    expect(ts.stats.refreshes).toBe(2);
  });

  it('takes a fault plan over the emulator admin route and refuses a malformed one', async () => {
    const bad = await fetch(`${emu.origin}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status500": "lots"}' });
    expect(bad.status).toBe(400);
    expect(emu.faults.plan).toEqual({});
    const ok = await fetch(`${emu.origin}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status500": 2}' });
    expect(ok.status).toBe(200);
    const snap = await client(emu).fetchSnapshot();
    expect(snap.stats.retries).toBe(2);
    expect(emu.faults.plan.status500).toBe(0);
    expect((await fetch(`${emu.origin}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(emu.faults.plan).toEqual({});
  });

  it('syncs the sandbox demo org', async () => {
    const demo = await startWebexLicensesEmulator({ token: TOKEN });
    try {
      const snap = await client(demo).fetchSnapshot();
      expect(snap.pools.map((p) => [p.productName, p.metered])).toEqual([
        ['Meeting - Webex Meeting Center', true],
        ['Webex Calling - Professional', true],
        ['Messaging', true],
        ['Hybrid - Call Aware', false],
      ]);
      expect(snap.assignments).toHaveLength(10);
    } finally {
      await demo.close();
    }
  });

  it('maps another org to VENDOR_AUTH (403)', async () => {
    const err = await caughtVendorError(client(emu, { orgId: 'someone-else' }).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 403 });
  });
});
