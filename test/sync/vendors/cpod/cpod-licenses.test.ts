import { readFileSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { VendorApiError } from '../../../../src/errors.js';
import type { VendorSnapshot } from '../../../../src/domain/vendor-snapshot.js';
import {
  createCpodLicensesClient,
  type CpodLicensesClientOptions,
} from '../../../../src/sync/vendors/cpod/cpod-licenses.js';
import { startCpodEmulator, type CpodEmulator } from '../../../../src/sandbox/vendor-emulators/cpod-emulator.js';
import {
  CPOD_DEMO_TENANT,
  CPOD_LICENSE_IDS as L,
  cpodDemoJwt,
} from '../../../../src/sandbox/vendor-emulators/demo-data/cpod.js';
import { startLoopbackServer, type LoopbackServer } from '../../../support/start-loopback-server.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/cpod/${name}`, import.meta.url), 'utf8')) as unknown;

const clock = fixedClock('2026-11-22T12:00:00Z');
let emu: CpodEmulator;

beforeEach(async () => {
  emu = await startCpodEmulator();
});
afterEach(async () => {
  await emu.close();
});

function setup(o: Partial<CpodLicensesClientOptions> = {}) {
  const delays: number[] = [];
  const client = createCpodLicensesClient({
    baseUrl: emu.url,
    token: emu.token,
    fetch: globalThis.fetch,
    clock,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    timeoutMs: 5000,
    ...o,
  });
  return { client, delays };
}

async function failure(p: Promise<unknown>, token = emu.token): Promise<VendorApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorApiError);
  expect(`${String(err)} ${JSON.stringify(err)}`).not.toContain(token);
  return err as VendorApiError;
}

const listCalls = (path: string) => emu.requests.filter((r) => r.path === path);
const byPool = (s: VendorSnapshot): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const a of s.assignments) (out[a.poolExternalId] ??= []).push(a.status);
  return out;
};
const withoutStats = (s: VendorSnapshot): Omit<VendorSnapshot, 'stats'> => {
  const { stats: _stats, ...rest } = s;
  return rest;
};

describe('cPod licenses client against the emulator', () => {
  it('returns every live license and held seat, exactly normalized', async () => {
    const { client } = setup();
    expect(client.connectionId).toBe(CPOD_DEMO_TENANT);
    const snap = await client.fetchSnapshot();
    expect(snap).toMatchObject({
      vendor: 'cpod',
      connectionId: CPOD_DEMO_TENANT,
      externalOrgId: CPOD_DEMO_TENANT,
      fetchedAt: '2026-11-22T12:00:00.000Z',
    });
    expect(snap.pools[0]).toEqual({
      externalId: L.acrobat,
      sourceKind: 'cpod.software_license',
      productName: 'Adobe Acrobat Pro',
      sku: '65324099BA01A12',
      licenseModel: 'named_user',
      unit: 'user',
      totalSeats: 30,
      consumedSeats: 24,
      availableSeats: 6,
      startDate: '2025-04-01T00:00:00.000Z',
      expiryDate: '2027-03-31T23:59:59.000Z',
      renewalDate: '2027-03-01T00:00:00.000Z',
      autoRenew: true,
      state: 'active',
      vendorState: 'active',
      compliance: 'ok',
      subscriptionRef: 'PO-2025-0412',
      scope: {},
      metered: true,
      // list_price 239.88 less the negotiated 25 %, in the currency `cost` names.
      seatPrice: { amount: 179.91, currency: 'USD' },
    });
    expect(
      snap.pools.map((p) => [
        p.productName,
        p.licenseModel,
        p.totalSeats,
        p.consumedSeats,
        p.state,
        p.compliance,
      ]),
    ).toEqual([
      ['Adobe Acrobat Pro', 'named_user', 30, 24, 'active', 'ok'],
      ['JetBrains All Products', 'concurrent', 10, 7, 'active', 'ok'],
      ['Figma Professional', 'named_user', 8, 9, 'expiring', 'over_allocated'],
      ['Slack Enterprise Grid', 'site', null, 1, 'active', 'ok'],
      ['Jira Software Cloud Premium', 'named_user', 50, 12, 'expiring', 'under_utilized'],
    ]);
    // Soft-deleted Sketch license and its seats, the soft-deleted and the revoked Acrobat seats are all left out.
    expect(snap.pools.map((p) => p.externalId)).not.toContain(L.sketch);
    const statuses = byPool(snap);
    expect(Object.keys(statuses)).toEqual([L.acrobat, L.jetbrains, L.figma, L.slack, L.jira]);
    expect(statuses[L.acrobat]).toEqual(Array(24).fill('active'));
    expect(statuses[L.figma]).toEqual([...Array(9).fill('active'), 'pending']);
    expect(statuses[L.jira]).toHaveLength(12);
    expect(snap.assignments.find((a) => a.poolExternalId === L.slack)).toEqual({
      poolExternalId: L.slack,
      externalId: 'lca_01JBX700000000000000000044',
      assignee: { kind: 'group', id: 'grp_01JBX8ALLEMPLOYEES0000000', email: null, name: null },
      seats: 1,
      status: 'active',
      assignedAt: '2026-03-18T09:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      external: null,
    });
    expect(snap.assignments).toHaveLength(24 + 7 + 10 + 1 + 12);
  });

  it.each(['link', 'envelope', 'data-next-url'] as const)(
    'walks every page in the %s paging style',
    async (style) => {
      const reference = await setup().client.fetchSnapshot();
      emu.requests.length = 0;
      emu.paging = style;
      const snap = await setup({ pageSize: 5 }).client.fetchSnapshot();
      expect(withoutStats(snap)).toEqual(withoutStats(reference));
      expect(listCalls('/api/v1/licenses')).toHaveLength(2);
      expect(listCalls('/api/v1/licenses/assignments')).toHaveLength(12);
      expect(snap.stats).toEqual({ requests: 14, pages: 14, retries: 0 });
    },
  );

  it('gives the same snapshot when the server hides soft-deleted records itself', async () => {
    const reference = await setup().client.fetchSnapshot();
    emu.hideDeleted = true;
    expect(withoutStats(await setup().client.fetchSnapshot())).toEqual(withoutStats(reference));
  });

  it('refuses a bad token with VENDOR_AUTH and does not echo it', async () => {
    const token = cpodDemoJwt('ten_someone_else');
    const err = await failure(setup({ token }).client.fetchSnapshot(), token);
    expect(err.code).toBe('VENDOR_AUTH');
    expect(err.status).toBe(401);
  });

  it('refuses records of a tenant other than the one in the JWT', async () => {
    await emu.close();
    const token = cpodDemoJwt('ten_other');
    emu = await startCpodEmulator({ tokens: [token] });
    const err = await failure(setup({ token }).client.fetchSnapshot(), token);
    expect(err.code).toBe('VENDOR_TENANT_MISMATCH');
  });

  it('uses a configured connection id over the JWT tenant', async () => {
    const { client } = setup({ connectionId: CPOD_DEMO_TENANT });
    expect((await client.fetchSnapshot()).connectionId).toBe(CPOD_DEMO_TENANT);
    expect(setup({ token: 'not-a-jwt' }).client.connectionId).toBe('default');
  });

  it('fails with VENDOR_SCHEMA naming a live record it cannot map', async () => {
    const jira = emu.data.licenses.find((l) => l.id === L.jira)!;
    jira.license_type = 'per_core';
    const err = await failure(setup().client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toContain(L.jira);
    jira.license_type = 'named_user';
    (jira as unknown as Record<string, unknown>)['total_seats'] = 'fifty';
    const err2 = await failure(setup().client.fetchSnapshot());
    expect(err2.code).toBe('VENDOR_SCHEMA');
    expect(err2.message).toMatch(/total_seats/);
  });
});

describe('cPod licenses client under faults', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    emu.faults.set({ status429: { count: 2, retryAfterSec: 2 } });
    const { client, delays } = setup();
    const snap = await client.fetchSnapshot();
    expect(delays).toEqual([2000, 2000]);
    expect(snap.stats.retries).toBe(2);
    expect(snap.pools).toHaveLength(5);
  });

  it('retries a 500 with backoff and then succeeds', async () => {
    emu.faults.set({ status500: 1 });
    const { client, delays } = setup();
    expect((await client.fetchSnapshot()).assignments).toHaveLength(54);
    expect(delays).toEqual([375]);
  });

  it('gives up on a persistent 500 with VENDOR_HTTP', async () => {
    emu.faults.set({ status500: 100 });
    const { client, delays } = setup({ maxAttempts: 4 });
    const err = await failure(client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_HTTP');
    expect(err.status).toBe(500);
    expect(delays).toHaveLength(3);
  });

  it('times out a slow answer with VENDOR_TIMEOUT', async () => {
    emu.faults.set({ slowMs: 2000 });
    const err = await failure(setup({ timeoutMs: 100, maxAttempts: 2 }).client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_TIMEOUT');
  });

  it('rejects malformed JSON with VENDOR_BAD_JSON', async () => {
    emu.faults.set({ malformedJson: 1 });
    expect((await failure(setup().client.fetchSnapshot())).code).toBe('VENDOR_BAD_JSON');
  });

  it.each(['envelope', 'link'] as const)(
    'rejects a wrongly shaped %s page with VENDOR_SCHEMA',
    async (style) => {
      emu.paging = style;
      emu.faults.set({ schemaViolation: 1 });
      expect((await failure(setup().client.fetchSnapshot())).code).toBe('VENDOR_SCHEMA');
    },
  );

  it('fails the whole snapshot when a middle page fails, and reads no further', async () => {
    emu.faults.set({ failPage: 2 });
    const err = await failure(setup({ pageSize: 5, maxAttempts: 2 }).client.fetchSnapshot());
    expect(err.code).toBe('VENDOR_HTTP');
    const cursors = listCalls('/api/v1/licenses').map((r) => r.query['cursor'] ?? null);
    expect(cursors).toHaveLength(3);
    expect(new Set(cursors.slice(1)).size).toBe(1);
    expect(listCalls('/api/v1/licenses/assignments')).toEqual([]);
  });
});

describe('cPod licenses client with other plausible list shapes', () => {
  let server: LoopbackServer;
  let base: string;
  let answer: (req: Request, res: Response) => void;
  const seen: string[] = [];

  beforeEach(async () => {
    seen.length = 0;
    const app = express();
    app.use((req, res) => {
      seen.push(req.originalUrl);
      answer(req, res);
    });
    server = await startLoopbackServer(app);
    base = server.url;
  });
  afterEach(async () => {
    await server.close();
  });

  const client = () =>
    createCpodLicensesClient({
      baseUrl: `${base}/`,
      token: cpodDemoJwt('ten_01JC00000000000000000TEST'),
      fetch: globalThis.fetch,
      clock,
      sleep: () => Promise.resolve(),
    });

  it('reads `results` + `nextCursor` pages and a bare assignments array, mapping each field', async () => {
    answer = (req, res) => {
      if (req.path === '/api/v1/licenses/assignments') return void res.json(fixture('assignments.list.json'));
      res.json(
        fixture(req.query['cursor'] === 'cGFnZS0y' ? 'licenses.list.page-2.json' : 'licenses.list.json'),
      );
    };
    const snap = await client().fetchSnapshot();
    expect(seen).toEqual([
      '/api/v1/licenses?limit=100',
      '/api/v1/licenses?limit=100&cursor=cGFnZS0y',
      '/api/v1/licenses/assignments?limit=100',
    ]);
    expect(snap.externalOrgId).toBe('ten_01JC00000000000000000TEST');
    expect(
      snap.pools.map((p) => [
        p.externalId.slice(-3),
        p.licenseModel,
        p.unit,
        p.totalSeats,
        p.consumedSeats,
        p.availableSeats,
        p.state,
        p.vendorState,
        p.compliance,
      ]),
    ).toEqual([
      ['AAA', 'named_user', 'user', 5, 2, 3, 'active', 'active', 'ok'],
      ['BBB', 'concurrent', 'seat', 2, 3, -1, 'expiring', 'expiring_soon', 'over_allocated'],
      ['CCC', 'site', 'seat', null, 40, null, 'active', 'active', 'unknown'],
    ]);
    expect(snap.pools[0]).toMatchObject({
      startDate: '2025-02-28T23:00:00.000Z',
      renewalDate: null,
      subscriptionRef: 'EA-4471',
      sku: 'VISIOCLIENT',
    });
    expect(snap.pools[1]).toMatchObject({ sku: null, autoRenew: null, subscriptionRef: null });
    expect(
      snap.assignments.map((a) => [
        a.externalId.slice(-1),
        a.assignee.kind,
        a.assignee.email,
        a.status,
        a.assignedAt,
        a.expiresAt,
      ]),
    ).toEqual([
      ['1', 'user', 'kai.lange@example.com', 'active', '2026-04-01T09:00:00.000Z', null],
      ['2', 'user', null, 'active', '2026-04-02T09:00:00.000Z', '2026-12-31T23:59:59.000Z'],
      ['3', 'group', null, 'pending', '2026-04-03T09:00:00.000Z', null],
    ]);
  });

  it('follows an unquoted relative Link, a `data` + `next` URL and a `next_page_token`', async () => {
    const [a, b] = (fixture('licenses.list.json') as { results: unknown[] }).results;
    answer = (req, res) => {
      if (req.path === '/api/v1/licenses/assignments') {
        if (req.query['cursor'] === undefined) return void res.json({ items: [], next_page_token: 'tok-2' });
        return void res.json({ items: [], next_page_token: null });
      }
      if (req.query['p'] === '2') return void res.json({ data: [b], next: null });
      if (req.query['p'] === '1') return void res.json({ data: [], next: `${base}/api/v1/licenses?p=2` });
      res.set('link', '</api/v1/licenses?p=1>; rel=next').json([a]);
    };
    const snap = await client().fetchSnapshot();
    expect(snap.pools.map((p) => p.productName)).toEqual(['Visio Plan 2', 'AutoCAD LT']);
    expect(seen).toEqual([
      '/api/v1/licenses?limit=100',
      '/api/v1/licenses?p=1',
      '/api/v1/licenses?p=2',
      '/api/v1/licenses/assignments?limit=100',
      '/api/v1/licenses/assignments?limit=100&cursor=tok-2',
    ]);
  });

  it('refuses a next page on another host, which would receive the token', async () => {
    answer = (_req, res) =>
      void res.json({ items: [], next: `http://localhost:${new URL(base).port}/api/v1/licenses?p=2` });
    const err = await failure(client().fetchSnapshot(), 'unused');
    expect(err.code).toBe('VENDOR_BAD_LINK');
    expect(seen).toHaveLength(1);
  });

  it('refuses a cursor that leads back to a page already read', async () => {
    answer = (_req, res) => void res.json({ items: [], next_cursor: 'same' });
    const err = await failure(client().fetchSnapshot(), 'unused');
    expect(err.code).toBe('VENDOR_PAGING_LOOP');
    expect(seen).toHaveLength(2);
  });

  it('refuses an object without a records array', async () => {
    answer = (_req, res) => void res.json({ licenses: [] });
    expect((await failure(client().fetchSnapshot(), 'unused')).code).toBe('VENDOR_SCHEMA');
  });
});
