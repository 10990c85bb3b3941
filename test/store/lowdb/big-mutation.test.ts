// A vendor sync commits one mutation with tens of thousands of changes: it must reach the journal as one
// ordinary NDJSON line, written in bounded chunks, and a crash or failure part-way must leave none of it.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/domain/ledger.js';
import { JOURNAL_CHUNK_CHARS } from '../../../src/store/lowdb/journal-chunks.js';
import { nodeStoreIo, type StoreIo } from '../../../src/store/lowdb/store-io.js';
import { makeSyncedSeat, seatRequestChanges } from '../ledger-fixtures.js';
import { deferred, useStoreDirs } from '../store-test-kit.js';

/** A sync-sized batch: `seats` synced seats, several chunks' worth of JSON. */
const syncBatch = (seats: number, from = 1000): Change[] =>
  Array.from({ length: seats }, (_, i) => ({
    type: 'assignment.put' as const,
    assignment: makeSyncedSeat(from + i),
  }));

/** Journal I/O that records the size of every chunk written, and can fail after `failAfterChunks`. */
function chunkRecordingIo(): {
  io: StoreIo;
  chunks: number[];
  appends: number;
  failAfterChunks: number | null;
} {
  const state = {
    io: null as unknown as StoreIo,
    chunks: [] as number[],
    appends: 0,
    failAfterChunks: null as number | null,
  };
  state.io = {
    async openJournal(path) {
      const h = await nodeStoreIo.openJournal(path);
      return {
        ...h,
        append: async (chunks) => {
          state.appends++;
          let written = 0;
          const counted = function* (): Generator<Uint8Array> {
            for (const c of chunks) {
              if (state.failAfterChunks !== null && written >= state.failAfterChunks)
                throw new Error('ENOSPC: no space left on device');
              written++;
              state.chunks.push(c.length);
              yield c;
            }
          };
          await h.append(counted());
        },
      };
    },
  };
  return state;
}

describe('a big mutation (vendor sync) in the lowdb store', () => {
  const { dirFor, openStore } = useStoreDirs();

  it('is written as one ordinary journal line, in bounded chunks, with one append and one fsync', async () => {
    const dir = await dirFor();
    const rec = chunkRecordingIo();
    const store = await openStore({ dir, io: rec.io });
    await store.update(() => ({ changes: seatRequestChanges(1), result: null }));
    const batch = syncBatch(3000);
    await store.update(() => ({ changes: batch, result: null }));

    const lines = (await readFile(join(dir, 'ledger.journal'), 'utf8')).split('\n');
    expect(lines).toHaveLength(3); // two lines and the empty rest after the last newline
    expect(lines[0]).toBe(JSON.stringify({ seq: 1, changes: seatRequestChanges(1) }));
    expect(lines[1]).toBe(JSON.stringify({ seq: 2, changes: batch }));
    expect(lines[1]!.length).toBeGreaterThan(10 * JOURNAL_CHUNK_CHARS);
    expect(rec.appends).toBe(2);
    expect(store.stats()).toMatchObject({ batches: 2, durableSeq: 2, journalLines: 2 });
    expect(store.stats().journalBytes).toBe((await stat(join(dir, 'ledger.journal'))).size);
    // Many chunks, none much bigger than the chunk size (one change may overshoot it).
    const bigChunks = rec.chunks.slice(1);
    expect(bigChunks.length).toBeGreaterThan(10);
    expect(Math.max(...bigChunks)).toBeLessThan(JOURNAL_CHUNK_CHARS + 2000);

    const expected = structuredClone(store.read().data);
    await store.close();
    const again = await openStore({ dir });
    expect(again.read().data).toEqual(expected);
    expect(Object.keys(again.read().data.assignments)).toHaveLength(3001);
  });

  it('ignores a big mutation torn by a crash as a whole, and carries on after it', async () => {
    const dir = await dirFor();
    const store = await openStore({ dir });
    await store.update(() => ({ changes: seatRequestChanges(1), result: null }));
    const before = structuredClone(store.read().data);
    const goodBytes = store.stats().journalBytes;
    await store.update(() => ({ changes: syncBatch(2000), result: null }));
    const fullBytes = store.stats().journalBytes;
    await store.close();
    const full = await readFile(join(dir, 'ledger.journal'));
    expect(full.length).toBe(fullBytes);

    // A crash after some chunks reached the disk: the line stops part-way, at a chunk boundary or inside one.
    for (const cut of [
      goodBytes + JOURNAL_CHUNK_CHARS,
      Math.floor((goodBytes + fullBytes) / 2),
      fullBytes - 1,
    ]) {
      await writeFile(join(dir, 'ledger.journal'), full.subarray(0, cut));
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(before);
      expect(again.stats()).toMatchObject({ durableSeq: 1, journalBytes: goodBytes });
      await again.close();
      expect((await stat(join(dir, 'ledger.journal'))).size).toBe(goodBytes);
    }
    const third = await openStore({ dir });
    await third.update(() => ({ changes: seatRequestChanges(2), result: null }));
    await third.close();
    const fourth = await openStore({ dir });
    expect(fourth.stats().durableSeq).toBe(2);
    expect(Object.keys(fourth.read().data.assignments)).toEqual(['seat-1', 'seat-2']);
  });

  it('rolls back a big mutation whose write fails after some chunks reached the file', async () => {
    const dir = await dirFor();
    const rec = chunkRecordingIo();
    const store = await openStore({ dir, io: rec.io });
    await store.update(() => ({ changes: seatRequestChanges(1), result: null }));
    const before = structuredClone(store.read().data);
    const sizeBefore = (await stat(join(dir, 'ledger.journal'))).size;
    rec.failAfterChunks = 3;
    await expect(store.update(() => ({ changes: syncBatch(2000), result: null }))).rejects.toMatchObject({
      code: 'STORE_WRITE_FAILED',
      message: expect.stringContaining('ENOSPC') as unknown,
    });
    expect(store.read().data).toEqual(before);
    expect(store.read().assignment('seat-1000')).toBeUndefined();
    await store.drain();
    expect((await stat(join(dir, 'ledger.journal'))).size).toBe(sizeBefore);

    rec.failAfterChunks = null;
    await store.update(() => ({ changes: syncBatch(10, 5000), result: null }));
    const expected = structuredClone(store.read().data);
    await store.close();
    const again = await openStore({ dir });
    expect(again.read().data).toEqual(expected);
    expect(again.stats().durableSeq).toBe(2);
  });

  it('keeps a big mutation committed while a compaction serialises, and compacts it away afterwards', async () => {
    const dir = await dirFor();
    let parked = 0;
    let hold: ReturnType<typeof deferred> | null = deferred();
    const yieldToLoop = (): Promise<void> => {
      if (!hold) return Promise.resolve();
      parked++;
      return hold.promise;
    };
    const store = await openStore({ dir, chunks: { recordsPerSlice: 1, yieldToLoop } });
    for (let n = 0; n < 5; n++) await store.update(() => ({ changes: seatRequestChanges(n), result: null }));
    const compaction = store.compact();
    await expect.poll(() => parked).toBe(1);
    await store.update(() => ({ changes: syncBatch(2000), result: null }));
    const release = hold;
    hold = null;
    release.resolve();
    await compaction;
    // The snapshot was captured before the batch: the rewritten journal holds exactly that line.
    const journal = await readFile(join(dir, 'ledger.journal'), 'utf8');
    expect(
      journal
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([6]);
    expect(store.stats().journalBytes).toBe(Buffer.byteLength(journal));
    const expected = structuredClone(store.read().data);
    await store.close();
    const again = await openStore({ dir });
    expect(again.read().data).toEqual(expected);
    await again.compact();
    expect(again.stats()).toMatchObject({ journalLines: 0, journalBytes: 0 });
  });
});
