import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { generateMerakiDataset, type MerakiDataset } from '../../../../src/sandbox/vendor-emulators/demo-data/meraki.js';
import { startMerakiEmulator, type MerakiEmulator } from '../../../../src/sandbox/vendor-emulators/meraki-emulator.js';
import { createMerakiLicensesClient, type MerakiLicensesClientOptions } from '../../../../src/sync/vendors/meraki/meraki-licenses.js';
import { parseMerakiDate } from '../../../../src/sync/vendors/meraki/parse-meraki-date.js';
import { caughtVendorError } from '../../../support/caught-vendor-error.js';

const KEY = 'meraki-KEY-0123456789abcdef';
const load = (): MerakiDataset =>
  JSON.parse(readFileSync(new URL('../../../fixtures/meraki/orgs.dataset.json', import.meta.url), 'utf8')) as MerakiDataset;
const clock = fixedClock('2025-06-01T12:00:00Z');

describe('parseMerakiDate', () => {
  it('reads the co-term overview form "Feb 8, 2020 UTC" and its variants', () => {
    expect(parseMerakiDate('Feb 8, 2020 UTC')).toBe('2020-02-08T00:00:00.000Z');
    expect(parseMerakiDate('February 29, 2024 UTC')).toBe('2024-02-29T00:00:00.000Z');
    expect(parseMerakiDate('Sept. 08, 2020 GMT')).toBe('2020-09-08T00:00:00.000Z');
    expect(parseMerakiDate(' Dec 31, 1999 ')).toBe('1999-12-31T00:00:00.000Z');
  });

  it('reads ISO 8601 dates and date-times, as UTC when no offset is given', () => {
    expect(parseMerakiDate('2019-08-29T12:40:10Z')).toBe('2019-08-29T12:40:10.000Z');
    expect(parseMerakiDate('2019-08-29T12:40:10.5+02:00')).toBe('2019-08-29T10:40:10.500Z');
    expect(parseMerakiDate('2019-08-29 12:40:10')).toBe('2019-08-29T12:40:10.000Z');
    expect(parseMerakiDate('2019-08-29T12:40:10-0500')).toBe('2019-08-29T17:40:10.000Z');
    expect(parseMerakiDate('2019-08-29')).toBe('2019-08-29T00:00:00.000Z');
  });

  it('returns null for text that is not a real date', () => {
    for (const bad of ['2019-02-29T00:00:00Z', '2020-04-31T10:00:00Z', '2020-01-01T24:00:00Z', 'Feb 30, 2020 UTC', 'Feb 29, 2023 UTC', 'Fbr 8, 2020 UTC', 'Febx 8, 2020', 'Februaryy 8, 2020', '2020-13-01', '2020-02-30', '2020-01-01T25:00:00Z', 'N/A', '', '8 Feb 2020']) {
      expect(parseMerakiDate(bad), bad).toBeNull();
    }
  });
});

describe('Meraki licenses client', () => {
  let emu: MerakiEmulator;
  let sleeps: number[];

  beforeAll(async () => {
    emu = await startMerakiEmulator({ apiKey: KEY, data: load(), rateLimitPerSecond: 0, defaultPerPage: 3 });
  });
  afterAll(async () => {
    await emu.close();
  });
  beforeEach(() => {
    sleeps = [];
  });
  afterEach(() => {
    emu.faults.clear();
    emu.requests.length = 0;
  });

  function client(orgId: string, extra: Partial<MerakiLicensesClientOptions> = {}, target: MerakiEmulator = emu): ReturnType<typeof createMerakiLicensesClient> {
    return createMerakiLicensesClient({
      baseUrl: target.url,
      apiKey: KEY,
      orgId,
      maxRequestsPerSecond: 0,
      fetch: globalThis.fetch,
      clock,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      ...extra,
    });
  }

  const base = { renewalDate: null, autoRenew: null, scope: {}, metered: true };

  it('groups per-device licenses into pools by licenseType with devices and SM networks as assignments', async () => {
    const snap = await client('100', { perPage: 3 }).fetchSnapshot();
    expect(snap).toMatchObject({ vendor: 'meraki', connectionId: '100', externalOrgId: '100', fetchedAt: '2025-06-01T12:00:00.000Z' });
    const device = { ...base, sourceKind: 'meraki.device_license_group', licenseModel: 'device', unit: 'device', compliance: 'ok' };
    expect(snap.pools).toEqual([
      {
        ...device,
        externalId: '100:MX64-ENT',
        productName: 'MX64-ENT',
        sku: 'MX64-ENT',
        totalSeats: 2,
        consumedSeats: 1,
        availableSeats: 1,
        startDate: '2023-12-01T10:00:00.000Z',
        expiryDate: '2026-01-02T10:00:00.000Z',
        state: 'active',
        vendorState: 'active',
        subscriptionRef: '4C0000001',
      },
      {
        ...device,
        externalId: '100:MR-ENT',
        productName: 'MR-ENT',
        sku: 'MR-ENT',
        totalSeats: 2,
        consumedSeats: 2,
        availableSeats: 0,
        startDate: '2024-06-01T10:00:00.000Z',
        expiryDate: '2025-07-01T00:00:00.000Z',
        state: 'expiring',
        vendorState: 'expiring',
        subscriptionRef: null,
      },
      {
        ...device,
        externalId: '100:MS220-8P',
        productName: 'MS220-8P',
        sku: 'MS220-8P',
        totalSeats: 1,
        consumedSeats: 0,
        availableSeats: 0,
        startDate: '2025-05-01T10:00:00.000Z',
        expiryDate: null,
        state: 'queued',
        vendorState: 'recentlyQueued',
        subscriptionRef: '4C0000004',
      },
      {
        ...base,
        sourceKind: 'meraki.sm_seats',
        licenseModel: 'network_seat',
        unit: 'seat',
        compliance: 'ok',
        externalId: '100:SM',
        productName: 'SM',
        sku: 'SM',
        totalSeats: 35,
        consumedSeats: 25,
        availableSeats: 10,
        startDate: '2024-03-01T10:00:00.000Z',
        expiryDate: '2026-03-01T10:00:00.000Z',
        state: 'active',
        vendorState: 'active',
        subscriptionRef: '4C0000005',
      },
    ]);
    const a = { status: 'active', lastUsedAt: null, external: null };
    const dev = (id: string): { kind: 'device'; id: string; email: null; name: null } => ({ kind: 'device', id, email: null, name: null });
    expect(snap.assignments).toEqual([
      { ...a, poolExternalId: '100:MX64-ENT', externalId: 'L1', assignee: dev('Q2XX-0001'), seats: 1, assignedAt: '2024-01-02T10:00:00.000Z', expiresAt: '2026-01-02T10:00:00.000Z' },
      { ...a, poolExternalId: '100:MR-ENT', externalId: 'L4', assignee: dev('Q2MR-0001'), seats: 1, assignedAt: '2024-06-01T10:00:00.000Z', expiresAt: '2025-07-01T00:00:00.000Z' },
      { ...a, poolExternalId: '100:MR-ENT', externalId: 'L5', assignee: dev('Q2MR-0002'), seats: 1, assignedAt: '2024-06-01T10:00:00.000Z', expiresAt: '2026-06-01T00:00:00.000Z' },
      {
        ...a,
        poolExternalId: '100:SM',
        externalId: 'L7',
        assignee: { kind: 'network', id: 'N_3', email: null, name: null },
        seats: 25,
        assignedAt: '2024-03-01T10:00:00.000Z',
        expiresAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    // org + 3 license pages (8 licenses at perPage 3) + overview
    expect(snap.stats).toEqual({ requests: 5, pages: 5, retries: 0 });
    expect(JSON.stringify(snap)).not.toContain('Z2FAKE');
  });

  it('walks 2,500 licenses at perPage 1000 by the unquoted rel=next links, using only server tokens', async () => {
    const big = await startMerakiEmulator({ apiKey: KEY, data: generateMerakiDataset({ licenses: 2500, orgId: '777' }), rateLimitPerSecond: 0 });
    try {
      const snap = await client('777', {}, big).fetchSnapshot();
      const total = snap.pools.reduce((n, p) => n + (p.totalSeats ?? 0), 0);
      const expired = big.data.orgs[0]!.licenses!.filter((l) => l.state === 'expired').length;
      expect(total).toBe(2500 - expired);
      expect(snap.assignments).toHaveLength(big.data.orgs[0]!.licenses!.filter((l) => l.deviceSerial !== null && l.state === 'active').length);
      expect(new Set(snap.assignments.map((x) => x.externalId)).size).toBe(snap.assignments.length);
      const pages = big.requests.filter((r) => r.url.includes('/licenses?'));
      expect(pages).toHaveLength(3);
      expect(pages[0]!.url).toBe('/api/v1/organizations/777/licenses?perPage=1000');
      expect(pages.slice(1).every((p) => /startingAfter=[\w-]{12}/.test(p.url))).toBe(true);
    } finally {
      await big.close();
    }
  });

  it('reads co-term pools from the overview, parsing "Feb 8, 2027 UTC"', async () => {
    const snap = await client('200').fetchSnapshot();
    const coterm = { ...base, sourceKind: 'meraki.coterm_model', licenseModel: 'device', unit: 'device', consumedSeats: null, availableSeats: null, startDate: null };
    const rest = { expiryDate: '2027-02-08T00:00:00.000Z', state: 'active', vendorState: 'OK', compliance: 'ok', subscriptionRef: null };
    expect(snap.pools).toEqual([
      { ...coterm, ...rest, externalId: '200:coterm:MS', productName: 'MS', sku: 'MS', totalSeats: 100 },
      { ...coterm, ...rest, externalId: '200:coterm:MR', productName: 'MR', sku: 'MR', totalSeats: 40 },
    ]);
    expect(snap.assignments).toEqual([]);
    expect(emu.requests.map((r) => r.url)).toEqual(['/api/v1/organizations/200', '/api/v1/organizations/200/licenses/overview']);
  });

  it('refuses a co-term expirationDate it cannot read with VENDOR_SCHEMA', async () => {
    const data = load();
    data.orgs[1]!.cotermOverview!.expirationDate = 'Feb 30, 2027 UTC';
    const odd = await startMerakiEmulator({ apiKey: KEY, data, rateLimitPerSecond: 0 });
    try {
      const err = await caughtVendorError(client('200', {}, odd).fetchSnapshot());
      expect(err.code).toBe('VENDOR_SCHEMA');
      expect(err.message).toContain('expirationDate');
    } finally {
      await odd.close();
    }
  });

  it('reads subscription entitlements as pools across pages, only for this org', async () => {
    const data = load();
    const template = data.subscriptions[1]!;
    for (let i = 0; i < 4; i++) {
      data.subscriptions.push({ ...template, subscription: { ...template.subscription, subscriptionId: `Q-EXTRA-${i}` } });
    }
    const subs = await startMerakiEmulator({ apiKey: KEY, data, rateLimitPerSecond: 0, defaultPerPage: 3 });
    try {
      const snap = await client('300', {}, subs).fetchSnapshot();
      const sub = { ...base, sourceKind: 'meraki.subscription_entitlement', licenseModel: 'org_pool', unit: 'seat' };
      expect(snap.pools.slice(0, 3)).toEqual([
        {
          ...sub,
          externalId: 'Q-1111-2222:LIC-MR-ADV',
          productName: 'Campus Networking EA',
          sku: 'LIC-MR-ADV',
          totalSeats: 50,
          consumedSeats: 30,
          availableSeats: 20,
          startDate: '2024-03-01T00:00:00.000Z',
          expiryDate: '2025-08-01T00:00:00.000Z',
          state: 'expiring',
          vendorState: 'active',
          compliance: 'ok',
          subscriptionRef: '987654321',
          scope: { productTypes: ['wireless', 'switch'] },
        },
        {
          ...sub,
          externalId: 'Q-1111-2222:LIC-MS-ESS',
          productName: 'Campus Networking EA',
          sku: 'LIC-MS-ESS',
          totalSeats: 12,
          consumedSeats: 13,
          availableSeats: 0,
          startDate: '2024-03-01T00:00:00.000Z',
          expiryDate: '2025-08-01T00:00:00.000Z',
          state: 'expiring',
          vendorState: 'active',
          compliance: 'over_allocated',
          subscriptionRef: '987654321',
          scope: { productTypes: ['wireless', 'switch'] },
        },
        {
          ...sub,
          externalId: 'Q-3333-4444:LIC-MV-ENT',
          productName: 'Old cameras',
          sku: 'LIC-MV-ENT',
          totalSeats: 5,
          consumedSeats: 0,
          availableSeats: 5,
          startDate: '2022-01-01T00:00:00.000Z',
          expiryDate: '2023-01-01T00:00:00.000Z',
          state: 'cancelled',
          vendorState: 'canceled',
          compliance: 'ok',
          subscriptionRef: 'Q-3333-4444',
          scope: { productTypes: ['camera'] },
        },
      ]);
      expect(snap.pools.map((p) => p.externalId).slice(3)).toEqual(['Q-EXTRA-0:LIC-MV-ENT', 'Q-EXTRA-1:LIC-MV-ENT', 'Q-EXTRA-2:LIC-MV-ENT', 'Q-EXTRA-3:LIC-MV-ENT']);
      expect(snap.pools.some((p) => p.externalId.startsWith('Q-OTHER-ORG'))).toBe(false);
      const listed = subs.requests.filter((r) => r.url.includes('/subscriptions'));
      expect(listed).toHaveLength(2);
      expect(listed[0]!.url).toBe('/api/v1/administered/licensing/subscription/subscriptions?organizationIds%5B%5D=300');
    } finally {
      await subs.close();
    }
  });

  it('syncs each org of the sandbox demo data set', async () => {
    const demo = await startMerakiEmulator({ apiKey: KEY, rateLimitPerSecond: 0 });
    try {
      const kinds = await Promise.all(
        ['549236', '549237', '549238'].map(async (id) => (await client(id, {}, demo).fetchSnapshot()).pools.map((p) => p.sourceKind)),
      );
      expect(kinds).toEqual([
        ['meraki.device_license_group', 'meraki.device_license_group', 'meraki.device_license_group', 'meraki.sm_seats'],
        ['meraki.coterm_model', 'meraki.coterm_model', 'meraki.coterm_model'],
        ['meraki.subscription_entitlement', 'meraki.subscription_entitlement'],
      ]);
    } finally {
      await demo.close();
    }
  });

  it('sends the key as Bearer by default or as X-Cisco-Meraki-API-Key, and maps a bad key to VENDOR_AUTH', async () => {
    const sent: Headers[] = [];
    const spy: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers));
      return globalThis.fetch(input, init);
    };
    await client('200', { fetch: spy }).fetchSnapshot();
    expect(sent[0]!.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(sent[0]!.has('x-cisco-meraki-api-key')).toBe(false);
    sent.length = 0;
    await client('200', { fetch: spy, authScheme: 'header' }).fetchSnapshot();
    expect(sent[0]!.get('x-cisco-meraki-api-key')).toBe(KEY);
    expect(sent[0]!.has('authorization')).toBe(false);

    const err = await caughtVendorError(client('200', { apiKey: `${KEY}-nope`, authScheme: 'header' }).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 401 });
    expect(err.message).toContain('Invalid API key');
    expect(err.message).not.toContain(KEY);
  });

  it('honours Retry-After on 429 and completes', async () => {
    emu.faults.set({ status429: { count: 2, retryAfterSec: 2 } });
    const snap = await client('100').fetchSnapshot();
    expect(sleeps).toEqual([2000, 2000]);
    expect(snap.pools).toHaveLength(4);
    expect(snap.stats.retries).toBe(2);
  });

  it('retries a 500 then completes; persistent 500s fail with VENDOR_HTTP', async () => {
    emu.faults.set({ status500: 1 });
    expect((await client('100').fetchSnapshot()).pools).toHaveLength(4);
    emu.faults.set({ status500: 50 });
    const err = await caughtVendorError(client('100').fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500 });
    expect(err.message).toContain('Internal server error');
  });

  it('fails with VENDOR_TIMEOUT when Meraki is slower than timeoutMs', async () => {
    emu.faults.set({ slowMs: 400 });
    expect((await caughtVendorError(client('100', { timeoutMs: 40, maxAttempts: 2 }).fetchSnapshot())).code).toBe('VENDOR_TIMEOUT');
  });

  it('fails with VENDOR_BAD_JSON and VENDOR_SCHEMA on broken answers', async () => {
    emu.faults.set({ malformedJson: 1 });
    expect((await caughtVendorError(client('100').fetchSnapshot())).code).toBe('VENDOR_BAD_JSON');
    let n = 0;
    const breakPage2: typeof fetch = (input, init) => {
      if (++n === 3) emu.faults.set({ schemaViolation: 1 });
      return globalThis.fetch(input, init);
    };
    const err = await caughtVendorError(client('100', { fetch: breakPage2, perPage: 3 }).fetchSnapshot());
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toMatch(/at 0\.(id|state)/);
  });

  it('throws rather than returning part of the org when a middle page keeps failing', async () => {
    emu.faults.set({ failPage: 2 });
    const err = await caughtVendorError(client('100', { perPage: 3 }).fetchSnapshot());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500 });
    expect(emu.requests.filter((r) => r.status === 500)).toHaveLength(4);
  });

  it('stays under the per-org rate limit with the default 8 req/s throttle, where an unthrottled walk is refused', async () => {
    const data = generateMerakiDataset({ licenses: 30, orgId: '555' });
    const unthrottled = await startMerakiEmulator({ apiKey: KEY, data, rateLimitPerSecond: 10 });
    const throttled = await startMerakiEmulator({ apiKey: KEY, data, rateLimitPerSecond: 10 });
    try {
      const err = await caughtVendorError(client('555', { perPage: 3, maxAttempts: 1 }, unthrottled).fetchSnapshot());
      expect(err).toMatchObject({ code: 'VENDOR_RATE_LIMITED', status: 429 });
      expect(err.message).toContain('API rate limit exceeded for organization');
      expect(unthrottled.requests.filter((r) => r.status === 200)).toHaveLength(10);

      const snap = await createMerakiLicensesClient({ baseUrl: throttled.url, apiKey: KEY, orgId: '555', perPage: 3, maxAttempts: 1, fetch: globalThis.fetch }).fetchSnapshot();
      expect(snap.stats.requests).toBe(12);
      expect(throttled.requests.every((r) => r.status === 200)).toBe(true);
      const times = throttled.requests.map((r) => r.at).sort((x, y) => x - y);
      // Arrival times carry some loopback jitter, hence a 900 ms window for the 8-per-second budget.
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 900).length));
      expect(busiest).toBeLessThanOrEqual(8);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(900);
    } finally {
      await unthrottled.close();
      await throttled.close();
    }
  });
});
