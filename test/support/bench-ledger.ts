// A seeded ledger for the end-to-end benchmarks: `pools` pools (approval required, room for millions) holding
// `assignments` seats synced from the vendor, and optionally spaces that turned the daily digest on. Written as
// the snapshot a bot opens at start (no journal), the way a vendor sync would have left it.
import { join } from 'node:path';
import { SCHEMA_VERSION, emptyLedger, type LedgerData, type LicensePool } from '../../src/domain/ledger.js';
import { SnapshotFile } from '../../src/store/lowdb/snapshot-file.js';
import { makePool, makeSyncedSeat } from '../store/ledger-fixtures.js';

export interface BenchLedgerOptions {
  assignments: number;
  pools: number;
  /** Approval policy of every pool (default 'required': a request waits for an admin). */
  approval?: 'required' | 'auto';
  /** Spaces with the digest on. */
  digestSpaces?: readonly { roomId: string; title: string }[];
}

/** "Bench Product 07": unique, exact-matchable product names. */
export const benchProductName = (i: number): string => `Bench Product ${String(i).padStart(2, '0')}`;

export function benchPool(i: number, approval: 'required' | 'auto' = 'required'): LicensePool {
  const pool = makePool(i);
  return { ...pool, productName: benchProductName(i), totalSeats: 10_000_000, policy: { ...pool.policy, approval } };
}

export function benchLedger(options: BenchLedgerOptions): LedgerData {
  const data = emptyLedger();
  for (let p = 0; p < options.pools; p++) {
    const pool = benchPool(p, options.approval);
    data.pools[pool.id] = pool;
  }
  for (let n = 0; n < options.assignments; n++) {
    const seat = makeSyncedSeat(n, options.pools);
    data.assignments[seat.id] = seat;
  }
  for (const s of options.digestSpaces ?? []) {
    data.spaces[s.roomId] = {
      roomId: s.roomId,
      digest: true,
      title: s.title,
      updatedAt: '2025-03-01T09:00:00.000Z',
      updatedBy: { kind: 'system', name: 'schedule' },
    };
  }
  return data;
}

/** Writes the ledger snapshot into `dir` (which must not hold a ledger yet). */
export async function writeBenchLedger(dir: string, options: BenchLedgerOptions): Promise<void> {
  await new SnapshotFile(join(dir, 'ledger.json')).write({
    data: benchLedger(options),
    journalSeq: 0,
    fromVersion: SCHEMA_VERSION,
  });
}
