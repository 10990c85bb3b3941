import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../log.js';
import type { JournalHandle, StoreIo } from './store-io.js';
import { syncDir } from '../sync-dir.js';
import { writeJournalTail } from './write-journal-tail.js';

/**
 * The append-only journal `ledger.journal` as the lowdb store's one writer sees it: the open handle, the
 * length and line count known durable, the cut back after a failed write, and the rotation that ends a
 * compaction. Appends and fsyncs go through the handle `open()` returns.
 */
export class JournalFile {
  readonly path: string;
  private readonly io: StoreIo;
  private readonly logger: Logger | undefined;
  private journal: JournalHandle | null;
  /** The file may hold bytes past journalBytes (a failed write): cut them before the next append. */
  private needsRepair = false;
  private journalBytes: number;
  private journalLines: number;

  constructor(init: {
    path: string;
    io: StoreIo;
    handle: JournalHandle;
    bytes: number;
    lines: number;
    logger: Logger | undefined;
  }) {
    this.path = init.path;
    this.io = init.io;
    this.journal = init.handle;
    this.journalBytes = init.bytes;
    this.journalLines = init.lines;
    this.logger = init.logger;
  }

  /** Bytes of durable lines: the file is cut back to this after a failed write. */
  get bytes(): number {
    return this.journalBytes;
  }

  /** Durable lines in the file (including those the snapshot already holds). */
  get lines(): number {
    return this.journalLines;
  }

  /** Counts a batch just appended and fsynced. */
  appended(bytes: number, lines: number): void {
    this.journalBytes += bytes;
    this.journalLines += lines;
  }

  /** The handle to append to: reopened if it was dropped, and cut back first if a write failed. */
  async open(): Promise<JournalHandle> {
    this.journal ??= await this.io.openJournal(this.path);
    if (this.needsRepair) {
      await this.journal.truncate(this.journalBytes);
      this.needsRepair = false;
    }
    return this.journal;
  }

  /** A write failed: cut the journal back to its last durable length now, or before the next append. */
  async cutBack(): Promise<void> {
    this.needsRepair = true;
    try {
      await this.open();
    } catch (repairErr) {
      // Retried before the next append; until then the journal is not trusted.
      this.logger?.error({ err: repairErr, file: this.path }, 'could not cut the journal back; will retry');
      const j = this.journal;
      this.journal = null;
      await j?.close().catch((closeErr: unknown) => this.logger?.warn({ err: closeErr }, 'closing the journal failed'));
    }
  }

  /**
   * Rewrites the journal keeping lines with seq > `seq`; runs with no write in flight. Lines before
   * `offset` are known to be <= `seq`.
   */
  async rotate(seq: number, offset: number): Promise<void> {
    const { temp, bytes, lines } = await writeJournalTail(this.path, offset, this.journalBytes, seq);
    await rename(temp, this.path);
    // From here the old handle points at an unlinked file: switch before anything else can fail.
    const old = this.journal;
    this.journal = null;
    this.needsRepair = false;
    this.journalBytes = bytes;
    this.journalLines = lines;
    await old?.close().catch((err: unknown) => this.logger?.warn({ err }, 'closing the old journal failed'));
    try {
      this.journal = await this.io.openJournal(this.path);
    } catch (err) {
      // The next batch opens it again (and fails its callers properly if it still cannot).
      this.logger?.warn({ err, file: this.path }, 'could not reopen the journal after compaction');
    }
    await syncDir(dirname(this.path));
  }

  /** Releases the handle; call once no write can follow. */
  close(): Promise<void> {
    const j = this.journal;
    this.journal = null;
    return j ? j.close() : Promise.resolve();
  }
}
