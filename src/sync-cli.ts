/**
 * `npm run sync -- [--vendor webex|meraki|zoho_crm|cpod] [--dry-run]`: one vendor sync from the shell.
 * Prints the report as JSON on stdout (a dry run: counts and per-pool diff, nothing written); logs go to
 * stderr. Exit 0 when every vendor synced, 1 when any vendor failed, 2 on usage, config or store errors.
 *
 * One owner per ledger: when the bot is running on the same DATA_DIR, the CLI does not open the ledger; it
 * asks the bot (over the ledger lock's local socket, authorised by the 0600 control token in DATA_DIR) to
 * run the sync with the bot's own vendor settings and prints the bot's report. Otherwise it takes the lock
 * itself (a bot started meanwhile is refused, naming this pid) and syncs with this environment's settings.
 * With DATABASE_URL (PostgreSQL) no process owns the ledger: the CLI syncs directly, its one write ordered
 * with every running instance's by the database.
 * Like main.ts, a composition root: the one other file that reads process.env/argv and exits.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { VENDORS, type Vendor } from './domain/ledger.js';
import { errorMessage } from './errors.js';
import { createLogger } from './log.js';
import { askDataDirOwner } from './store/lowdb/ask-data-dir-owner.js';
import { openSeatStore } from './store/open-seat-store.js';
import { openSecretFile } from './store/secret-file.js';
import { createVendorClients } from './sync/runner/create-vendor-clients.js';
import { printableSyncReport } from './sync/runner/printable-sync-report.js';
import { createSyncRunner } from './sync/runner/sync-runner.js';
import { runIfEntry, startCli, type CliIo } from './cli-entry.js';

const USAGE = 'Usage: npm run sync -- [--vendor webex|meraki|zoho_crm|cpod] [--dry-run]';
const VENDOR_KEYS: Record<Vendor, string> = {
  webex: 'WEBEX_LICENSES_TOKEN (or WEBEX_LICENSES_CLIENT_ID, WEBEX_LICENSES_CLIENT_SECRET and WEBEX_LICENSES_REFRESH_TOKEN)',
  meraki: 'MERAKI_API_KEY and MERAKI_ORG_ID',
  zoho_crm: 'ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN',
  cpod: 'CPOD_API_URL and CPOD_TOKEN',
};
/** What the CLI reads of a report, whether it ran here or in the bot. */
const reportHead = z.object({ status: z.string(), message: z.string() });


interface CliArgs {
  vendor: Vendor | undefined;
  dryRun: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseCli(argv: readonly string[]): CliArgs {
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

/** Prints a report and returns the exit code it stands for. */
function finish(io: CliIo, printable: unknown): number {
  const head = reportHead.safeParse(printable);
  io.out(`${JSON.stringify(printable, null, 2)}\n`);
  if (!head.success) {
    io.err('sync: the report has no status\n');
    return 2;
  }
  if (head.data.status !== 'ok') io.err(`sync: ${head.data.message}\n`);
  return head.data.status === 'ok' ? 0 : 1;
}

export async function runSyncCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  const start = startCli('sync', USAGE, parseCli, argv, env, io);
  if ('exit' in start) return start.exit;
  const { args, config } = start;
  // On PostgreSQL no process owns the ledger: writes of every process are ordered by the database.
  if (config.databaseUrl !== null) return syncHere(args, config, io);
  let delegated;
  try {
    // The bot's answer may take as long as a whole sync may.
    delegated = await askDataDirOwner(config.dataDir, 'sync', { vendor: args.vendor, dryRun: args.dryRun }, config.budgets.syncTimeoutMs + 60_000);
  } catch (err) {
    io.err(`sync: ${config.dataDir} is owned by another process and it did not run the sync: ${errorMessage(err)}\n`);
    return 2;
  }
  if (delegated !== null) {
    io.err(`sync: asked the running bot (pid ${delegated.holder.pid}) to sync; it owns ${config.dataDir} and used its own vendor settings\n`);
    return finish(io, delegated.result);
  }
  return syncHere(args, config, io);
}

async function syncHere(args: CliArgs, config: Config, io: CliIo): Promise<number> {
  const logger = createLogger({ level: config.logLevel }, pino.destination({ dest: 2, sync: true })).child({ cli: 'sync' });
  const clients = createVendorClients(config.vendors, { fetch: globalThis.fetch, clock: systemClock, logger, budgets: config.budgets, openSecret: (name, descendsFrom) => openSecretFile({ dir: config.dataDir, name, descendsFrom }) });
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
    store = (await openSeatStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, role: 'sync-cli', logger })).store;
  } catch (err) {
    io.err(`sync: cannot open the ledger${config.databaseUrl === null ? ` in ${config.dataDir}` : ''}: ${errorMessage(err)}\n`);
    return 2;
  }
  try {
    const runner = createSyncRunner({ store, clients, clock: systemClock, logger, budgets: config.budgets });
    const report = await runner.run({ trigger: 'cli', dryRun: args.dryRun, ...(args.vendor === undefined ? {} : { vendor: args.vendor }) });
    return finish(io, printableSyncReport(report));
  } finally {
    await store.close();
  }
}

runIfEntry(import.meta.url, 'sync', runSyncCli);
