/**
 * `npm run store -- export --out FILE | import --in FILE [--replace] | migrate`: moves the ledger between
 * the lowdb files in DATA_DIR and PostgreSQL (DATABASE_URL), verified by counts and the SHA-256 of the
 * canonical JSON (sorted keys), and applies PostgreSQL schema migrations.
 *
 * - export: reads the configured ledger (DATABASE_URL when set, else DATA_DIR) and writes canonical JSON.
 * - import: loads a file into the configured ledger; refuses one that holds anything unless --replace,
 *   then reads it back and compares. A running bot owns its ledger: STORE_LOCKED (stop it first).
 * - migrate: brings the database to this release's schema and prints the version.
 * Prints one JSON report on stdout; errors go to stderr as `store: CODE: message`. Exit 0 on success, 1 on
 * a store error, 2 on usage or config errors. Like main.ts, a composition root: reads process.env/argv, exits.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { AppError, errorMessage } from './errors.js';
import { exportLedger, importLedger, type LedgerLocation } from './store/ledger-transfer.js';
import { describeDatabaseUrl } from './store/postgres/database-url.js';
import { migrateDatabase } from './store/postgres/migrations.js';
import { runIfEntry, startCli, type CliIo } from './cli-entry.js';

const USAGE = 'Usage: npm run store -- export --out FILE | import --in FILE [--replace] | migrate';


class UsageError extends Error {}

function parseCli(argv: readonly string[]): { command: string; out?: string; in?: string; replace: boolean; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, in: { type: 'string' }, replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  const command = positionals[0] ?? '';
  if (help) return { command, replace: false, help };
  if (positionals.length !== 1 || !['export', 'import', 'migrate'].includes(command)) {
    throw new UsageError(positionals.length === 0 ? 'name a command' : `unknown command "${positionals.join(' ')}"`);
  }
  if (command === 'export' && !values.out) throw new UsageError('export needs --out FILE');
  if (command === 'import' && !values.in) throw new UsageError('import needs --in FILE');
  if (values.replace && command !== 'import') throw new UsageError('--replace goes with import');
  return { command, ...(values.out ? { out: values.out } : {}), ...(values.in ? { in: values.in } : {}), replace: values.replace ?? false, help };
}

export async function runStoreCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  const start = startCli('store', USAGE, parseCli, argv, env, io);
  if ('exit' in start) return start.exit;
  const { args, config } = start;
  const at: LedgerLocation = { databaseUrl: config.databaseUrl, dataDir: config.dataDir };
  try {
    if (args.command === 'export') {
      const rep = await exportLedger(at, args.out ?? '');
      io.out(`${JSON.stringify({ command: 'export', from: rep.where, out: args.out, counts: rep.counts, sha256: rep.sha256, bytes: rep.bytes }, null, 2)}\n`);
    } else if (args.command === 'import') {
      const rep = await importLedger(at, args.in ?? '', { replace: args.replace });
      io.out(`${JSON.stringify({ command: 'import', in: args.in, into: rep.where, replaced: rep.replaced, counts: rep.counts, sha256: rep.sha256, verified: true }, null, 2)}\n`);
    } else {
      if (config.databaseUrl === null) {
        io.err('store: STORE_NO_DATABASE: migrate applies to PostgreSQL: set DATABASE_URL (the lowdb files in DATA_DIR migrate themselves on open)\n');
        return 2;
      }
      const where = describeDatabaseUrl(config.databaseUrl);
      const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
      pool.on('error', () => undefined); // a broken idle connection fails the next query, which reports it
      try {
        const m = await migrateDatabase(pool, where);
        io.out(`${JSON.stringify({ command: 'migrate', database: where, from: m.from, version: m.to, applied: m.applied }, null, 2)}\n`);
      } finally {
        await pool.end();
      }
    }
    return 0;
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'STORE_FAILED';
    io.err(`store: ${code}: ${errorMessage(err)}\n`);
    return 1;
  }
}

runIfEntry(import.meta.url, 'store', runStoreCli);
