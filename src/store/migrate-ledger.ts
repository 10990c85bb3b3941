import { z } from 'zod';
import { SCHEMA_VERSION, type LedgerData } from '../domain/ledger.js';
import { StoreError } from '../errors.js';

/** A ledger file after migration: the data plus the last journal seq the snapshot already contains. */
export interface MigratedLedger {
  data: LedgerData;
  journalSeq: number;
  /** The schemaVersion found in the file (0 = a file written before versions existed). */
  fromVersion: number;
}

type RawLedger = Record<string, unknown>;

/**
 * One step per version: MIGRATIONS[n] turns a version-n document into version n+1.
 * v0 (no schemaVersion): the first layout, which only had pools and assignments; the other collections
 * are filled in empty.
 */
const MIGRATIONS: Record<number, (raw: RawLedger) => RawLedger> = {
  0: (raw) => ({
    ...raw,
    schemaVersion: 1,
    pools: raw['pools'] ?? {},
    assignments: raw['assignments'] ?? {},
    audit: raw['audit'] ?? [],
    idempotency: raw['idempotency'] ?? {},
    syncRuns: raw['syncRuns'] ?? {},
    drift: raw['drift'] ?? {},
    spaces: raw['spaces'] ?? {},
    notices: raw['notices'] ?? {},
    waitlist: raw['waitlist'] ?? {},
    provisions: raw['provisions'] ?? {},
    provisionHolds: raw['provisionHolds'] ?? {},
  }),
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Top-level shape only: checking every record deeply would make loading 100k seats slow.
const dict = z.custom<Record<string, never>>(isPlainObject, 'expected an object keyed by id');
const list = z.custom<never[]>((v) => Array.isArray(v), 'expected an array');
const currentShape = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  journalSeq: z.number().int().nonnegative().optional(),
  pools: dict,
  assignments: dict,
  audit: list,
  idempotency: dict,
  syncRuns: dict,
  drift: dict,
  spaces: dict,
  // Added within version 1 (scheduled-notice marks): files written before it have none, read as empty.
  notices: dict.optional(),
  // Added within version 1 (waitlist): read as empty when absent.
  waitlist: dict.optional(),
  // Added within version 1 (write-back outbox): read as empty when absent.
  provisions: dict.optional(),
  provisionHolds: dict.optional(),
});

/**
 * Upgrades a parsed ledger file to SCHEMA_VERSION step by step and checks its top-level shape.
 * Throws StoreError (naming `file`): STORE_CORRUPT for a wrong shape, STORE_FUTURE_VERSION for a file
 * written by a newer release. Never touches the file itself.
 */
export function migrateLedger(raw: unknown, file: string): MigratedLedger {
  if (!isPlainObject(raw)) {
    throw new StoreError('STORE_CORRUPT', file, `${file}: expected a JSON object at the top level`);
  }
  const found = raw['schemaVersion'] ?? 0;
  if (typeof found !== 'number' || !Number.isInteger(found) || found < 0) {
    throw new StoreError('STORE_CORRUPT', file, `${file}: schemaVersion must be a non-negative integer, got ${JSON.stringify(found)}`);
  }
  if (found > SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_FUTURE_VERSION',
      file,
      `${file}: schemaVersion ${found} is newer than this release understands (${SCHEMA_VERSION}); upgrade the bot or restore a backup`,
    );
  }
  let doc = raw;
  for (let v = found; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new StoreError('STORE_CORRUPT', file, `${file}: no migration from schemaVersion ${v}`);
    doc = step(doc);
  }
  const parsed = currentShape.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new StoreError('STORE_CORRUPT', file, `${file}: not a ledger file (${issues})`);
  }
  const p = parsed.data;
  return {
    data: {
      schemaVersion: SCHEMA_VERSION,
      pools: p.pools,
      assignments: p.assignments,
      audit: p.audit,
      idempotency: p.idempotency,
      syncRuns: p.syncRuns,
      drift: p.drift,
      spaces: p.spaces,
      notices: p.notices ?? {},
      waitlist: p.waitlist ?? {},
      provisions: p.provisions ?? {},
      provisionHolds: p.provisionHolds ?? {},
    },
    journalSeq: p.journalSeq ?? 0,
    fromVersion: found,
  };
}
