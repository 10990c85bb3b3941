import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from './sync-dir.js';

/** The append-only journal as the store sees it: every physical write and fsync goes through here. */
export interface JournalHandle {
  /** Appends all of `text` at the end of the file (no durability promise yet). */
  append(text: string): Promise<void>;
  /** fdatasync: once this resolves, everything appended so far is on disk. */
  sync(): Promise<void>;
  /** Cuts the file back to `length` bytes (drops a failed or torn tail). */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The file-system seam of the lowdb store; tests wrap `nodeStoreIo` to delay or fail writes. */
export interface StoreIo {
  openJournal(path: string): Promise<JournalHandle>;
}

export const nodeStoreIo: StoreIo = {
  async openJournal(path) {
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    const fh = await open(path, 'a');
    if (!existed) await syncDir(dirname(path));
    return {
      append: (text) => fh.appendFile(text, 'utf8'),
      sync: () => fh.datasync(),
      truncate: async (length) => {
        await fh.truncate(length);
        await fh.datasync();
      },
      close: () => fh.close(),
    };
  },
};
