import { readFile, rename, writeFile } from 'node:fs/promises';
import pg from 'pg';
import type { LedgerData } from '../domain/ledger.js';
import { LedgerIndex } from '../domain/ledger-view.js';
import { StoreError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { canonicalJson, sha256 } from './canonical-json.js';
import { lockDataDir } from './lowdb/data-dir-lock.js';
import { openLedgerFiles } from './lowdb/open-ledger-files.js';
import { openLowdbSeatStore } from './lowdb/lowdb-seat-store.js';
import { SnapshotFile } from './lowdb/snapshot-file.js';
import { migrateLedger } from './migrate-ledger.js';
import { describeDatabaseUrl, isPostgresUrl } from './postgres/database-url.js';
import { LEDGER_CHANNEL, LEDGER_WRITE_LOCK, lastCommittedSeq, loadLedger } from './postgres/ledger-log.js';
import { migrateDatabase } from './postgres/migrations.js';
import { openPostgresSeatStore } from './postgres/open-postgres-seat-store.js';

/** Where the ledger lives: DATABASE_URL when set, else the lowdb files in DATA_DIR. */
export interface LedgerLocation {
  databaseUrl: string | null;
  dataDir: string;
  logger?: Logger;
}

export interface TransferReport {
  /** The database (no password) or the ledger file. */
  where: string;
  /** Records per collection. */
  counts: Record<string, number>;
  /** SHA-256 of the canonical JSON (canonical-json.ts). */
  sha256: string;
  bytes: number;
}

const isPg = (at: LedgerLocation): at is LedgerLocation & { databaseUrl: string } => at.databaseUrl !== null && isPostgresUrl(at.databaseUrl);
const ROLE = 'store-cli';

/** Records in each collection of the ledger (schemaVersion aside). */
export function ledgerCounts(data: LedgerData): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, value] of Object.entries(data as unknown as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Array.isArray(value)) counts[key] = value.length;
    else if (typeof value === 'object' && value !== null) counts[key] = Object.keys(value).length;
  }
  return counts;
}

const isEmpty = (data: LedgerData): boolean => Object.values(ledgerCounts(data)).every((n) => n === 0);

/** Reads the whole ledger (PostgreSQL without following other instances; lowdb under its DATA_DIR lock). */
export async function readLedger(at: LedgerLocation): Promise<{ where: string; data: LedgerData }> {
  const store = isPg(at)
    ? await openPostgresSeatStore({ url: at.databaseUrl, listen: false, ...(at.logger ? { logger: at.logger } : {}) })
    : await openLowdbSeatStore({ dir: at.dataDir, role: ROLE, ...(at.logger ? { logger: at.logger } : {}) });
  try {
    return { where: store.health().file ?? at.dataDir, data: structuredClone(store.read().data) };
  } finally {
    await store.close();
  }
}

function report(where: string, data: LedgerData): TransferReport & { text: string } {
  const text = canonicalJson(data);
  return { where, counts: ledgerCounts(data), sha256: sha256(text), bytes: Buffer.byteLength(text), text };
}

/** Writes the ledger as canonical JSON to `out` (temp file + rename). */
export async function exportLedger(at: LedgerLocation, out: string): Promise<TransferReport> {
  const { where, data } = await readLedger(at);
  const { text, ...rep } = report(where, data);
  const temp = `${out}.tmp-${process.pid}`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, out);
  } catch (err) {
    throw new StoreError('STORE_EXPORT_FAILED', out, `Cannot write ${out}: ${errorMessage(err)}`, { cause: err });
  }
  return rep;
}

/**
 * Loads a ledger file (an export, or a lowdb `ledger.json`) into the configured ledger, refusing a
 * target that holds anything unless `replace`; then reads the target back and compares counts and the
 * checksum of its canonical JSON with the file's (STORE_IMPORT_MISMATCH when they differ).
 */
export async function importLedger(at: LedgerLocation, file: string, options: { replace: boolean }): Promise<TransferReport & { replaced: boolean }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new StoreError('STORE_IMPORT_UNREADABLE', file, `Cannot read ${file} as JSON: ${errorMessage(err)}`, { cause: err });
  }
  const data = migrateLedger(raw, file).data;
  new LedgerIndex(structuredClone(data)); // throws on records the ledger cannot index
  const expected = report(file, data);
  const replaced = isPg(at) ? await importIntoPostgres(at.databaseUrl, data, options.replace) : await importIntoLowdb(at.dataDir, data, options.replace);
  const back = await readLedger(at);
  const got = report(back.where, back.data);
  if (got.sha256 !== expected.sha256 || JSON.stringify(got.counts) !== JSON.stringify(expected.counts)) {
    throw new StoreError(
      'STORE_IMPORT_MISMATCH',
      back.where,
      `${back.where}: the ledger read back differs from ${file} (sha256 ${got.sha256} vs ${expected.sha256}; counts ${JSON.stringify(got.counts)} vs ${JSON.stringify(expected.counts)})`,
    );
  }
  const { text: _text, ...rep } = got;
  return { ...rep, replaced };
}

function notEmpty(where: string): StoreError {
  return new StoreError('STORE_IMPORT_NOT_EMPTY', where, `${where} already holds a ledger; import with --replace to overwrite it (export it first to keep a copy)`);
}

/** Under the DATA_DIR lock (a running bot: STORE_LOCKED): a new snapshot past every journal line. */
async function importIntoLowdb(dir: string, data: LedgerData, replace: boolean): Promise<boolean> {
  const lock = await lockDataDir(dir, { role: ROLE });
  try {
    const files = await openLedgerFiles({ dir });
    await files.journal.close();
    const had = !isEmpty(files.index.data);
    if (had && !replace) throw notEmpty(files.file);
    // journalSeq = the last journal line: replay skips every old line, so the import replaces them.
    await new SnapshotFile(files.file).write({ data, journalSeq: files.lastSeq, fromVersion: data.schemaVersion });
    return had;
  } finally {
    await lock.release();
  }
}

/**
 * In one transaction under the ledger write lock: the log is emptied and the import becomes a snapshot at
 * a seq past everything before. Refused while a bot instance is connected (STORE_LOCKED), as lowdb is.
 */
async function importIntoPostgres(url: string, data: LedgerData, replace: boolean): Promise<boolean> {
  const where = describeDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined); // a broken idle connection fails the next query, which reports it
  try {
    await migrateDatabase(pool, where);
    const client = await pool.connect();
    try {
      await client.query(`begin; select pg_advisory_xact_lock(${LEDGER_WRITE_LOCK})`);
      const bots = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query = $1",
        [`listen ${LEDGER_CHANNEL}`],
      );
      const running = bots.rows[0]?.n ?? 0;
      if (running > 0) {
        throw new StoreError('STORE_LOCKED', where, `${where}: ${running} bot instance(s) are connected to this ledger; stop them before importing`);
      }
      const loaded = await loadLedger(client, where);
      const index = new LedgerIndex(loaded.data);
      for (const row of loaded.rows) index.apply(row.changes);
      const had = !isEmpty(index.data);
      if (had && !replace) throw notEmpty(where);
      const seq = (await lastCommittedSeq(client)) + 1;
      await client.query('delete from ledger_changes');
      await client.query('delete from ledger_snapshots');
      await client.query('insert into ledger_snapshots (seq, data) values ($1, $2::json)', [seq, JSON.stringify(data)]);
      await client.query('commit');
      return had;
    } catch (err) {
      await client.query('rollback').catch(() => undefined); // the import error is what matters
      throw err;
    } finally {
      client.release();
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError('STORE_IMPORT_FAILED', where, `Cannot import into ${where}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await pool.end();
  }
}
