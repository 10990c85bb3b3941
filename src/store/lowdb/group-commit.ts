import type { Clock } from '../../clock.js';
import { StoreError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import { journalChunks, type JournalEntryOut } from './journal-chunks.js';
import type { JournalFile } from './journal-file.js';
import type { LedgerMemory } from './ledger-memory.js';
import type { StoreHealth } from '../seat-store.js';

/** A mutation applied in memory and queued for the journal. */
export interface PendingWrite extends JournalEntryOut {
  undo: (() => void)[];
}

interface Pending extends PendingWrite {
  resolve: () => void;
  reject: (err: StoreError) => void;
}

/**
 * The lowdb store's one writer: ONE write queue with group commit. While a write is in flight, new lines
 * wait; the next write takes all of them in one append + one fdatasync. Each caller resolves only after
 * its line is fsynced. Exclusive tasks (compaction commit) run between two writes. On a failed write,
 * every caller of the batch and every later caller whose fn already saw its changes is rejected with
 * STORE_WRITE_FAILED, memory is rolled back to the durable state and the journal is cut back.
 */
export class GroupCommit {
  private readonly journal: JournalFile;
  private readonly memory: LedgerMemory;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  /** Called after each durable batch (the store checks whether to compact). */
  private readonly afterBatch: () => void;

  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly exclusive: (() => Promise<void>)[] = [];
  private running = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private acked: Promise<void> = Promise.resolve();

  private failing = false;
  private lastError: string | null = null;
  private lastWriteAt: string | null = null;
  readonly counters = { batches: 0, mutations: 0 };

  constructor(init: {
    journal: JournalFile;
    memory: LedgerMemory;
    clock: Clock;
    logger: Logger | undefined;
    afterBatch: () => void;
  }) {
    this.journal = init.journal;
    this.memory = init.memory;
    this.clock = init.clock;
    this.logger = init.logger;
    this.afterBatch = init.afterBatch;
  }

  /** Settles when the most recently queued mutation is durable (or rejected). */
  get lastAck(): Promise<void> {
    return this.acked;
  }

  /** Settles once the writer is idle; null when it already is. */
  get inProgress(): Promise<void> | null {
    return this.running ? this.pumpDone : null;
  }

  /** Queues a mutation already applied in memory; resolves once its line is fsynced. */
  submit(write: PendingWrite): Promise<void> {
    const acked = new Promise<void>((resolve, reject) => {
      this.queue.push({ ...write, resolve, reject });
    });
    this.acked = acked;
    this.kick();
    return acked;
  }

  /** Runs `task` between two journal writes, with none in flight. */
  runExclusive(task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.exclusive.push(() => task().then(resolve, reject));
      this.kick();
    });
  }

  health(file: string): StoreHealth {
    return {
      ok: !this.failing,
      file,
      lastWriteAt: this.lastWriteAt,
      lastError: this.lastError,
      pendingWrites: this.queue.length + this.inFlight,
    };
  }

  notSaved(problem: string, cause?: unknown): StoreError {
    return new StoreError('STORE_WRITE_FAILED', this.journal.path, `Could not write ${this.journal.path}: ${problem}`, {
      cause,
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.pumpDone = this.pump();
  }

  /** The one writer: exclusive tasks (compaction commit) between batches, then one batch per write. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        const task = this.exclusive.shift();
        if (task) {
          await task();
          continue;
        }
        if (this.queue.length === 0) return;
        await this.writeBatch();
      }
    } finally {
      this.running = false;
    }
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.inFlight = batch.length;
    const written = { bytes: 0 };
    try {
      const journal = await this.journal.open();
      await journal.append(journalChunks(batch, written));
      await journal.sync();
    } catch (err) {
      this.inFlight = 0;
      await this.rollBack(batch, err);
      return;
    }
    this.inFlight = 0;
    this.journal.appended(written.bytes, batch.length);
    this.memory.durableSeq = batch[batch.length - 1]?.seq ?? this.memory.durableSeq;
    this.counters.batches++;
    this.counters.mutations += batch.length;
    this.lastWriteAt = this.clock.now().toISOString();
    this.failing = false;
    for (const p of batch) p.resolve();
    this.afterBatch();
  }

  /**
   * A write failed: undo everything not durable, reject its callers, cut the journal back. Not async on
   * purpose: the caller awaits the cut-back itself, as when it was written inline.
   */
  private rollBack(batch: Pending[], err: unknown): Promise<void> {
    const lost = batch.concat(this.queue);
    this.queue = [];
    this.memory.rollBack(lost);
    const error = this.notSaved(`${errorMessage(err)}; ${lost.length} change(s) were not saved`, err);
    this.failing = true;
    this.lastError = error.message;
    this.logger?.error({ err, file: this.journal.path, lost: lost.length }, 'ledger write failed; memory rolled back to disk');
    for (const p of lost) p.reject(error);
    return this.journal.cutBack();
  }
}
