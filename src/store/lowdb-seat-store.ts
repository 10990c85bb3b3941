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
 * - Open: read + migrate + check the snapshot, replay the journal; a torn last journal line (crash
 *   mid-append, never acknowledged) is cut away; anything else that is wrong is a StoreError naming the
 *   file, raised before any file is created or modified.
 * Memory holds one copy of the ledger (the LedgerIndex); compaction and undo keep references only.
 */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { systemClock, type Clock } from '../clock.js';
import { SCHEMA_VERSION, emptyLedger, type Change } from '../domain/ledger.js';
import { LedgerIndex, type LedgerView } from '../domain/ledger-view.js';
import { StoreError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { ChunkOptions } from './chunked-json.js';
import { captureLedger } from './ledger-capture.js';
import type { MigratedLedger } from './migrate-ledger.js';
import { encodeMutation, journalChunks, type JournalEntryOut } from './journal-chunks.js';
import { readJournal } from './read-journal.js';
import { recordUndo } from './record-undo.js';
import type { Mutation, SeatStore, StoreHealth } from './seat-store.js';
import { SnapshotFile } from './snapshot-file.js';
import { nodeStoreIo, type JournalHandle, type StoreIo } from './store-io.js';
import { writeJournalTail } from './write-journal-tail.js';
import { syncDir } from './sync-dir.js';

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

interface Pending extends JournalEntryOut {
  undo: (() => void)[];
  resolve: () => void;
  reject: (err: StoreError) => void;
}

export async function openLowdbSeatStore(options: LowdbSeatStoreOptions): Promise<LowdbSeatStore> {
  const fileName = options.fileName ?? 'ledger.json';
  const file = join(options.dir, fileName);
  const journalPath = join(options.dir, `${fileName.replace(/\.json$/, '')}.journal`);
  const snapshot = new SnapshotFile(file, options.chunks);
  const fresh: MigratedLedger = { data: emptyLedger(), journalSeq: 0, fromVersion: SCHEMA_VERSION };
  const db = new Low<MigratedLedger>(snapshot, fresh);

  // Read and check everything before touching any file: a bad file must stay byte-for-byte as it was.
  await db.read();
  const loaded = db.data;
  const journal = await readJournal(journalPath, loaded.journalSeq);

  try {
    await mkdir(options.dir, { recursive: true });
  } catch (err) {
    throw new StoreError('STORE_UNREADABLE', file, `Cannot create ${options.dir}: ${errorMessage(err)}`, { cause: err });
  }
  if (loaded !== fresh && loaded.fromVersion < SCHEMA_VERSION) {
    const backup = `${file}.v${loaded.fromVersion}.bak`;
    await copyFile(file, backup);
    await db.write();
    options.logger?.info({ file, backup, from: loaded.fromVersion, to: SCHEMA_VERSION }, 'ledger migrated');
  }
  const io = options.io ?? nodeStoreIo;
  const handle = await io.openJournal(journalPath);
  if (journal.tornBytes > 0) {
    options.logger?.warn({ file: journalPath, bytes: journal.tornBytes }, 'dropping a torn last journal line (never acknowledged)');
    await handle.truncate(journal.goodBytes);
  }
  const index = new LedgerIndex(loaded.data);
  for (const entry of journal.entries) index.apply(entry.changes);
  return new LowdbSeatStore({
    file,
    journalPath,
    snapshot,
    io,
    journal: handle,
    index,
    journalBytes: journal.goodBytes,
    journalLines: journal.lines,
    lastSeq: journal.lastSeq,
    options,
  });
}

export class LowdbSeatStore implements SeatStore {
  readonly file: string;
  readonly journalPath: string;
  private index: LedgerIndex;
  private readonly snapshot: SnapshotFile;
  private readonly io: StoreIo;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly compactAfterLines: number;
  private readonly compactAfterBytes: number;

  private journal: JournalHandle | null;
  /** The file may hold bytes past journalBytes (a failed write): cut them before the next append. */
  private needsRepair = false;
  private journalBytes: number;
  private journalLines: number;
  private nextSeq: number;
  private durableSeq: number;

  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly exclusive: (() => Promise<void>)[] = [];
  private running = false;
  private pumpDone: Promise<void> = Promise.resolve();
  /** Bumped on every rollback; a compaction that saw rolled-back changes is discarded. */
  private epoch = 0;
  /** Settles when the most recently queued mutation is durable (or rejected). */
  private lastAck: Promise<void> = Promise.resolve();
  private compaction: Promise<void> | null = null;
  private compactRetryAt = 0;
  private closing: Promise<void> | null = null;

  private failing = false;
  private lastError: string | null = null;
  private lastWriteAt: string | null = null;
  private readonly counters = { batches: 0, mutations: 0, compactions: 0 };

  /** @internal use openLowdbSeatStore */
  constructor(init: {
    file: string;
    journalPath: string;
    snapshot: SnapshotFile;
    io: StoreIo;
    journal: JournalHandle;
    index: LedgerIndex;
    journalBytes: number;
    journalLines: number;
    lastSeq: number;
    options: LowdbSeatStoreOptions;
  }) {
    this.file = init.file;
    this.journalPath = init.journalPath;
    this.snapshot = init.snapshot;
    this.io = init.io;
    this.journal = init.journal;
    this.index = init.index;
    this.journalBytes = init.journalBytes;
    this.journalLines = init.journalLines;
    this.durableSeq = init.lastSeq;
    this.nextSeq = init.lastSeq + 1;
    this.logger = init.options.logger;
    this.clock = init.options.clock ?? systemClock;
    this.compactAfterLines = init.options.compactAfterLines ?? 20_000;
    this.compactAfterBytes = init.options.compactAfterBytes ?? 32 * 1024 * 1024;
  }

  read(): LedgerView {
    return this.index;
  }

  async update<R>(fn: (view: LedgerView) => Mutation<R>): Promise<R> {
    if (this.closing) throw new StoreError('STORE_CLOSED', this.file, `${this.file}: the store is closed`);
    const epoch = this.epoch;
    const { changes, result } = fn(this.index);
    if (changes.length === 0) {
      // No write, but the answer may rest on changes not yet on disk: wait for them, fail if they fail.
      if (this.nextSeq - 1 > this.durableSeq) {
        await this.lastAck.catch(() => undefined); // the failure is reported to its own callers
        if (this.epoch !== epoch) throw this.notSaved('a change this answer depended on could not be saved');
      }
      return result;
    }
    const seq = this.nextSeq;
    // Throws before anything is applied when a change cannot be stored as JSON. A big mutation gets no
    // line here: it is serialised chunk by chunk while it is written (see journalChunks).
    const line = encodeMutation(seq, changes);
    const kept = line === null ? changes.slice() : null;
    const undo = this.apply(changes);
    this.nextSeq++;
    const acked = new Promise<void>((resolve, reject) => {
      this.queue.push({ seq, line, changes: kept, undo, resolve, reject });
    });
    this.lastAck = acked;
    this.kick();
    await acked;
    return result;
  }

  /** Resolves once every write queued so far (and a running compaction) has finished. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.compaction) await this.compaction;
      else if (this.running) await this.pumpDone;
      else return;
    }
  }

  /** Writes a fresh snapshot and cuts the journal; runs after any compaction already under way. */
  compact(): Promise<void> {
    if (this.closing) return Promise.reject(new StoreError('STORE_CLOSED', this.file, `${this.file}: the store is closed`));
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

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drain();
      const j = this.journal;
      this.journal = null;
      await j?.close();
    })();
    return this.closing;
  }

  health(): StoreHealth {
    return {
      ok: !this.failing,
      file: this.file,
      lastWriteAt: this.lastWriteAt,
      lastError: this.lastError,
      pendingWrites: this.queue.length + this.inFlight,
    };
  }

  stats(): LowdbStoreStats {
    return {
      ...this.counters,
      journalLines: this.journalLines,
      journalBytes: this.journalBytes,
      durableSeq: this.durableSeq,
    };
  }

  /** Applies changes one by one, returning how to undo them; a change that throws is undone at once. */
  private apply(changes: readonly Change[]): (() => void)[] {
    const undo: (() => void)[] = [];
    try {
      for (const c of changes) {
        undo.push(recordUndo(this.index.data, c));
        this.index.apply([c]);
      }
    } catch (err) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
      this.index = new LedgerIndex(this.index.data);
      throw err;
    }
    return undo;
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
      const journal = await this.openJournal();
      await journal.append(journalChunks(batch, written));
      await journal.sync();
    } catch (err) {
      this.inFlight = 0;
      await this.rollBack(batch, err);
      return;
    }
    this.inFlight = 0;
    this.journalBytes += written.bytes;
    this.journalLines += batch.length;
    this.durableSeq = batch[batch.length - 1]?.seq ?? this.durableSeq;
    this.counters.batches++;
    this.counters.mutations += batch.length;
    this.lastWriteAt = this.clock.now().toISOString();
    this.failing = false;
    for (const p of batch) p.resolve();
    this.maybeCompact();
  }

  private async openJournal(): Promise<JournalHandle> {
    this.journal ??= await this.io.openJournal(this.journalPath);
    if (this.needsRepair) {
      await this.journal.truncate(this.journalBytes);
      this.needsRepair = false;
    }
    return this.journal;
  }

  /** A write failed: undo everything not durable, reject its callers, cut the journal back. */
  private async rollBack(batch: Pending[], err: unknown): Promise<void> {
    this.epoch++;
    const lost = batch.concat(this.queue);
    this.queue = [];
    for (let i = lost.length - 1; i >= 0; i--) {
      const undo = lost[i]?.undo ?? [];
      for (let k = undo.length - 1; k >= 0; k--) undo[k]?.();
    }
    this.index = new LedgerIndex(this.index.data);
    this.nextSeq = this.durableSeq + 1;
    const error = this.notSaved(`${errorMessage(err)}; ${lost.length} change(s) were not saved`, err);
    this.failing = true;
    this.lastError = error.message;
    this.logger?.error({ err, file: this.journalPath, lost: lost.length }, 'ledger write failed; memory rolled back to disk');
    for (const p of lost) p.reject(error);
    this.needsRepair = true;
    try {
      await this.openJournal();
    } catch (repairErr) {
      // Retried before the next append; until then the journal is not trusted.
      this.logger?.error({ err: repairErr, file: this.journalPath }, 'could not cut the journal back; will retry');
      const j = this.journal;
      this.journal = null;
      await j?.close().catch((closeErr: unknown) => this.logger?.warn({ err: closeErr }, 'closing the journal failed'));
    }
  }

  private notSaved(problem: string, cause?: unknown): StoreError {
    return new StoreError('STORE_WRITE_FAILED', this.journalPath, `Could not write ${this.journalPath}: ${problem}`, {
      cause,
    });
  }

  private maybeCompact(): void {
    if (this.compaction || this.closing || this.journalLines < this.compactRetryAt) return;
    if (this.journalLines <= this.compactAfterLines && this.journalBytes <= this.compactAfterBytes) return;
    this.compact().catch((err: unknown) => {
      this.logger?.error({ err, file: this.file }, 'ledger compaction failed; the journal keeps everything');
    });
  }

  private runExclusive(task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.exclusive.push(() => task().then(resolve, reject));
      this.kick();
    });
  }

  private async runCompaction(): Promise<void> {
    const epoch = this.epoch;
    const seq = this.nextSeq - 1;
    // Lines before this offset all have seq <= durableSeq <= seq: the rotation never needs to read them.
    const offset = this.journalBytes;
    const capture = captureLedger(this.index.data, seq);
    let committed = false;
    try {
      await this.snapshot.prepare(capture);
      // The slices may have read changes up to the latest one: commit only once those are durable.
      await this.lastAck.catch(() => undefined); // its callers get the failure; the epoch check sees it
      await this.runExclusive(async () => {
        if (this.epoch !== epoch) {
          throw new StoreError('STORE_COMPACTION_ABORTED', this.file, `${this.file}: changes were rolled back during compaction`);
        }
        await this.snapshot.commit();
        committed = true;
        await this.rotateJournal(seq, offset);
      });
      this.counters.compactions++;
      this.compactRetryAt = 0;
      this.logger?.info({ file: this.file, seq, journalLines: this.journalLines }, 'ledger compacted');
    } catch (err) {
      if (!committed) await this.snapshot.discard().catch(() => undefined); // the compaction error is what matters
      this.compactRetryAt = this.journalLines + this.compactAfterLines;
      throw err instanceof StoreError
        ? err
        : new StoreError('STORE_COMPACTION_FAILED', this.file, `Could not compact ${this.file}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Rewrites the journal keeping lines with seq > `seq`; runs with no write in flight. */
  private async rotateJournal(seq: number, offset: number): Promise<void> {
    const { temp, bytes, lines } = await writeJournalTail(this.journalPath, offset, this.journalBytes, seq);
    await rename(temp, this.journalPath);
    // From here the old handle points at an unlinked file: switch before anything else can fail.
    const old = this.journal;
    this.journal = null;
    this.needsRepair = false;
    this.journalBytes = bytes;
    this.journalLines = lines;
    await old?.close().catch((err: unknown) => this.logger?.warn({ err }, 'closing the old journal failed'));
    try {
      this.journal = await this.io.openJournal(this.journalPath);
    } catch (err) {
      // The next batch opens it again (and fails its callers properly if it still cannot).
      this.logger?.warn({ err, file: this.journalPath }, 'could not reopen the journal after compaction');
    }
    await syncDir(dirname(this.journalPath));
  }
}

