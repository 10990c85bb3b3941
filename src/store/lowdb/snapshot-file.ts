import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
import { StoreError, errorMessage } from '../../errors.js';
import { chunkedJson, type ChunkOptions } from './chunked-json.js';
import { captureLedger, type LedgerCapture } from './ledger-capture.js';
import { migrateLedger, type MigratedLedger } from '../migrate-ledger.js';
import { syncDir } from '../sync-dir.js';

/**
 * The ledger snapshot `ledger.json` as a lowdb adapter. Reading goes through lowdb's TextFile, then JSON
 * parse, migration and a top-level schema check; any problem is a StoreError naming the file, and the
 * file is left untouched. Writing does not use steno's Writer: steno renames without fsync (a power loss
 * could leave an empty file after the journal was already cut) and needs the whole document as one string
 * (~65 ms of JSON.stringify at 100k seats). Instead: chunked serialisation into `.ledger.json.tmp`, fsync,
 * rename over the file, fsync the directory. A crash at any point leaves either the old or the new file.
 */
export class SnapshotFile implements Adapter<MigratedLedger> {
  readonly path: string;
  private readonly text: TextFile;
  private readonly tempPath: string;
  private readonly chunks: ChunkOptions;

  constructor(path: string, chunks: ChunkOptions = {}) {
    this.path = path;
    this.text = new TextFile(path);
    this.tempPath = join(dirname(path), `.${basename(path)}.tmp`);
    this.chunks = chunks;
  }

  async read(): Promise<MigratedLedger | null> {
    let raw: string | null;
    try {
      raw = await this.text.read();
    } catch (err) {
      throw new StoreError('STORE_UNREADABLE', this.path, `Cannot read ${this.path}: ${errorMessage(err)}`, { cause: err });
    }
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new StoreError(
        'STORE_CORRUPT',
        this.path,
        `${this.path} is not valid JSON (truncated or damaged: ${errorMessage(err)}); restore a backup`,
        { cause: err },
      );
    }
    return migrateLedger(parsed, this.path);
  }

  async write(doc: MigratedLedger): Promise<void> {
    await this.prepare(captureLedger(doc.data, doc.journalSeq));
    await this.commit();
  }

  /** Writes the capture to the temp file and fsyncs it; the live file is not touched yet. */
  async prepare(capture: LedgerCapture): Promise<void> {
    const fh = await open(this.tempPath, 'w');
    try {
      for await (const chunk of chunkedJson(capture, this.chunks)) {
        const buf = Buffer.from(chunk, 'utf8');
        let off = 0;
        while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
      }
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => undefined); // the write error above is the one to report
      await this.discard();
      throw err;
    }
    await fh.close();
  }

  /** Atomically replaces the live file with the prepared temp file. */
  async commit(): Promise<void> {
    await rename(this.tempPath, this.path);
    await syncDir(dirname(this.path));
  }

  async discard(): Promise<void> {
    await rm(this.tempPath, { force: true });
  }
}
