// Shared helpers for the store tests: temp dirs, a controllable journal I/O, promise probes.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { nodeStoreIo, type JournalHandle, type StoreIo } from '../../src/store/lowdb/store-io.js';
import { openLowdbSeatStore, type LowdbSeatStore, type LowdbSeatStoreOptions } from '../../src/store/lowdb/lowdb-seat-store.js';

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Journal I/O that counts calls and can hold or fail appends and fsyncs on demand. */
export function controlledIo(base: StoreIo = nodeStoreIo) {
  const ctl = {
    appends: 0,
    syncs: 0,
    /** Thrown by the next appends while set. */
    failAppend: null as Error | null,
    /** Thrown by fsyncs (after the bytes were appended) while set. */
    failSync: null as Error | null,
    /** While set, every fsync waits for it; `syncEntered` resolves when one is waiting. */
    syncGate: null as Promise<void> | null,
    syncEntered: deferred(),
    failTruncate: null as Error | null,
  };
  const io: StoreIo = {
    async openJournal(path): Promise<JournalHandle> {
      const h = await base.openJournal(path);
      return {
        append: async (text) => {
          ctl.appends++;
          if (ctl.failAppend) throw ctl.failAppend;
          await h.append(text);
        },
        sync: async () => {
          ctl.syncs++;
          if (ctl.syncGate) {
            ctl.syncEntered.resolve();
            await ctl.syncGate;
          }
          if (ctl.failSync) throw ctl.failSync;
          await h.sync();
        },
        truncate: async (length) => {
          if (ctl.failTruncate) throw ctl.failTruncate;
          await h.truncate(length);
        },
        close: () => h.close(),
      };
    },
  };
  return { io, ctl };
}

/** Whether a promise has settled, checked after letting pending I/O callbacks and microtasks run. */
export async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  return settled;
}

/** Bytes of every file in a directory, to prove nothing was written. */
export async function dirBytes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = await readFile(join(dir, name)).then(
      (b) => b.toString('base64'),
      (err: NodeJS.ErrnoException) => `<${err.code ?? 'error'}>`,
    );
  }
  return out;
}

/**
 * Per-test temp dirs and stores for a describe block: everything opened through it is closed, and every
 * dir removed, after each test.
 */
export function useStoreDirs(): {
  dirFor: () => Promise<string>;
  openStore: (options: LowdbSeatStoreOptions) => Promise<LowdbSeatStore>;
} {
  const open: LowdbSeatStore[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const c of cleanups.splice(0)) await c();
  });
  return {
    dirFor: async () => {
      const t = await tempDir();
      cleanups.push(t.cleanup);
      return t.dir;
    },
    openStore: async (options) => {
      const s = await openLowdbSeatStore(options);
      open.push(s);
      return s;
    },
  };
}
