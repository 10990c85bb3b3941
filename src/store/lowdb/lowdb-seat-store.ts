/**
 * The seat ledger on disk: a lowdb snapshot `ledger.json` plus an append-only journal `ledger.journal`.
 *
 * Why not plain lowdb (rewrite the whole JSON per mutation)? Measured with ~330-byte seats: 3.6 ms per
 * write at 1k seats, 17.5 ms at 10k, 195 ms at 100k, of which JSON.stringify blocks the event loop for
 * ~65 ms. That caps a busy bot at a handful of seat requests per second and freezes it while writing.
 *
 * Design:
 * - update(fn) runs fn synchronously against the in-memory LedgerIndex, in call order, applies the changes
 *   at once (the next update sees them) and queues one journal line `{"seq":n,"changes":[...]}`. A big
 *   mutation (a vendor sync) is not serialised up front: its line is built change by change into ~64 KiB
 *   Buffers while it is written, so it never exists as one string or one Buffer (journal-chunks.ts).
 * - ONE write queue with group commit: while a write is in flight, new lines wait; the next write takes
 *   all of them in one append + one fdatasync. Each caller resolves only after its line is fsynced.
 * - Write failure: every caller of the failed batch, and every later caller whose fn already saw its
 *   changes, is rejected with STORE_WRITE_FAILED; memory is rolled back to the durable state (undo
 *   closures, then the indexes are rebuilt) and the journal is cut back to its last durable length.
 * - Compaction in the background when the journal passes `compactAfterLines` / `compactAfterBytes`:
 *   capture keys at seq S (one synchronous Object.keys per collection), serialise in slices that yield to
 *   the event loop, write `.ledger.json.tmp` + fsync, wait until everything it may have read is durable,
 *   then, between two journal writes, rename it over ledger.json and rewrite the journal keeping only
 *   seq > S (temp + fsync + rename). A crash at any point loses nothing: the snapshot records S, replay
 *   skips journal lines <= S, and seq numbers must be contiguous (a gap is corruption).
 * - One owner: before reading anything, open takes the directory's lock (data-dir-lock.ts) and holds it
 *   until close(); a second opener, in this process or another, gets STORE_LOCKED naming the owner's pid.
 * - Open: read + migrate + check the snapshot, replay the journal; a torn last journal line (crash
 *   mid-append, never acknowledged) is cut away; anything else that is wrong is a StoreError naming the
 *   file, raised before any file is created or modified.
 * Memory holds one copy of the ledger (the LedgerIndex); compaction and undo keep references only.
 *
 * Parts: open-ledger-files.ts (open, recover, migrate), ledger-memory.ts (index, seq numbers, undo),
 * group-commit.ts (the write queue), journal-file.ts (journal handle, cut back, rotation),
 * ledger-compactor.ts (compaction). This file wires them behind the SeatStore interface.
 */
import { systemClock, type Clock } from '../../clock.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import { StoreError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ChunkOptions } from './chunked-json.js';
import { GroupCommit } from './group-commit.js';
import { encodeMutation } from './journal-chunks.js';
import { JournalFile } from './journal-file.js';
import { LedgerCompactor } from './ledger-compactor.js';
import { LedgerMemory } from './ledger-memory.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { openLedgerFiles, type LedgerFiles } from './open-ledger-files.js';
import type { Mutation, SeatStore, StoreHealth } from '../seat-store.js';
import type { StoreIo } from './store-io.js';

export interface LowdbSeatStoreOptions {
  /** Directory of the ledger files; created when missing. */
  dir: string;
  /** Snapshot file name (default `ledger.json`); the journal is the same name with `.journal`. */
  fileName?: string;
  /** Compact when the journal holds more lines than this (default 20,000). */
  compactAfterLines?: number;
  /** Compact when the journal grows past this many bytes (default 32 MiB). */
  compactAfterBytes?: number;
  logger?: Logger;
  clock?: Clock;
  /** File-system seam for the journal (tests delay or fail writes through it). */
  io?: StoreIo;
  /** Slice size of snapshot serialisation. */
  chunks?: ChunkOptions;
  /** Who owns the directory while open, shown to a refused second opener (default 'store'). */
  role?: string;
}

export interface LowdbStoreStats {
  /** Physical journal writes (one append + one fdatasync each). */
  batches: number;
  /** Mutations made durable. */
  mutations: number;
  compactions: number;
  journalLines: number;
  journalBytes: number;
  /** Highest seq on disk. */
  durableSeq: number;
}

export async function openLowdbSeatStore(options: LowdbSeatStoreOptions): Promise<LowdbSeatStore> {
  const lock = await lockDataDir(options.dir, { role: options.role ?? 'store', ...(options.logger ? { logger: options.logger } : {}) });
  try {
    const files = await openLedgerFiles(options);
    return new LowdbSeatStore({ ...files, lock, options });
  } catch (err) {
    await lock.release();
    throw err;
  }
}

export class LowdbSeatStore implements SeatStore {
  readonly file: string;
  readonly journalPath: string;
  /** The directory lock held while open; its socket also serves local operations (the bot's `sync`). */
  readonly lock: DataDirLock;
  private readonly memory: LedgerMemory;
  private readonly journal: JournalFile;
  private readonly writer: GroupCommit;
  private readonly compactor: LedgerCompactor;
  private closing: Promise<void> | null = null;

  /** @internal use openLowdbSeatStore */
  constructor(init: LedgerFiles & { lock: DataDirLock; options: LowdbSeatStoreOptions }) {
    this.file = init.file;
    this.lock = init.lock;
    this.journalPath = init.journalPath;
    const logger = init.options.logger;
    this.memory = new LedgerMemory(init.index, init.lastSeq);
    this.journal = new JournalFile({
      path: init.journalPath,
      io: init.io,
      handle: init.journal,
      bytes: init.journalBytes,
      lines: init.journalLines,
      logger,
    });
    this.writer = new GroupCommit({
      journal: this.journal,
      memory: this.memory,
      clock: init.options.clock ?? systemClock,
      logger,
      afterBatch: () => this.compactor.maybeCompact(),
    });
    this.compactor = new LedgerCompactor({
      file: init.file,
      snapshot: init.snapshot,
      memory: this.memory,
      journal: this.journal,
      writer: this.writer,
      isClosing: () => this.closing !== null,
      logger,
      compactAfterLines: init.options.compactAfterLines ?? 20_000,
      compactAfterBytes: init.options.compactAfterBytes ?? 32 * 1024 * 1024,
    });
  }

  read(): LedgerView {
    return this.memory.index;
  }

  async update<R>(fn: (view: LedgerView) => Mutation<R>): Promise<R> {
    if (this.closing) throw new StoreError('STORE_CLOSED', this.file, `${this.file}: the store is closed`);
    const memory = this.memory;
    const epoch = memory.epoch;
    const { changes, result } = fn(memory.index);
    if (changes.length === 0) {
      // No write, but the answer may rest on changes not yet on disk: wait for them, fail if they fail.
      if (memory.nextSeq - 1 > memory.durableSeq) {
        await this.writer.lastAck.catch(() => undefined); // the failure is reported to its own callers
        if (memory.epoch !== epoch) throw this.writer.notSaved('a change this answer depended on could not be saved');
      }
      return result;
    }
    const seq = memory.nextSeq;
    // Throws before anything is applied when a change cannot be stored as JSON. A big mutation gets no
    // line here: it is serialised chunk by chunk while it is written (see journalChunks).
    const line = encodeMutation(seq, changes);
    const kept = line === null ? changes.slice() : null;
    const undo = memory.apply(changes);
    memory.nextSeq++;
    await this.writer.submit({ seq, line, changes: kept, undo });
    return result;
  }

  /** Resolves once every write queued so far (and a running compaction) has finished. */
  async drain(): Promise<void> {
    for (;;) {
      const compaction = this.compactor.inProgress;
      const writing = this.writer.inProgress;
      if (compaction) await compaction;
      else if (writing) await writing;
      else return;
    }
  }

  /** Writes a fresh snapshot and cuts the journal; runs after any compaction already under way. */
  compact(): Promise<void> {
    if (this.closing) return Promise.reject(new StoreError('STORE_CLOSED', this.file, `${this.file}: the store is closed`));
    return this.compactor.compact();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.drain();
        await this.journal.close();
      } finally {
        await this.lock.release();
      }
    })();
    return this.closing;
  }

  health(): StoreHealth {
    return this.writer.health(this.file);
  }

  stats(): LowdbStoreStats {
    return {
      ...this.writer.counters,
      compactions: this.compactor.count,
      journalLines: this.journal.lines,
      journalBytes: this.journal.bytes,
      durableSeq: this.memory.durableSeq,
    };
  }
}
