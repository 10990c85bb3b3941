import type { LedgerData } from '../../domain/ledger.js';

/** Keyed collections of LedgerData, in file order. */
export const DICT_NAMES = ['pools', 'assignments', 'idempotency', 'syncRuns', 'drift', 'spaces', 'notices', 'waitlist', 'provisions', 'provisionHolds'] as const;

/**
 * What a snapshot at journal seq `journalSeq` writes. Only the audit length is fixed at capture time;
 * keyed collections are read live, slice by slice, while mutations continue. That is safe because records
 * are replaced whole and every change except audit.add is an idempotent put/delete by key: a record that
 * was added, replaced or deleted after the capture is set right again by replaying the journal from
 * `journalSeq + 1`. Audit, the one append-only part, is cut at the captured length. The caller must
 * discard the snapshot if any change it may have read is later rolled back (the store checks its failure
 * epoch before committing) and commit it only once every change it may have read is durable.
 */
export interface LedgerCapture {
  schemaVersion: number;
  journalSeq: number;
  dicts: { name: string; source: Record<string, unknown> }[];
  audit: { source: readonly unknown[]; length: number };
}

export function captureLedger(data: LedgerData, journalSeq: number): LedgerCapture {
  return {
    schemaVersion: data.schemaVersion,
    journalSeq,
    dicts: DICT_NAMES.map((name) => ({ name, source: data[name] ?? {} })),
    audit: { source: data.audit, length: data.audit.length },
  };
}
