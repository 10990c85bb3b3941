import type pg from 'pg';
import type { Change, LedgerData } from '../../domain/ledger.js';
import { emptyLedger } from '../../domain/ledger.js';
import { StoreError } from '../../errors.js';
import { migrateLedger } from '../migrate-ledger.js';

/** The channel every commit notifies with its last seq; readers of other instances catch up on it. */
export const LEDGER_CHANNEL = 'ledger_changes';

/** Writers of one database take this transaction-scoped advisory lock: one batch commits at a time. */
export const LEDGER_WRITE_LOCK = 7_304_101_002;

/** One committed mutation from the change log. */
export interface LogRow {
  seq: number;
  changes: Change[];
}

/** Where a store starts from: the newest snapshot with every later log row. */
export interface LoadedLedger {
  data: LedgerData;
  snapshotSeq: number;
  rows: LogRow[];
}

/**
 * The SQL of the ledger tables (see migrations.ts), in one place. Seq numbers are contiguous: a writer
 * inserts lastSeq+1.. while holding LEDGER_WRITE_LOCK, so commits become visible in seq order and a
 * reader (with or without the lock) always sees a gap-free prefix.
 */
export async function loadLedger(client: pg.ClientBase, where: string): Promise<LoadedLedger> {
  const snap = await client.query<{ seq: string; data: unknown }>('select seq::text, data from ledger_snapshots order by ledger_snapshots.seq desc limit 1');
  const top = snap.rows[0];
  let data = emptyLedger();
  let snapshotSeq = 0;
  if (top) {
    snapshotSeq = Number(top.seq);
    data = migrateLedger(top.data, `${where} ledger_snapshots seq ${snapshotSeq}`).data;
  }
  const rows = await readLogSince(client, snapshotSeq, where);
  return { data, snapshotSeq, rows };
}

/** Committed rows with seq > `after`, in order; STORE_LOG_GAP when the log does not continue from `after`. */
export async function readLogSince(client: pg.ClientBase, after: number, where: string): Promise<LogRow[]> {
  const res = await client.query<{ seq: string; changes: Change[] }>(
    'select seq::text, changes from ledger_changes where seq > $1 order by ledger_changes.seq',
    [after],
  );
  return checkedRows(res.rows, after, where);
}

/**
 * BEGIN, LEDGER_WRITE_LOCK and the rows after `after` in one round trip (the lock is held for as short as
 * possible). The statements cannot take parameters, so `after` is written in as an integer.
 */
export async function lockAndReadLog(client: pg.ClientBase, after: number, where: string): Promise<LogRow[]> {
  if (!Number.isSafeInteger(after) || after < 0) throw new StoreError('STORE_LOG_GAP', where, `${where}: bad local seq ${after}`);
  const results = (await client.query(
    `begin; select pg_advisory_xact_lock(${LEDGER_WRITE_LOCK}); select seq::text, changes from ledger_changes where seq > ${after} order by ledger_changes.seq`,
  )) as unknown as pg.QueryResult<{ seq: string; changes: Change[] }>[];
  return checkedRows(results[2]?.rows ?? [], after, where);
}

function checkedRows(raw: readonly { seq: string; changes: Change[] }[], after: number, where: string): LogRow[] {
  const rows = raw.map((r) => ({ seq: Number(r.seq), changes: r.changes }));
  let expected = after + 1;
  for (const row of rows) {
    if (row.seq !== expected) {
      throw new StoreError('STORE_LOG_GAP', where, `${where}: the change log jumps from seq ${expected - 1} to ${row.seq} (pruned below a snapshot, or damaged)`);
    }
    expected++;
  }
  return rows;
}

/** The highest committed seq (0 for an empty ledger). */
export async function lastCommittedSeq(client: pg.ClientBase): Promise<number> {
  const res = await client.query<{ seq: string | null }>(
    'select greatest((select max(seq) from ledger_changes), (select max(seq) from ledger_snapshots), 0)::text as seq',
  );
  return Number(res.rows[0]?.seq ?? 0);
}

/**
 * Appends rows (each `changes` already JSON text, written verbatim) in one statement and notifies the
 * last seq on commit. Call inside the transaction that holds LEDGER_WRITE_LOCK.
 */
export async function appendLog(client: pg.ClientBase, rows: readonly { seq: number; text: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const batch = `[${rows.map((r) => `[${r.seq},${r.text}]`).join(',')}]`;
  // One round trip: a data-modifying WITH runs in full whether or not the outer query reads it.
  await client.query(
    'with ins as (insert into ledger_changes (seq, changes) select (e->>0)::bigint, e->1 from json_array_elements($1::json) as e) select pg_notify($2, $3)',
    [batch, LEDGER_CHANNEL, String(rows[rows.length - 1]?.seq ?? 0)],
  );
}

/**
 * Stores a snapshot of the ledger at `seq` and prunes what is no longer needed: snapshots older than the
 * previous one, and log rows up to that previous snapshot (an instance lagging further behind reloads from
 * the newest snapshot when it meets the gap).
 */
export async function writeSnapshot(pool: pg.Pool, seq: number, text: string): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    await client.query('insert into ledger_snapshots (seq, data) values ($1, $2::json) on conflict (seq) do nothing', [seq, text]);
    const prev = await client.query<{ seq: string }>('select seq::text from ledger_snapshots where seq < $1 order by ledger_snapshots.seq desc limit 1', [seq]);
    const keepFrom = prev.rows[0]?.seq;
    if (keepFrom !== undefined) {
      await client.query('delete from ledger_snapshots where seq < $1', [keepFrom]);
      await client.query('delete from ledger_changes where seq <= $1', [keepFrom]);
    }
    await client.query('commit');
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    await client.query('rollback').catch(() => undefined); // the connection is dropped anyway
    throw err;
  } finally {
    client.release(broken);
  }
}
