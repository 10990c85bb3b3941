// The vendor budgets end to end: real clients against the vendor emulators misbehaving like real services,
// the real runner and the real lowdb store. Every over-budget vendor fails within its budget, its ledger data
// stays as it was, and the next sync can run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig, type Config } from '../../../src/config.js';
import type { Vendor } from '../../../src/domain/ledger.js';
import { createLogger } from '../../../src/log.js';
import type { LowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { startCpodEmulator } from '../../../src/sandbox/vendor-emulators/cpod-emulator.js';
import type { EmulatorFaults, FaultPlan } from '../../../src/sandbox/vendor-emulators/emulator-faults.js';
import { startMerakiEmulator } from '../../../src/sandbox/vendor-emulators/meraki-emulator.js';
import { startWebexLicensesEmulator } from '../../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startZohoEmulator } from '../../../src/sandbox/vendor-emulators/zoho-emulator.js';
import { createVendorClients } from '../../../src/sync/runner/create-vendor-clients.js';
import { createSyncRunner } from '../../../src/sync/runner/sync-runner.js';
import type { SyncRunner } from '../../../src/sync/runner/sync-runner-types.js';
import { useStoreDirs } from '../../store/store-test-kit.js';

const WEBEX_TOKEN = 'wx-admin-token-0123456789';
const MERAKI_KEY = 'meraki-key-0123456789';
const MiB = 1024 * 1024;
/**
 * Small page and size budgets, so a runaway vendor is stopped in a test's time; a roomy deadline, so a loaded
 * machine never turns a page or size failure into a timeout (the deadline test sets its own).
 */
const BUDGETS: Config['budgets'] = { syncTimeoutMs: 30_000, vendorMaxPages: 50, vendorMaxResponseBytes: 8 * MiB };
/** The deadline test's budget: three pages of a one-page-a-second vendor. */
const DEADLINE_MS = 3000;

const dirs = useStoreDirs();
const logs: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
const clock = fixedClock('2026-03-02T10:00:00.000Z');

let store: LowdbSeatStore;
let emulators: Awaited<ReturnType<typeof startEmulators>>;

async function startEmulators() {
  const webex = await startWebexLicensesEmulator({ token: WEBEX_TOKEN });
  const meraki = await startMerakiEmulator({ apiKey: MERAKI_KEY, rateLimitPerSecond: 0 });
  const zoho = await startZohoEmulator({ tokensPer10Min: 0 });
  const cpod = await startCpodEmulator();
  const env = {
    WEBEX_LICENSES_TOKEN: WEBEX_TOKEN, WEBEX_LICENSES_API_URL: webex.url,
    MERAKI_API_KEY: MERAKI_KEY, MERAKI_ORG_ID: '549236', MERAKI_API_URL: meraki.url,
    ZOHO_CLIENT_ID: zoho.clientId, ZOHO_CLIENT_SECRET: zoho.clientSecret, ZOHO_REFRESH_TOKEN: zoho.refreshToken,
    ZOHO_ACCOUNTS_URL: zoho.url, ZOHO_API_URL: zoho.url,
    CPOD_API_URL: cpod.url, CPOD_TOKEN: cpod.token,
  };
  const faults: Record<Vendor, EmulatorFaults> = { webex: webex.faults, meraki: meraki.faults, zoho_crm: zoho.faults, cpod: cpod.faults };
  return { webex, meraki, zoho, cpod, env, faults, close: () => Promise.all([webex.close(), meraki.close(), zoho.close(), cpod.close()]) };
}

beforeEach(async () => {
  logs.length = 0;
  store = await dirs.openStore({ dir: await dirs.dirFor() });
  emulators = await startEmulators();
});
afterEach(async () => {
  await emulators.close();
});

function runnerFor(budgets: Config['budgets'] = BUDGETS): SyncRunner {
  const clients = createVendorClients(loadConfig(emulators.env).vendors, {
    fetch: globalThis.fetch, clock, logger, sleep: () => Promise.resolve(), merakiMaxRequestsPerSecond: 0, budgets,
  });
  return createSyncRunner({ store, clients, clock, logger, budgets });
}

/** Everything of the ledger a sync may change, apart from the run records themselves. */
function ledgerData() {
  const d = store.read().data;
  return structuredClone({ pools: d.pools, assignments: d.assignments, audit: d.audit, drift: d.drift });
}

/** Syncs every vendor once, healthy, so a later failure has data to leave alone. */
async function seedLedger(runner: SyncRunner): Promise<void> {
  expect((await runner.run({ trigger: 'command' })).status).toBe('ok');
  clock.advance(60_000);
}

describe('vendor budgets in a real sync', () => {
  const runaway: [Vendor, FaultPlan, string][] = [
    ['webex', { endlessPaging: true }, 'VENDOR_TOO_MANY_PAGES'],
    ['meraki', { endlessPaging: true }, 'VENDOR_TOO_MANY_PAGES'],
    ['zoho_crm', { endlessPaging: true }, 'VENDOR_TOO_MANY_PAGES'],
    ['cpod', { endlessPaging: true }, 'VENDOR_TOO_MANY_PAGES'],
    ['webex', { linkLoop: true }, 'VENDOR_PAGING_LOOP'],
    ['meraki', { linkLoop: true }, 'VENDOR_PAGING_LOOP'],
    ['zoho_crm', { linkLoop: true }, 'VENDOR_PAGING_LOOP'],
    ['cpod', { linkLoop: true }, 'VENDOR_PAGING_LOOP'],
  ];

  it.each(runaway)('stops %s paging %j with %s, within the page budget, and leaves its data as it was', async (vendor, plan, code) => {
    const runner = runnerFor();
    await seedLedger(runner);
    const before = ledgerData();
    emulators.faults[vendor].set(plan);

    const report = await runner.run({ vendor, trigger: 'command' });

    expect(report.status).toBe('failed');
    const run = report.vendors[0]!.run;
    expect(run.error?.code).toBe(code);
    expect(run.error?.message).toContain(code === 'VENDOR_TOO_MANY_PAGES' ? 'VENDOR_MAX_PAGES' : 'loop');
    // One listing walk reads at most 50 pages; Webex walks four licenses at once.
    expect(run.pages).toBeLessThanOrEqual(vendor === 'webex' ? 4 * 50 + 1 : 2 * 50 + 2);
    expect(ledgerData()).toEqual(before);
    expect(store.read().data.syncRuns[run.id]).toMatchObject({ status: 'failed', error: { code } });

    emulators.faults[vendor].clear();
    expect((await runner.run({ vendor, trigger: 'command' })).status).toBe('ok');
  });

  it('refuses a 400 MB body after reading at most the 8 MiB cap, with memory bounded, and leaves the ledger as it was', async () => {
    const runner = runnerFor();
    await seedLedger(runner);
    const before = ledgerData();
    emulators.faults.webex.set({ hugeBody: { bytes: 400 * 1000 * 1000 } });
    const rssBefore = process.memoryUsage().rss;

    const report = await runner.run({ vendor: 'webex', trigger: 'command' });

    const grown = process.memoryUsage().rss - rssBefore;
    const run = report.vendors[0]!.run;
    expect(run.error?.code).toBe('VENDOR_TOO_LARGE');
    expect(run.error?.message).toMatch(/webex: GET http:\/\/127\.0\.0\.1:\d+\/v1\/licenses answered HTTP 200 and sent more than 8 MiB, over the 8 MiB cap per response \(VENDOR_MAX_RESPONSE_MB\)/);
    expect(grown).toBeLessThan(100 * MiB);
    expect(ledgerData()).toEqual(before);
  });

  it('refuses a body whose Content-Length is over the cap without reading it', async () => {
    const runner = runnerFor();
    emulators.faults.cpod.set({ hugeBody: { bytes: 400 * 1000 * 1000, declareLength: true } });
    const report = await runner.run({ vendor: 'cpod', trigger: 'command' });
    expect(report.vendors[0]!.run.error).toMatchObject({ code: 'VENDOR_TOO_LARGE', httpStatus: 200 });
    expect(report.vendors[0]!.run.error?.message).toContain('declared a 381.5 MiB body');
    expect(store.read().data.pools).toEqual({});
  });

  it('stops a vendor serving one page a second at the sync deadline, says where it was, writes nothing and frees the slot', async () => {
    const runner = runnerFor({ ...BUDGETS, syncTimeoutMs: DEADLINE_MS });
    await seedLedger(runner);
    const before = ledgerData();
    emulators.faults.meraki.set({ slowPageMs: 1000, endlessPaging: true });

    const t0 = performance.now();
    const report = await runner.run({ trigger: 'schedule' });
    const took = performance.now() - t0;

    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    expect(took).toBeLessThan(DEADLINE_MS + 2000);
    expect(report.status).toBe('partial');
    const byVendor = new Map(report.vendors.map((v) => [v.vendor, v]));
    // The deadline is the whole run's: Webex synced before it, Meraki was cut off, the others never started.
    expect(byVendor.get('webex')!.status).toBe('ok');
    expect(byVendor.get('meraki')!.run.error).toMatchObject({ code: 'SYNC_TIMEOUT' });
    expect(byVendor.get('meraki')!.run.error!.message).toMatch(
      /^Sync stopped after 3 seconds \(SYNC_TIMEOUT_MINUTES\); Meraki was still reading page \d+; nothing was changed for Meraki$/,
    );
    expect(byVendor.get('zoho_crm')!.run.error!.message).toBe(
      'Sync stopped after 3 seconds (SYNC_TIMEOUT_MINUTES) before Zoho CRM was read; nothing was changed for Zoho CRM',
    );
    expect(byVendor.get('cpod')!.run.error?.code).toBe('SYNC_TIMEOUT');
    expect(report.message).toContain('Meraki (SYNC_TIMEOUT: Sync stopped after 3 seconds');
    expect(ledgerData()).toEqual(before);
    expect(runner.isRunning()).toBe(false);

    emulators.faults.meraki.clear();
    const next = await runner.run({ trigger: 'command' });
    expect(next.status).toBe('ok');
    expect(runner.lastRuns().map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('stops waiting at the deadline even for a client that ignores the abort signal', async () => {
    let calls = 0;
    const stuck = { vendor: 'webex' as const, connectionId: 'org-1', fetchSnapshot: () => (calls++, new Promise<never>(() => undefined)) };
    const runner = createSyncRunner({ store, clients: [stuck], clock, logger, budgets: { syncTimeoutMs: 50 } });
    const report = await runner.run({ trigger: 'command' });
    expect(calls).toBe(1);
    expect(report.vendors[0]!.run.error).toMatchObject({
      code: 'SYNC_TIMEOUT',
      message: 'Sync stopped after 50 ms (SYNC_TIMEOUT_MINUTES); Webex was still reading; nothing was changed for Webex',
    });
    expect(runner.isRunning()).toBe(false);
  });
});

describe('secrets a vendor echoes back', () => {
  it.each([400, 200] as const)(
    'keeps the client secret and refresh token a token endpoint echoes (HTTP %i) out of the error, the stored run, the report and the logs',
    async (status) => {
      const runner = runnerFor();
      emulators.zoho.faults.set({ echoRequestBody: { count: 1, status } });

      const report = await runner.run({ vendor: 'zoho_crm', trigger: 'command' });

      const run = report.vendors[0]!.run;
      expect(run.error?.code).toBe(status === 400 ? 'VENDOR_HTTP' : 'VENDOR_AUTH');
      expect(run.error?.message).toContain('client_secret=[redacted]');
      const everywhere = JSON.stringify([run, store.read().data.syncRuns[run.id], report.message, logs]);
      expect(everywhere).toContain('Invalid request body');
      for (const secret of [emulators.zoho.clientSecret, emulators.zoho.refreshToken, encodeURIComponent(emulators.zoho.refreshToken)]) {
        expect(everywhere).not.toContain(secret);
        expect(everywhere).not.toContain(secret.slice(0, 12));
      }
    },
  );
});
