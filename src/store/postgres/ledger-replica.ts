import type pg from 'pg';
import type { Change, LedgerData } from '../../domain/ledger.js';
import { LedgerIndex } from '../../domain/ledger-view.js';
import { StoreError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { applyUndoable } from '../record-undo.js';
import { loadLedger, readLogSince, type LogRow } from './ledger-log.js';

/**
 * One instance's copy of the PostgreSQL ledger: the LedgerIndex and the seq it has applied up to. Committed
 * rows are applied in log order; a batch's own changes are applied with undo closures so a failed batch can
 * be taken back. Only the store's one batch loop calls it, so nothing here runs concurrently.
 */
export class LedgerReplica {
  /** Replaced (its indexes rebuilt) after an undo or a reload: read it afresh, do not keep it. */
  index: LedgerIndex;
  /** Highest seq applied: committed, except for the rows of the batch in flight. */
  seq: number;
  /** Seq of the newest snapshot this instance knows of (written or loaded). */
  snapshotSeq: number;
  private readonly where: string;
  private readonly logger: Logger | undefined;

  constructor(init: { data: LedgerData; snapshotSeq: number; rows: readonly LogRow[]; where: string; logger: Logger | undefined }) {
    this.index = new LedgerIndex(init.data);
    this.seq = init.snapshotSeq;
    this.snapshotSeq = init.snapshotSeq;
    this.where = init.where;
    this.logger = init.logger;
    this.applyRows(init.rows);
  }

  /**
   * Applies committed rows after `seq` (read by `read`, default a plain read of the log); reloads from the
   * newest snapshot when they were pruned. Returns rows applied.
   */
  async catchUp(client: pg.ClientBase, read: (after: number) => Promise<LogRow[]> = (after) => readLogSince(client, after, this.where)): Promise<number> {
    let rows: LogRow[];
    try {
      rows = await read(this.seq);
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'STORE_LOG_GAP')) throw err;
      const loaded = await loadLedger(client, this.where);
      if (loaded.snapshotSeq < this.seq) throw err;
      this.logger?.info({ database: this.where, from: this.seq, snapshot: loaded.snapshotSeq }, 'reloading the ledger from a newer snapshot');
      this.index = new LedgerIndex(loaded.data);
      this.seq = loaded.snapshotSeq;
      this.snapshotSeq = loaded.snapshotSeq;
      rows = loaded.rows;
    }
    this.applyRows(rows);
    return rows.length;
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

  /** Undoes `undo` newest first, rebuilds the indexes and, given `seq`, hands the seq numbers after it out again. */
  rollBack(undo: readonly (() => void)[], seq: number | null): void {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
    if (undo.length > 0) this.index = new LedgerIndex(this.index.data);
    if (seq !== null) this.seq = seq;
  }

  private applyRows(rows: readonly LogRow[]): void {
    for (const row of rows) {
      this.apply(row.changes);
      this.seq = row.seq;
    }
  }
}
