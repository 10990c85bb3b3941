import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCpodEmulator } from '../src/sandbox/vendor-emulators/cpod-emulator.js';
import { startMerakiEmulator } from '../src/sandbox/vendor-emulators/meraki-emulator.js';
import { startWebexLicensesEmulator } from '../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startZohoEmulator } from '../src/sandbox/vendor-emulators/zoho-emulator.js';
import { openLowdbSeatStore } from '../src/store/lowdb/lowdb-seat-store.js';
import { openPostgresSeatStore } from '../src/store/postgres/open-postgres-seat-store.js';
import { createTestDatabase, pgMissing } from './support/pg-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEBEX_TOKEN = 'wx-admin-token-0123456789';
const MERAKI_KEY = 'meraki-key-0123456789';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface PrintedReport {
  status: string;
  message: string;
  dryRun: boolean;
  vendors: {
    vendor: string;
    status: string;
    counts: Record<string, number> | null;
    pools: { poolId: string; action: string; seatsAdded: number }[];
    error: { code: string; httpStatus: number | null } | null;
  }[];
}

/** Runs the CLI as `npm run sync` does (tsx), asynchronously so the emulators in this process can answer. */
function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/sync-cli.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dataDir: string;
let emulators: Awaited<ReturnType<typeof startEmulators>>;

async function startEmulators() {
  const webex = await startWebexLicensesEmulator({ token: WEBEX_TOKEN });
  const meraki = await startMerakiEmulator({ apiKey: MERAKI_KEY, rateLimitPerSecond: 0 });
  const zoho = await startZohoEmulator();
  const cpod = await startCpodEmulator();
  const env: Record<string, string> = {
    WEBEX_LICENSES_TOKEN: WEBEX_TOKEN, WEBEX_LICENSES_API_URL: webex.url,
    MERAKI_API_KEY: MERAKI_KEY, MERAKI_ORG_ID: '549236', MERAKI_API_URL: meraki.url,
    ZOHO_CLIENT_ID: zoho.clientId, ZOHO_CLIENT_SECRET: zoho.clientSecret, ZOHO_REFRESH_TOKEN: zoho.refreshToken,
    ZOHO_ACCOUNTS_URL: zoho.url, ZOHO_API_URL: zoho.url,
    CPOD_API_URL: cpod.url, CPOD_TOKEN: cpod.token,
  };
  return { webex, meraki, zoho, cpod, env, close: () => Promise.all([webex.close(), meraki.close(), zoho.close(), cpod.close()]) };
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(dir)) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sync-cli-'));
  emulators = await startEmulators();
});
afterEach(async () => {
  await emulators.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run sync', () => {
  it('syncs every configured vendor into DATA_DIR, prints the report and exits 0; a second run changes nothing', async () => {
    const first = await runCli([], { ...emulators.env, DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as PrintedReport;
    expect(report).toMatchObject({ status: 'ok', dryRun: false });
    expect(report.vendors.map((v) => [v.vendor, v.status])).toEqual([['webex', 'ok'], ['meraki', 'ok'], ['zoho_crm', 'ok'], ['cpod', 'ok']]);

    const second = JSON.parse((await runCli([], { ...emulators.env, DATA_DIR: dataDir })).stdout) as PrintedReport;
    expect(second.vendors.map((v) => v.counts?.['changes'])).toEqual([0, 0, 0, 0]);

    const store = await openLowdbSeatStore({ dir: dataDir });
    try {
      const vendors = new Set(store.read().pools().map((p) => p.vendor));
      expect([...vendors].sort()).toEqual(['cpod', 'meraki', 'webex', 'zoho_crm']);
      expect(Object.values(store.read().data.syncRuns).filter((r) => r.trigger === 'cli')).toHaveLength(8);
    } finally {
      await store.close();
    }
  });

  it('with --vendor meraki --dry-run prints the plan as JSON, touches only Meraki and writes nothing', async () => {
    await runCli(['--vendor', 'webex'], { ...emulators.env, DATA_DIR: dataDir });
    const files = await filesOf(dataDir);

    const dry = await runCli(['--vendor', 'meraki', '--dry-run'], { ...emulators.env, DATA_DIR: dataDir });

    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as PrintedReport;
    expect(plan).toMatchObject({ status: 'ok', dryRun: true });
    expect(plan.vendors).toHaveLength(1);
    const [meraki] = plan.vendors;
    expect(meraki).toMatchObject({ vendor: 'meraki', status: 'ok', counts: { poolsAdded: 4, seatsAdded: 5 } });
    expect(meraki!.pools.map((p) => [p.poolId, p.action]).sort()).toEqual([
      ['meraki:549236:549236:MR-ENT', 'add'],
      ['meraki:549236:549236:MS220-8P', 'add'],
      ['meraki:549236:549236:MX64-ENT', 'add'],
      ['meraki:549236:549236:SM', 'add'],
    ]);
    expect(emulators.webex.requests.length).toBeGreaterThan(0);
    expect(await filesOf(dataDir)).toEqual(files);
  });

  it('exits 1 with the failing vendor named when a vendor refuses the credentials, and still syncs the others', async () => {
    const res = await runCli([], { ...emulators.env, MERAKI_API_KEY: 'wrong-key-0000000000', DATA_DIR: dataDir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Sync failed for Meraki \(/);
    expect(res.stderr).not.toContain('wrong-key-0000000000');
    const report = JSON.parse(res.stdout) as PrintedReport;
    expect(report.status).toBe('partial');
    expect(report.vendors.find((v) => v.vendor === 'meraki')).toMatchObject({ status: 'failed', error: { httpStatus: 401 } });
    expect(report.vendors.filter((v) => v.status === 'ok').map((v) => v.vendor)).toEqual(['webex', 'zoho_crm', 'cpod']);
  });

  it('exits 2 with every bad key named on a configuration error, before contacting any vendor', async () => {
    const partial = await runCli([], { ...emulators.env, MERAKI_ORG_ID: '', DATA_DIR: dataDir });
    expect(partial.code).toBe(2);
    expect(partial.stdout).toBe('');
    expect(partial.stderr).toMatch(/MERAKI_ORG_ID: is required when any Meraki setting is set/);
    expect(partial.stderr).not.toContain(MERAKI_KEY);

    const badUrl = await runCli([], { ...emulators.env, CPOD_API_URL: 'not a url', SYNC_CRON: 'soon', DATA_DIR: dataDir });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/CPOD_API_URL: must be an http\(s\) URL/);
    expect(badUrl.stderr).toMatch(/SYNC_CRON: must be a cron expression/);
    expect(emulators.meraki.requests).toEqual([]);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('exits 2 on an unknown or unconfigured vendor and when no vendor is configured', async () => {
    const unknown = await runCli(['--vendor', 'salesforce'], { ...emulators.env, DATA_DIR: dataDir });
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toMatch(/unknown vendor "salesforce": use one of webex, meraki, zoho_crm, cpod/);

    const { CPOD_API_URL: _u, CPOD_TOKEN: _t, ...noCpod } = emulators.env;
    const unconfigured = await runCli(['--vendor', 'cpod'], { ...noCpod, DATA_DIR: dataDir });
    expect(unconfigured).toMatchObject({ code: 2 });
    expect(unconfigured.stderr).toMatch(/cpod is not configured: set CPOD_API_URL and CPOD_TOKEN/);

    const none = await runCli([], { DATA_DIR: dataDir });
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toMatch(/no vendor is configured/);
  });
});

describe.skipIf(await pgMissing())('npm run sync with DATABASE_URL', () => {
  it('syncs straight into PostgreSQL while a bot instance has it open (no DATA_DIR lock), and the instance sees it', async () => {
    const db = await createTestDatabase();
    const bot = await openPostgresSeatStore({ url: db.url });
    try {
      const res = await runCli(['--vendor', 'cpod'], { ...emulators.env, DATA_DIR: dataDir, DATABASE_URL: db.url });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ status: 'ok', dryRun: false });
      const started = performance.now();
      while (!bot.read().pools().some((p) => p.vendor === 'cpod')) {
        if (performance.now() - started > 2000) throw new Error('the running instance never saw the synced pools');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await bot.close();
      await db.drop();
    }
  });
});
