import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { SCHEMA_VERSION, emptyLedger } from '../../domain/ledger.js';
import { LedgerIndex } from '../../domain/ledger-view.js';
import { StoreError, errorMessage } from '../../errors.js';
import type { LowdbSeatStoreOptions } from './lowdb-seat-store.js';
import type { MigratedLedger } from '../migrate-ledger.js';
import { readJournal } from './read-journal.js';
import { SnapshotFile } from './snapshot-file.js';
import { nodeStoreIo, type JournalHandle, type StoreIo } from './store-io.js';

/** The ledger files, opened and recovered: what the lowdb store starts from. */
export interface LedgerFiles {
  file: string;
  journalPath: string;
  snapshot: SnapshotFile;
  io: StoreIo;
  journal: JournalHandle;
  /** The snapshot with the journal replayed over it. */
  index: LedgerIndex;
  journalBytes: number;
  journalLines: number;
  lastSeq: number;
}

/**
 * Open: read + migrate + check the snapshot, replay the journal; a torn last journal line (crash
 * mid-append, never acknowledged) is cut away; anything else that is wrong is a StoreError naming the
 * file, raised before any file is created or modified. A migrated snapshot is backed up
 * (`ledger.json.v<n>.bak`) and rewritten.
 */
export async function openLedgerFiles(options: LowdbSeatStoreOptions): Promise<LedgerFiles> {
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
    try {
      await copyFile(file, backup);
      // The snapshot is replaced atomically: on failure the old file is still whole, and the backup too.
      await db.write();
    } catch (err) {
      throw new StoreError('STORE_MIGRATION_FAILED', file, `Cannot migrate ${file} from schema v${loaded.fromVersion} (backup ${backup}): ${errorMessage(err)}`, { cause: err });
    }
    options.logger?.info({ file, backup, from: loaded.fromVersion, to: SCHEMA_VERSION }, 'ledger migrated');
  }
  const io = options.io ?? nodeStoreIo;
  let handle: Awaited<ReturnType<typeof io.openJournal>>;
  try {
    handle = await io.openJournal(journalPath);
  } catch (err) {
    throw new StoreError('STORE_UNREADABLE', journalPath, `Cannot open the journal ${journalPath}: ${errorMessage(err)}`, { cause: err });
  }
  if (journal.tornBytes > 0) {
    options.logger?.warn({ file: journalPath, bytes: journal.tornBytes }, 'dropping a torn last journal line (never acknowledged)');
    await handle.truncate(journal.goodBytes);
  }
  const index = new LedgerIndex(loaded.data);
  for (const entry of journal.entries) index.apply(entry.changes);
  return {
    file,
    journalPath,
    snapshot,
    io,
    journal: handle,
    index,
    journalBytes: journal.goodBytes,
    journalLines: journal.lines,
    lastSeq: journal.lastSeq,
  };
}
