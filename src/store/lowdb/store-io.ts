import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from '../sync-dir.js';

/** The append-only journal as the store sees it: every physical write and fsync goes through here. */
export interface JournalHandle {
  /**
   * Appends every chunk, in order, at the end of the file (no durability promise yet). The chunks are
   * pulled one at a time and each is written before the next is pulled, so a producer can serialise while
   * writing and memory holds one chunk, not the whole batch. An error thrown by the producer rejects.
   */
  append(chunks: Iterable<Uint8Array>): Promise<void>;
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
      append: async (chunks) => {
        for (const chunk of chunks) {
          let off = 0;
          while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
        }
      },
      sync: () => fh.datasync(),
      truncate: async (length) => {
        await fh.truncate(length);
        await fh.datasync();
      },
      close: () => fh.close(),
    };
  },
};
