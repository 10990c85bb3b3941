import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { poolId, type SyncRun, type Vendor } from '../../../src/domain/ledger.js';
import type { VendorClient, VendorSnapshot } from '../../../src/domain/vendor-snapshot.js';
import { VendorApiError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { pruneSyncRuns } from '../../../src/sync/runner/apply-sync.js';
import { createSyncRunner } from '../../../src/sync/runner/sync-runner.js';
import { createVendorClients } from '../../../src/sync/runner/create-vendor-clients.js';
import { loadConfig } from '../../../src/config.js';
import { startCpodEmulator } from '../../../src/sandbox/vendor-emulators/cpod-emulator.js';
import { generateMerakiDataset } from '../../../src/sandbox/vendor-emulators/demo-data/meraki.js';
import { startMerakiEmulator } from '../../../src/sandbox/vendor-emulators/meraki-emulator.js';
import { startWebexLicensesEmulator } from '../../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startZohoEmulator } from '../../../src/sandbox/vendor-emulators/zoho-emulator.js';
import { aSnapshot, aVendorPool, aVendorSeat, snapshotWithHolders } from '../../support/ledger-builders.js';

let dir: string;
let store: LowdbSeatStore;
const logs: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
const clock = fixedClock('2026-03-02T10:00:00.000Z');

beforeEach(async () => {
  logs.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'sync-runner-'));
  store = await openLowdbSeatStore({ dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** A hand-made VendorClient: the runner's boundary. `next` decides what the next fetch does. */
function fakeClient(vendor: Vendor, snapshot: () => VendorSnapshot | Promise<VendorSnapshot>): VendorClient & { calls: number } {
  const client = {
    vendor,
    connectionId: 'org-1',
    calls: 0,
    async fetchSnapshot() {
      client.calls++;
      clock.advance(1000);
      return snapshot();
    },
  };
  return client;
}

const webexSnap = (holders: string[]): VendorSnapshot => snapshotWithHolders(holders);
const merakiSnap = (): VendorSnapshot =>
  aSnapshot({
    vendor: 'meraki',
    pools: [aVendorPool({ externalId: 'org-1:MX64-ENT', sourceKind: 'meraki.device_license_group', productName: 'MX64-ENT', totalSeats: 2, consumedSeats: 1, unit: 'device', licenseModel: 'device' })],
    assignments: [aVendorSeat('Q2AA', { poolExternalId: 'org-1:MX64-ENT', externalId: 'L-1', assignee: { kind: 'device', id: 'Q2AA-BBBB-CCCC', email: null, name: null } })],
    stats: { requests: 3, pages: 2, retries: 1 },
  });
const down = (status: number): never => {
  throw new VendorApiError('webex', 'VENDOR_HTTP_ERROR', `GET /licenses answered ${status}`, { status, trackingId: 'ROUTER_123' });
};

describe('createSyncRunner', () => {
  it('syncs every configured vendor, records one SyncRun each and reports them', async () => {
    const runner = createSyncRunner({ store, clients: [fakeClient('webex', () => webexSnap(['ann'])), fakeClient('meraki', merakiSnap)], clock, logger });
    const report = await runner.run({ trigger: 'command' });

    expect(report).toMatchObject({ status: 'ok', trigger: 'command', dryRun: false });
    expect(report.vendors.map((v) => [v.vendor, v.status, v.plan?.counts.poolsAdded])).toEqual([['webex', 'ok', 1], ['meraki', 'ok', 1]]);
    const meraki = report.vendors[1]!.run;
    expect(meraki).toMatchObject({ vendor: 'meraki', status: 'ok', pages: 2, requests: 3, retries: 1, trigger: 'command', error: null });
    expect(meraki.finishedAt! >= meraki.startedAt).toBe(true);
    expect(store.read().data.syncRuns[meraki.id]).toEqual(meraki);
    expect(runner.lastRuns().map((r) => r.vendor).sort()).toEqual(['meraki', 'webex']);
    expect(store.read().pool(poolId('meraki', 'org-1', 'org-1:MX64-ENT'))?.totalSeats).toBe(2);
  });

  it('records a failing vendor as failed with code, status and tracking id, leaves its data untouched and still syncs the others', async () => {
    let webexUp = true;
    const webex = fakeClient('webex', () => (webexUp ? webexSnap(['ann', 'bob']) : down(500)));
    const runner = createSyncRunner({ store, clients: [webex, fakeClient('meraki', merakiSnap)], clock, logger });
    await runner.run({ trigger: 'schedule' });
    const webexBefore = structuredClone({
      pools: Object.values(store.read().data.pools).filter((p) => p.vendor === 'webex'),
      seats: Object.values(store.read().data.assignments).filter((a) => a.poolId.startsWith('webex:')),
    });

    webexUp = false;
    const report = await runner.run({ trigger: 'schedule' });

    expect(report.status).toBe('partial');
    expect(report.message).toMatch(/^Sync failed for Webex \(VENDOR_HTTP_ERROR/);
    const failed = report.vendors.find((v) => v.vendor === 'webex')!;
    expect(failed).toMatchObject({ status: 'failed', plan: null });
    expect(failed.run).toMatchObject({
      status: 'failed', summary: null,
      error: { code: 'VENDOR_HTTP_ERROR', message: 'webex: GET /licenses answered 500', httpStatus: 500, trackingId: 'ROUTER_123' },
    });
    expect(store.read().data.syncRuns[failed.run.id]).toEqual(failed.run);
    expect(report.vendors.find((v) => v.vendor === 'meraki')!.status).toBe('ok');
    expect({
      pools: Object.values(store.read().data.pools).filter((p) => p.vendor === 'webex'),
      seats: Object.values(store.read().data.assignments).filter((a) => a.poolId.startsWith('webex:')),
    }).toEqual(webexBefore);
    expect(runner.lastRuns().find((r) => r.vendor === 'webex')).toMatchObject({ status: 'failed' });
    expect(logs.some((l) => l['msg'] === 'vendor sync failed; its ledger data is left as it was' && l['vendor'] === 'webex' && l['err'] !== undefined)).toBe(true);
  });

  it('reports failed when every vendor fails, and names unexpected errors with a generic code', async () => {
    const runner = createSyncRunner({
      store,
      clients: [fakeClient('webex', () => down(401)), fakeClient('meraki', () => { throw new TypeError('boom'); })],
      clock,
      logger,
    });
    const report = await runner.run({ trigger: 'cli' });
    expect(report.status).toBe('failed');
    expect(report.vendors.map((v) => v.run.error?.code)).toEqual(['VENDOR_HTTP_ERROR', 'SYNC_INTERNAL_ERROR']);
    expect(report.vendors[1]!.run.error).toMatchObject({ message: 'boom', httpStatus: null, trackingId: null });
    expect(Object.keys(store.read().data.pools)).toEqual([]);
  });

  it('refuses a snapshot that belongs to another vendor connection', async () => {
    const runner = createSyncRunner({ store, clients: [fakeClient('meraki', () => webexSnap(['ann']))], clock, logger });
    const report = await runner.run({ trigger: 'cli' });
    expect(report.vendors[0]!.run.error?.code).toBe('VENDOR_SNAPSHOT_INVALID');
    expect(Object.keys(store.read().data.pools)).toEqual([]);
  });

  it('never runs two syncs at once: a call during a run starts nothing and says a sync is already running', async () => {
    let release!: (s: VendorSnapshot) => void;
    const webex = fakeClient('webex', () => (webex.calls === 1 ? new Promise<VendorSnapshot>((r) => (release = r)) : webexSnap(['ann'])));
    const runner = createSyncRunner({ store, clients: [webex], clock, logger });

    const first = runner.run({ trigger: 'schedule' });
    expect(runner.isRunning()).toBe(true);
    const second = await runner.run({ trigger: 'command' });
    expect(second).toMatchObject({ status: 'already_running', vendors: [] });
    expect(second.message).toMatch(/already running .* by schedule/);
    expect(webex.calls).toBe(1);

    release(webexSnap(['ann']));
    expect((await first).status).toBe('ok');
    expect(runner.isRunning()).toBe(false);
    expect((await runner.run({ trigger: 'command' })).status).toBe('ok');
    expect(webex.calls).toBe(2);
  });

  it('is free to run again after a run whose vendors all failed', async () => {
    const runner = createSyncRunner({ store, clients: [fakeClient('webex', () => down(503))], clock, logger });
    await runner.run({ trigger: 'cli' });
    expect(runner.isRunning()).toBe(false);
  });

  it('syncs only the vendor asked for, and says so when it is not configured', async () => {
    const webex = fakeClient('webex', () => webexSnap(['ann']));
    const meraki = fakeClient('meraki', merakiSnap);
    const runner = createSyncRunner({ store, clients: [webex, meraki], clock, logger });
    const report = await runner.run({ vendor: 'meraki', trigger: 'command' });
    expect(report.vendors.map((v) => v.vendor)).toEqual(['meraki']);
    expect([webex.calls, meraki.calls]).toEqual([0, 1]);
    expect(await runner.run({ vendor: 'cpod', trigger: 'command' })).toMatchObject({ status: 'not_configured', message: 'cpod is not configured.' });
  });

  it('keeps the newest 200 runs per connection when it records failed and ok runs, across a reload', async () => {
    const seeded: SyncRun[] = Array.from({ length: 200 }, (_, i) => {
      const startedAt = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
      return {
        id: `old-${i}`, vendor: 'webex', connectionId: 'org-1', trigger: 'schedule', startedAt, finishedAt: startedAt,
        status: 'ok', dryRun: false, pages: 1, requests: 1, retries: 0, summary: null, error: null,
      };
    });
    await store.update(() => ({ changes: seeded.map((run) => ({ type: 'syncRun.put' as const, run })), result: undefined }));
    let up = false;
    const runner = createSyncRunner({ store, clients: [fakeClient('webex', () => (up ? webexSnap(['ann']) : down(500)))], clock, logger });
    const failed = await runner.run({ trigger: 'schedule' });
    up = true;
    const ok = await runner.run({ trigger: 'schedule' });
    const ids = Object.keys(store.read().data.syncRuns).sort();
    expect(ids).toHaveLength(200);
    expect(ids).toEqual([failed.vendors[0]!.run.id, ok.vendors[0]!.run.id, ...seeded.slice(2).map((r) => r.id)].sort());
    expect(store.read().data.syncRuns[failed.vendors[0]!.run.id]?.status).toBe('failed');

    await store.close();
    store = await openLowdbSeatStore({ dir });
    expect(Object.keys(store.read().data.syncRuns).sort()).toEqual(ids);
  });

  it('after the clock is stepped back, shows the newest run as newest and prunes by start order', async () => {
    let up = true;
    const runner = createSyncRunner({ store, clients: [fakeClient('webex', () => (up ? webexSnap(['ann']) : down(500))), fakeClient('meraki', merakiSnap)], clock, logger });
    const okRun = (await runner.run({ trigger: 'schedule' })).vendors[0]!.run;
    const now = clock.now();
    clock.set('2026-03-01T10:00:00.000Z'); // NTP stepped the clock back a day
    up = false;
    const failedRun = (await runner.run({ trigger: 'schedule' })).vendors[0]!.run;
    clock.set(now);
    expect(failedRun.startedAt < okRun.startedAt).toBe(true);

    const last = runner.lastRuns();
    expect(last.find((r) => r.vendor === 'webex')).toMatchObject({ id: failedRun.id, status: 'failed' });
    expect(last.map((r) => r.vendor)).toEqual(['meraki', 'webex']);
    expect(pruneSyncRuns(store.read(), { ...okRun, id: 'sync:webex:org-1:x:y', seq: 999 }, 2)).toEqual([{ type: 'syncRun.delete', id: okRun.id }]);
  });

  it('numbers runs by start, continuing after the records of an earlier runner on the same ledger', async () => {
    const first = await createSyncRunner({ store, clients: [fakeClient('webex', () => webexSnap(['ann']))], clock, logger }).run({ trigger: 'cli' });
    const again = await createSyncRunner({ store, clients: [fakeClient('webex', () => webexSnap(['ann'])), fakeClient('meraki', merakiSnap)], clock, logger }).run({ trigger: 'cli' });
    expect([first, again].flatMap((r) => r.vendors.map((v) => [v.vendor, v.run.seq]))).toEqual([['webex', 1], ['webex', 2], ['meraki', 3]]);
    expect(Object.values(store.read().data.syncRuns).map((r) => r.seq).sort()).toEqual([1, 2, 3]);
  });

  it('on a dry run returns the plan but records nothing', async () => {
    const runner = createSyncRunner({ store, clients: [fakeClient('webex', () => webexSnap(['ann']))], clock, logger });
    const report = await runner.run({ trigger: 'cli', dryRun: true });
    expect(report.vendors[0]).toMatchObject({ status: 'ok', run: { dryRun: true }, plan: { counts: { poolsAdded: 1, seatsAdded: 1 } } });
    expect(report.vendors[0]!.plan).not.toHaveProperty('changes');
    expect(store.read().data.pools).toEqual({});
    expect(store.read().data.syncRuns).toEqual({});
    expect(runner.lastRuns()).toEqual([]);
  });
});

describe('createSyncRunner with the vendor emulators and the real clients', () => {
  const WEBEX_TOKEN = 'wx-admin-token-0123456789';
  const MERAKI_KEY = 'meraki-key-0123456789';
  let emulators: Awaited<ReturnType<typeof startEmulators>>;

  async function startEmulators() {
    const webex = await startWebexLicensesEmulator({ token: WEBEX_TOKEN });
    const meraki = await startMerakiEmulator({ apiKey: MERAKI_KEY, rateLimitPerSecond: 0 });
    const zoho = await startZohoEmulator();
    const cpod = await startCpodEmulator();
    const env = {
      WEBEX_LICENSES_TOKEN: WEBEX_TOKEN, WEBEX_LICENSES_API_URL: webex.url,
      MERAKI_API_KEY: MERAKI_KEY, MERAKI_ORG_ID: '549236', MERAKI_API_URL: meraki.url,
      ZOHO_CLIENT_ID: zoho.clientId, ZOHO_CLIENT_SECRET: zoho.clientSecret, ZOHO_REFRESH_TOKEN: zoho.refreshToken,
      ZOHO_ACCOUNTS_URL: zoho.url, ZOHO_API_URL: zoho.url,
      CPOD_API_URL: cpod.url, CPOD_TOKEN: cpod.token,
    };
    return { webex, meraki, zoho, cpod, env, close: () => Promise.all([webex.close(), meraki.close(), zoho.close(), cpod.close()]) };
  }

  beforeEach(async () => {
    emulators = await startEmulators();
  });
  afterEach(async () => {
    await emulators.close();
  });

  const runnerFor = () => {
    const clients = createVendorClients(loadConfig(emulators.env).vendors, { fetch: globalThis.fetch, clock, logger, sleep: () => Promise.resolve() });
    return createSyncRunner({ store, clients, clock, logger });
  };
  const vendorData = (vendor: Vendor) => ({
    pools: Object.values(store.read().data.pools).filter((p) => p.vendor === vendor),
    seats: Object.values(store.read().data.assignments).filter((a) => a.poolId.startsWith(`${vendor}:`)),
  });

  it('syncs all four vendors, and a second sync changes nothing', async () => {
    const runner = runnerFor();
    const first = await runner.run({ trigger: 'command' });
    expect(first.status).toBe('ok');
    expect(first.vendors.map((v) => [v.vendor, v.plan!.counts.poolsAdded > 0, v.plan!.counts.seatsAdded > 0])).toEqual([
      ['webex', true, true], ['meraki', true, true], ['zoho_crm', true, true], ['cpod', true, true],
    ]);
    const audit = store.read().data.audit.length;
    const second = await runner.run({ trigger: 'command' });
    expect(second.status).toBe('ok');
    expect(second.vendors.map((v) => v.plan!.counts.changes)).toEqual([0, 0, 0, 0]);
    expect(store.read().data.audit).toHaveLength(audit);
  });

  it('keeps the previous data of vendors answering 500s, 401 or garbage, records why, and still syncs the others', async () => {
    const runner = runnerFor();
    await runner.run({ trigger: 'command' });
    const before = { meraki: vendorData('meraki'), zoho: vendorData('zoho_crm'), cpod: vendorData('cpod') };
    emulators.meraki.faults.set({ status500: 100 });
    emulators.zoho.tokensRejected = true;
    emulators.zoho.expireAllTokens();
    emulators.cpod.faults.set({ malformedJson: 100 });
    emulators.webex.data.licenses[0]!.users.pop();

    clock.advance(60_000);
    const report = await runner.run({ trigger: 'schedule' });

    expect(report.status).toBe('partial');
    const byVendor = new Map(report.vendors.map((v) => [v.vendor, v]));
    expect(byVendor.get('webex')).toMatchObject({ status: 'ok', plan: { counts: { seatsEnded: 1 } } });
    expect(byVendor.get('meraki')!.run).toMatchObject({ status: 'failed', error: { httpStatus: 500 } });
    expect(byVendor.get('zoho_crm')!.run).toMatchObject({ status: 'failed', error: { httpStatus: 401 } });
    expect(byVendor.get('cpod')!.run.status).toBe('failed');
    expect(byVendor.get('cpod')!.run.error!.code).toMatch(/JSON/);
    expect({ meraki: vendorData('meraki'), zoho: vendorData('zoho_crm'), cpod: vendorData('cpod') }).toEqual(before);
    const last = new Map(runner.lastRuns().map((r) => [r.vendor, r.status]));
    expect(Object.fromEntries(last)).toEqual({ webex: 'ok', meraki: 'failed', zoho_crm: 'failed', cpod: 'failed' });
  });

  it('keeps a vendor whose listing fails on a middle page untouched', async () => {
    const big = await startMerakiEmulator({ apiKey: MERAKI_KEY, rateLimitPerSecond: 0, data: generateMerakiDataset({ licenses: 2500, orgId: '549236' }) });
    try {
      emulators.env.MERAKI_API_URL = big.url;
      const runner = runnerFor();
      await runner.run({ vendor: 'meraki', trigger: 'cli' });
      const before = vendorData('meraki');
      expect(before.seats.length).toBeGreaterThan(1000);
      big.faults.set({ failPage: 2 });
      clock.advance(60_000);
      const report = await runner.run({ vendor: 'meraki', trigger: 'cli' });
      expect(report.status).toBe('failed');
      expect(report.vendors[0]!.run.error).toMatchObject({ httpStatus: 500 });
      expect(big.requests.some((r) => r.status === 500)).toBe(true);
      expect(vendorData('meraki')).toEqual(before);
    } finally {
      await big.close();
    }
  });
});
