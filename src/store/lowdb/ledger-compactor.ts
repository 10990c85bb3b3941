import { StoreError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { GroupCommit } from './group-commit.js';
import type { JournalFile } from './journal-file.js';
import { captureLedger } from './ledger-capture.js';
import type { LedgerMemory } from './ledger-memory.js';
import type { SnapshotFile } from './snapshot-file.js';

/**
 * Compaction of the lowdb store, in the background when the journal passes `compactAfterLines` /
 * `compactAfterBytes`: capture keys at seq S, serialise in slices that yield to the event loop, write
 * `.ledger.json.tmp` + fsync, wait until everything it may have read is durable, then, between two journal
 * writes, rename it over ledger.json and rewrite the journal keeping only seq > S. Compactions run one
 * after the other.
 */
export class LedgerCompactor {
  private readonly file: string;
  private readonly snapshot: SnapshotFile;
  private readonly memory: LedgerMemory;
  private readonly journal: JournalFile;
  private readonly writer: GroupCommit;
  private readonly isClosing: () => boolean;
  private readonly logger: Logger | undefined;
  private readonly compactAfterLines: number;
  private readonly compactAfterBytes: number;

  private compaction: Promise<void> | null = null;
  private compactRetryAt = 0;
  private compactions = 0;

  constructor(init: {
    file: string;
    snapshot: SnapshotFile;
    memory: LedgerMemory;
    journal: JournalFile;
    writer: GroupCommit;
    isClosing: () => boolean;
    logger: Logger | undefined;
    compactAfterLines: number;
    compactAfterBytes: number;
  }) {
    this.file = init.file;
    this.snapshot = init.snapshot;
    this.memory = init.memory;
    this.journal = init.journal;
    this.writer = init.writer;
    this.isClosing = init.isClosing;
    this.logger = init.logger;
    this.compactAfterLines = init.compactAfterLines;
    this.compactAfterBytes = init.compactAfterBytes;
  }

  /** Compactions that completed. */
  get count(): number {
    return this.compactions;
  }

  /** Settles when the compactions queued so far have finished; null when none is. */
  get inProgress(): Promise<void> | null {
    return this.compaction;
  }

  /** Writes a fresh snapshot and cuts the journal; runs after any compaction already under way. */
  compact(): Promise<void> {
    const run = (this.compaction ?? Promise.resolve()).then(() => this.runCompaction());
    const settled = run.then(
      () => undefined,
      () => undefined, // reported to whoever awaits `run`
    );
    this.compaction = settled;
    void settled.then(() => {
      if (this.compaction === settled) this.compaction = null;
    });
    return run;
  }

  /** After a durable batch: starts a compaction when the journal has grown past the thresholds. */
  maybeCompact(): void {
    if (this.compaction || this.isClosing() || this.journal.lines < this.compactRetryAt) return;
    if (this.journal.lines <= this.compactAfterLines && this.journal.bytes <= this.compactAfterBytes) return;
    this.compact().catch((err: unknown) => {
      this.logger?.error({ err, file: this.file }, 'ledger compaction failed; the journal keeps everything');
    });
  }

  private async runCompaction(): Promise<void> {
    const epoch = this.memory.epoch;
    const seq = this.memory.nextSeq - 1;
    // Lines before this offset all have seq <= durableSeq <= seq: the rotation never needs to read them.
    const offset = this.journal.bytes;
    const capture = captureLedger(this.memory.index.data, seq);
    let committed = false;
    try {
      await this.snapshot.prepare(capture);
      // The slices may have read changes up to the latest one: commit only once those are durable.
      await this.writer.lastAck.catch(() => undefined); // its callers get the failure; the epoch check sees it
      await this.writer.runExclusive(async () => {
        if (this.memory.epoch !== epoch) {
          throw new StoreError('STORE_COMPACTION_ABORTED', this.file, `${this.file}: changes were rolled back during compaction`);
        }
        await this.snapshot.commit();
        committed = true;
        await this.journal.rotate(seq, offset);
      });
      this.compactions++;
      this.compactRetryAt = 0;
      this.logger?.info({ file: this.file, seq, journalLines: this.journal.lines }, 'ledger compacted');
    } catch (err) {
      if (!committed) await this.snapshot.discard().catch(() => undefined); // the compaction error is what matters
      this.compactRetryAt = this.journal.lines + this.compactAfterLines;
      throw err instanceof StoreError
        ? err
        : new StoreError('STORE_COMPACTION_FAILED', this.file, `Could not compact ${this.file}: ${errorMessage(err)}`, { cause: err });
    }
  }
}
