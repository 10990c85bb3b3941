// Benchmark: a full vendor sync from the emulators (rate limits off) into a fresh lowdb store.
// 50,000-license Meraki per-device org (1,000 per page) + a Webex org with 10,000 assigned users.
// Targets: under 10 s and under 300 MB peak RSS of the syncing process (sampled every 50 ms). The emulators
// stand in for remote vendors, so they run in a child process and their memory is not counted.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { createVendorClients } from '../../src/sync/runner/create-vendor-clients.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';

export const name = 'sync';

const WEBEX_TOKEN = 'bench-webex-token-0123456789';
const MERAKI_KEY = 'bench-meraki-key-0123456789';
const MERAKI_ORG = '900001';

/** Starts both emulators with the big data sets in a child process; resolves with their URLs. */
async function startEmulatorProcess(): Promise<{ webexUrl: string; merakiUrl: string; stop: () => Promise<void> }> {
  const src = (p: string): string => JSON.stringify(new URL(`../../src/sandbox/vendor-emulators/${p}`, import.meta.url).href);
  const code = `
    const { generateMerakiDataset } = await import(${src('demo-data/meraki.ts')});
    const { generateWebexDataset } = await import(${src('demo-data/webex.ts')});
    const { startMerakiEmulator } = await import(${src('meraki-emulator.ts')});
    const { startWebexLicensesEmulator } = await import(${src('webex-licenses-emulator.ts')});
    const webex = await startWebexLicensesEmulator({ token: ${JSON.stringify(WEBEX_TOKEN)}, data: generateWebexDataset({ licenses: 4, users: 10000, usersPerLicense: 2500 }) });
    const meraki = await startMerakiEmulator({ apiKey: ${JSON.stringify(MERAKI_KEY)}, rateLimitPerSecond: 0, data: generateMerakiDataset({ licenses: 50000, orgId: ${JSON.stringify(MERAKI_ORG)} }) });
    process.stdout.write(JSON.stringify({ webexUrl: webex.url, merakiUrl: meraki.url }) + '\\n');
    process.stdin.resume();
    process.stdin.on('end', () => Promise.all([webex.close(), meraki.close()]).then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let out = '';
  const urls = await new Promise<{ webexUrl: string; merakiUrl: string }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('\n')) resolve(JSON.parse(out) as { webexUrl: string; merakiUrl: string });
    });
    void exited.then(() => reject(new Error('the emulator process exited before it started')));
  });
  return {
    ...urls,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;

export interface SyncBenchResult {
  name: string;
  seconds: number;
  /** Until the report, i.e. every change durable in the journal. */
  syncSeconds: number;
  /** Including store.close(): waits for a background compaction the sync may have started. */
  closeSeconds: number;
  peakRssMb: number;
  /** RSS of this process just before the sync. */
  baselineRssMb: number;
  targets: { seconds: number; rssMb: number };
  targetsMet: boolean;
  status: string;
  vendors: { vendor: string; status: string; pools: number; seatsAdded: number; pages: number; requests: number; retries: number }[];
}

export async function run(): Promise<SyncBenchResult> {
  const emulators = await startEmulatorProcess();
  const dir = await mkdtemp(join(tmpdir(), 'sync-bench-'));
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 50);
  try {
    const config = loadConfig({
      DATA_DIR: dir,
      WEBEX_LICENSES_TOKEN: WEBEX_TOKEN,
      WEBEX_LICENSES_API_URL: emulators.webexUrl,
      MERAKI_API_KEY: MERAKI_KEY,
      MERAKI_ORG_ID: MERAKI_ORG,
      MERAKI_API_URL: emulators.merakiUrl,
    });
    const logger = createLogger({ level: 'warn' });
    const baseline = process.memoryUsage().rss;
    peak = baseline;
    const started = performance.now();
    const store = await openLowdbSeatStore({ dir: config.dataDir, logger });
    const clients = createVendorClients(config.vendors, { fetch: globalThis.fetch, clock: systemClock, logger, merakiMaxRequestsPerSecond: 0 });
    const report = await createSyncRunner({ store, clients, clock: systemClock, logger }).run({ trigger: 'cli' });
    sample();
    const synced = performance.now();
    await store.close();
    sample();
    const closed = performance.now();
    const seconds = (closed - started) / 1000;
    const peakRssMb = Math.round(peak / MB);
    return {
      name,
      seconds: round(seconds),
      syncSeconds: round((synced - started) / 1000),
      closeSeconds: round((closed - synced) / 1000),
      peakRssMb,
      baselineRssMb: Math.round(baseline / MB),
      targets: { seconds: TARGET_SECONDS, rssMb: TARGET_RSS_MB },
      targetsMet: report.status === 'ok' && seconds < TARGET_SECONDS && peakRssMb < TARGET_RSS_MB,
      status: report.status,
      vendors: report.vendors.map((v) => ({
        vendor: v.vendor,
        status: v.status,
        pools: v.plan?.counts.poolsReported ?? 0,
        seatsAdded: v.plan?.counts.seatsAdded ?? 0,
        pages: v.run.pages,
        requests: v.run.requests,
        retries: v.run.retries,
      })),
    };
  } finally {
    clearInterval(sampler);
    await emulators.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;
