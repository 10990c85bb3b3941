/**
 * `npm run sync -- [--vendor webex|meraki|zoho_crm|cpod] [--dry-run]`: one vendor sync from the shell.
 * Prints the report as JSON on stdout (a dry run: counts and per-pool diff, nothing written); logs go to
 * stderr. Exit 0 when every vendor synced, 1 when any vendor failed, 2 on usage, config or store errors.
 * Like main.ts, a composition root: the one other file that reads process.env/argv and exits.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { VENDORS, type Vendor } from '../domain/ledger.js';
import { ConfigError, errorMessage } from '../errors.js';
import { createLogger } from '../log.js';
// eslint-disable-next-line no-restricted-imports -- the CLI is a composition root like main.ts: it picks the store
import { openLowdbSeatStore } from '../store/lowdb-seat-store.js';
import { createVendorClients } from './create-vendor-clients.js';
import { createSyncRunner, type SyncReport } from './sync-runner.js';

const USAGE = 'Usage: npm run sync -- [--vendor webex|meraki|zoho_crm|cpod] [--dry-run]';
const VENDOR_KEYS: Record<Vendor, string> = {
  webex: 'WEBEX_LICENSES_TOKEN',
  meraki: 'MERAKI_API_KEY and MERAKI_ORG_ID',
  zoho_crm: 'ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN',
  cpod: 'CPOD_API_URL and CPOD_TOKEN',
};

interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

function parseCli(argv: readonly string[]): { vendor: Vendor | undefined; dryRun: boolean; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { vendor: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const raw = parsed.values.vendor?.trim().toLowerCase();
  const name = raw === 'zoho' ? 'zoho_crm' : raw;
  if (name !== undefined && !VENDORS.includes(name as Vendor)) {
    throw new UsageError(`unknown vendor "${parsed.values.vendor}": use one of ${VENDORS.join(', ')}`);
  }
  return { vendor: name as Vendor | undefined, dryRun: parsed.values['dry-run'] ?? false, help: parsed.values.help ?? false };
}

/** The CLI's JSON: per vendor its status, run numbers, counts, per-pool diff and error. */
function printable(report: SyncReport): unknown {
  return {
    status: report.status,
    message: report.message,
    dryRun: report.dryRun,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    vendors: report.vendors.map((v) => ({
      vendor: v.vendor,
      connectionId: v.connectionId,
      status: v.status,
      runId: v.run.id,
      pages: v.run.pages,
      requests: v.run.requests,
      retries: v.run.retries,
      counts: v.plan?.counts ?? null,
      pools: v.plan?.pools ?? [],
      error: v.run.error,
    })),
  };
}

export async function runSyncCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (err) {
    io.err(`sync: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    io.err(`sync: ${err instanceof ConfigError ? err.message : errorMessage(err)}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel }, pino.destination({ dest: 2, sync: true })).child({ cli: 'sync' });
  const clients = createVendorClients(config.vendors, { fetch: globalThis.fetch, clock: systemClock, logger });
  if (clients.length === 0) {
    io.err(`sync: no vendor is configured. Set the credentials of at least one: ${VENDORS.map((v) => VENDOR_KEYS[v]).join('; ')}.\n`);
    return 2;
  }
  if (args.vendor !== undefined && !clients.some((c) => c.vendor === args.vendor)) {
    io.err(`sync: ${args.vendor} is not configured: set ${VENDOR_KEYS[args.vendor]}.\n`);
    return 2;
  }
  let store;
  try {
    store = await openLowdbSeatStore({ dir: config.dataDir, logger });
  } catch (err) {
    io.err(`sync: cannot open the ledger in ${config.dataDir}: ${errorMessage(err)}\n`);
    return 2;
  }
  let report: SyncReport;
  try {
    const runner = createSyncRunner({ store, clients, clock: systemClock, logger });
    report = await runner.run({ trigger: 'cli', dryRun: args.dryRun, ...(args.vendor === undefined ? {} : { vendor: args.vendor }) });
  } finally {
    await store.close();
  }
  io.out(`${JSON.stringify(printable(report), null, 2)}\n`);
  if (report.status !== 'ok') io.err(`sync: ${report.message}\n`);
  return report.status === 'ok' ? 0 : 1;
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  const exit = (code: number): void => {
    // Exit once stdout is flushed (a pipe may still hold a large report); keep-alive sockets must not hold us.
    process.stdout.write('', () => process.exit(code));
  };
  runSyncCli(process.argv.slice(2), process.env, {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
  }).then(exit, (err: unknown) => {
    process.stderr.write(`sync: failed: ${errorMessage(err)}\n`);
    exit(2);
  });
}
