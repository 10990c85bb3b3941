import type { Change } from '../../domain/ledger.js';
import { LedgerIndex } from '../../domain/ledger-view.js';
import { applyUndoable } from '../record-undo.js';

/**
 * The lowdb store's in-memory side: the one copy of the ledger (the LedgerIndex), which seq numbers are
 * applied and which are durable, and the rollback epoch. Compaction and undo keep references only.
 */
export class LedgerMemory {
  /** Replaced (its indexes rebuilt) after a rollback: read it afresh, do not keep it. */
  index: LedgerIndex;
  /** The seq of the next mutation; every seq below it is applied in memory. */
  nextSeq: number;
  /** Highest seq on disk. */
  durableSeq: number;
  /** Bumped on every rollback; a compaction that saw rolled-back changes is discarded. */
  epoch = 0;

  constructor(index: LedgerIndex, lastSeq: number) {
    this.index = index;
    this.durableSeq = lastSeq;
    this.nextSeq = lastSeq + 1;
  }

  /** Applies changes one by one, returning how to undo them; a change that throws is undone at once. */
  apply(changes: readonly Change[]): (() => void)[] {
    try {
      return applyUndoable(this.index, changes);
    } catch (err) {
      this.index = new LedgerIndex(this.index.data);
      throw err;
    }
  }

  /**
   * A write failed: undoes every mutation in `lost` (everything not durable, oldest first), newest first,
   * rebuilds the indexes and hands their seq numbers out again.
   */
  rollBack(lost: readonly { undo: readonly (() => void)[] }[]): void {
    this.epoch++;
    for (let i = lost.length - 1; i >= 0; i--) {
      const undo = lost[i]?.undo ?? [];
      for (let k = undo.length - 1; k >= 0; k--) undo[k]?.();
    }
    this.index = new LedgerIndex(this.index.data);
    this.nextSeq = this.durableSeq + 1;
  }
}
