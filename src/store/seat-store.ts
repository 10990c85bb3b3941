import type { Change } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';

/** What a mutation hands back to the store: the changes to commit and the caller's result. */
export interface Mutation<R> {
  changes: readonly Change[];
  result: R;
}

/**
 * The ledger's persistence. `update(fn)` runs `fn` against the current state, in order with every other
 * update (never concurrently), applies its changes in memory, and resolves only once they are on disk.
 * A mutation with no changes resolves at once without a write.
 */
export interface SeatStore {
  read(): LedgerView;
  update<R>(fn: (view: LedgerView) => Mutation<R>): Promise<R>;
  /** Flushes pending writes and releases the files. */
  close(): Promise<void>;
  /** For /healthz: file path, last write time, last error. */
  health(): StoreHealth;
}

export interface StoreHealth {
  ok: boolean;
  file: string | null;
  lastWriteAt: string | null;
  lastError: string | null;
  pendingWrites: number;
}
