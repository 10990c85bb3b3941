import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change, SyncRun } from '../../../src/domain/ledger.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { makeAssignment, seatRequestChanges } from '../ledger-fixtures.js';
import { describeSeatStoreContract } from '../seat-store-contract.js';
import { controlledIo, deferred, isSettled, tempDir, useStoreDirs } from '../store-test-kit.js';

describeSeatStoreContract('lowdb store', async () => {
  const { dir, cleanup } = await tempDir();
  return { store: await openLowdbSeatStore({ dir }), reopen: () => openLowdbSeatStore({ dir }), cleanup };
});

const put = (n: number, status: 'pending' | 'active' = 'pending'): Change[] => [
  { type: 'assignment.put', assignment: makeAssignment(n, status) },
];

describe('openLowdbSeatStore', () => {
  const { dirFor, openStore } = useStoreDirs();
  const requests = async (store: LowdbSeatStore, from: number, count: number): Promise<void> => {
    await Promise.all(Array.from({ length: count }, (_, i) => store.update(() => ({ changes: seatRequestChanges(from + i), result: null }))));
  };

  describe('round trip', () => {
    it('replays the journal after a reopen without compaction', async () => {
      const dir = await dirFor();
      const store = await openStore({ dir });
      await requests(store, 0, 30);
      await store.update(() => ({ changes: [{ type: 'idempotency.delete', key: 'req-3' }], result: null }));
      await store.update(() => ({ changes: put(5, 'active'), result: null }));
      const expected = structuredClone(store.read().data);
      await store.close();
      await expect(stat(join(dir, 'ledger.json'))).rejects.toMatchObject({ code: 'ENOENT' });

      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
      expect(again.read().usage(makeAssignment(5).poolId)).toEqual(structuredClone(store.read().usage(makeAssignment(5).poolId)));
      expect(again.stats()).toMatchObject({ journalLines: 32, durableSeq: 32 });
    });

    it('keeps everything across compaction, later journal lines and a reopen', async () => {
      const dir = await dirFor();
      const store = await openStore({ dir });
      await requests(store, 0, 20);
      await store.compact();
      expect(store.stats()).toMatchObject({ compactions: 1, journalLines: 0, journalBytes: 0 });
      expect(await readFile(join(dir, 'ledger.journal'), 'utf8')).toBe('');
      await requests(store, 20, 5);
      const expected = structuredClone(store.read().data);
      await store.close();

      const snapshot = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as { journalSeq: number; schemaVersion: number };
      expect(snapshot).toMatchObject({ journalSeq: 20, schemaVersion: 1 });
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
      await again.update(() => ({ changes: put(99), result: null }));
      expect(again.stats().durableSeq).toBe(26);
    });

    it('compacts by itself in the background once the journal passes the threshold', async () => {
      const dir = await dirFor();
      const store = await openStore({ dir, compactAfterLines: 8, chunks: { recordsPerSlice: 3 } });
      for (let round = 0; round < 6; round++) {
        await requests(store, round * 10, 10);
        await store.drain();
      }
      expect(store.stats().compactions).toBeGreaterThanOrEqual(3);
      expect(store.stats().journalLines).toBeLessThan(20);
      const expected = structuredClone(store.read().data);
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
      expect(again.read().data.audit).toHaveLength(60);
    });

    it('keeps mutations made while a compaction serialises, and replays none twice', async () => {
      const dir = await dirFor();
      const store = await openStore({ dir, chunks: { recordsPerSlice: 1 } });
      await requests(store, 0, 40);
      const compaction = store.compact();
      // These land while the snapshot is being written slice by slice.
      await requests(store, 40, 40);
      await store.update(() => ({ changes: put(3, 'active'), result: null }));
      await compaction;
      const expected = structuredClone(store.read().data);
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
      expect(new Set(again.read().data.audit.map((e) => e.id)).size).toBe(80);
    });

    it('recovers when a crash hit after the snapshot was replaced but before the journal was cut', async () => {
      const dir = await dirFor();
      const store = await openStore({ dir });
      await requests(store, 0, 15);
      await copyFile(join(dir, 'ledger.journal'), join(dir, 'journal.before'));
      await store.compact();
      const expected = structuredClone(store.read().data);
      await store.close();
      await copyFile(join(dir, 'journal.before'), join(dir, 'ledger.journal'));

      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
      await again.update(() => ({ changes: put(50), result: null }));
      await again.close();
      const third = await openStore({ dir });
      expect(third.read().assignment('seat-50')).toBeDefined();
      expect(third.read().data.audit).toHaveLength(15);
    });

    it('creates a missing data directory and starts empty', async () => {
      const dir = join(await dirFor(), 'nested', 'data');
      const store = await openStore({ dir, fileName: 'seats.json' });
      expect(store.read().pools()).toEqual([]);
      await store.update(() => ({ changes: put(1), result: null }));
      expect((await stat(join(dir, 'seats.journal'))).size).toBeGreaterThan(0);
      expect(store.health()).toMatchObject({ ok: true, file: join(dir, 'seats.json'), pendingWrites: 0 });
      expect(store.health().lastWriteAt).not.toBeNull();
    });
  });

  describe('group commit', () => {
    it('writes 200 concurrent mutations in far fewer physical writes, in call order', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      const calls: number[] = [];
      const all = Array.from({ length: 200 }, (_, n) =>
        store.update(() => {
          calls.push(n);
          return { changes: put(n), result: n };
        }),
      );
      expect(await Promise.all(all)).toEqual(calls);
      const { batches, mutations } = store.stats();
      expect(mutations).toBe(200);
      expect(batches).toBeLessThan(200);
      expect(ctl.appends).toBe(batches);
      expect(ctl.syncs).toBe(batches);
      const lines = (await readFile(join(dir, 'ledger.journal'), 'utf8')).trimEnd().split('\n');
      const ids = lines.map((l) => (JSON.parse(l) as { changes: { assignment: { id: string } }[] }).changes[0]!.assignment.id);
      expect(ids).toEqual(calls.map((n) => `seat-${n}`));
      expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(calls.map((n) => n + 1));
    });

    it('does not write for a mutation with no changes', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      await store.update(() => ({ changes: [], result: null }));
      expect(ctl.appends).toBe(0);
      expect(store.stats().batches).toBe(0);
    });
  });

  describe('durability', () => {
    it('does not resolve a caller before its bytes are fsynced', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const gate = deferred();
      ctl.syncGate = gate.promise;
      const store = await openStore({ dir, io });
      const first = store.update(() => ({ changes: put(1), result: 'one' }));
      await ctl.syncEntered.promise;
      const second = store.update(() => ({ changes: put(2), result: 'two' }));
      expect(await readFile(join(dir, 'ledger.journal'), 'utf8')).toContain('"seat-1"');
      expect(await isSettled(first)).toBe(false);
      expect(store.health().pendingWrites).toBe(2);
      ctl.syncGate = null;
      gate.resolve();
      await expect(first).resolves.toBe('one');
      await expect(second).resolves.toBe('two');
      expect(ctl.syncs).toBe(2);
    });

    it('makes a no-change answer wait for the changes it read, and fail if they fail', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const gate = deferred();
      ctl.syncGate = gate.promise;
      const store = await openStore({ dir, io });
      const write = store.update(() => ({ changes: put(1), result: null }));
      const answer = store.update((view) => ({ changes: [], result: view.assignment('seat-1')?.status }));
      await ctl.syncEntered.promise;
      expect(await isSettled(answer)).toBe(false);
      ctl.failSync = new Error('EIO: i/o error');
      gate.resolve();
      await expect(write).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      await expect(answer).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    });
  });

  describe('write failures', () => {
    it('rejects the whole batch with STORE_WRITE_FAILED, rolls memory back to disk and keeps working', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      await requests(store, 0, 3);
      ctl.failAppend = new Error('ENOSPC: no space left on device');
      const failed = [put(10), put(11), seatRequestChanges(12)].map((changes) => store.update(() => ({ changes, result: null })));
      for (const p of failed) {
        await expect(p).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', file: join(dir, 'ledger.journal') });
      }
      await expect(failed[0]).rejects.toThrow(/ledger\.journal.*ENOSPC/);
      expect(store.read().assignment('seat-10')).toBeUndefined();
      expect(store.read().data.audit).toHaveLength(3);
      expect(store.health()).toMatchObject({ ok: false, lastError: expect.stringContaining('ENOSPC') as unknown });

      ctl.failAppend = null;
      await store.update(() => ({ changes: put(20), result: null }));
      expect(store.health().ok).toBe(true);
      const inMemory = structuredClone(store.read().data);
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(inMemory);
      expect(again.stats().durableSeq).toBe(4);
    });

    it('cuts back bytes that reached the journal when the fsync failed, and rejects callers queued behind', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      await requests(store, 0, 2);
      const sizeBefore = (await stat(join(dir, 'ledger.journal'))).size;
      const gate = deferred();
      ctl.syncEntered = deferred();
      ctl.syncGate = gate.promise;
      const inFlight = store.update(() => ({ changes: seatRequestChanges(10), result: null }));
      await ctl.syncEntered.promise;
      // Queued behind the failing write; its function already saw seat-10.
      const queued = store.update((view) => ({ changes: put(11), result: view.assignment('seat-10')?.id }));
      ctl.failSync = new Error('EIO: i/o error');
      ctl.syncGate = null;
      gate.resolve();
      await expect(inFlight).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      await expect(queued).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      ctl.failSync = null;
      await store.drain();
      expect((await stat(join(dir, 'ledger.journal'))).size).toBe(sizeBefore);

      await store.update(() => ({ changes: put(30), result: null }));
      const inMemory = structuredClone(store.read().data);
      expect(inMemory.assignments['seat-10']).toBeUndefined();
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(inMemory);
    });

    it('retries cutting the journal before the next append when the cut itself failed', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      await requests(store, 0, 1);
      ctl.failSync = new Error('EIO: i/o error');
      ctl.failTruncate = new Error('EIO: truncate');
      await expect(store.update(() => ({ changes: put(5), result: null }))).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      ctl.failSync = null;
      ctl.failTruncate = null;
      await store.update(() => ({ changes: put(6), result: null }));
      const inMemory = structuredClone(store.read().data);
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(inMemory);
      expect(again.read().assignment('seat-5')).toBeUndefined();
    });
  });

  describe('sync run deletes', () => {
    const run = (id: string): SyncRun => ({
      id, vendor: 'webex', connectionId: 'org-1', trigger: 'cli', startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null, status: 'ok', dryRun: false, pages: 0, requests: 0, retries: 0, summary: null, error: null,
    });

    it('replays a delete from the journal and puts the run back when the write that deleted it fails', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      const store = await openStore({ dir, io });
      await store.update(() => ({ changes: ['r1', 'r2', 'r3'].map((id) => ({ type: 'syncRun.put' as const, run: run(id) })), result: null }));
      await store.update(() => ({ changes: [{ type: 'syncRun.delete', id: 'r1' }], result: null }));
      ctl.failAppend = new Error('EIO: i/o error');
      await expect(
        store.update(() => ({ changes: [{ type: 'syncRun.delete', id: 'r2' }, { type: 'syncRun.put', run: run('r4') }], result: null })),
      ).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      ctl.failAppend = null;
      expect(Object.keys(store.read().data.syncRuns).sort()).toEqual(['r2', 'r3']);
      expect(store.read().data.syncRuns['r2']).toEqual(run('r2'));
      await store.close();
      const again = await openStore({ dir });
      expect(Object.keys(again.read().data.syncRuns).sort()).toEqual(['r2', 'r3']);
    });
  });

  describe('compaction failures', () => {
    it('reports a failed snapshot write, keeps the journal and keeps accepting writes', async () => {
      const dir = await dirFor();
      let fail = false;
      const yieldToLoop = (): Promise<void> => (fail ? Promise.reject(new Error('EIO: disk gone')) : Promise.resolve());
      const store = await openStore({ dir, chunks: { recordsPerSlice: 2, yieldToLoop } });
      await requests(store, 0, 10);
      fail = true;
      await expect(store.compact()).rejects.toMatchObject({ code: 'STORE_COMPACTION_FAILED', file: join(dir, 'ledger.json') });
      fail = false;
      expect(store.stats()).toMatchObject({ compactions: 0, journalLines: 10 });
      await requests(store, 10, 2);
      const expected = structuredClone(store.read().data);
      await store.close();
      await expect(stat(join(dir, 'ledger.json'))).rejects.toMatchObject({ code: 'ENOENT' });
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
    });

    it('discards a snapshot that may hold changes rolled back by a failed write', async () => {
      const dir = await dirFor();
      const { io, ctl } = controlledIo();
      let parked = 0;
      let hold: ReturnType<typeof deferred> | null = deferred();
      const yieldToLoop = (): Promise<void> => {
        if (!hold) return Promise.resolve();
        parked++;
        return hold.promise;
      };
      const store = await openStore({ dir, io, chunks: { recordsPerSlice: 1, yieldToLoop } });
      await requests(store, 0, 5);
      const compaction = store.compact();
      // The serialiser is parked between slices; a write fails and is rolled back meanwhile.
      await expect.poll(() => parked).toBe(1);
      ctl.failAppend = new Error('EIO: i/o error');
      await expect(store.update(() => ({ changes: seatRequestChanges(50), result: null }))).rejects.toMatchObject({
        code: 'STORE_WRITE_FAILED',
      });
      ctl.failAppend = null;
      const parkedAt = hold;
      hold = null;
      parkedAt.resolve();
      await expect(compaction).rejects.toMatchObject({ code: 'STORE_COMPACTION_ABORTED' });
      const expected = structuredClone(store.read().data);
      expect(expected.assignments['seat-50']).toBeUndefined();
      await store.close();
      const again = await openStore({ dir });
      expect(again.read().data).toEqual(expected);
    });
  });

  it('writes the snapshot as JSON that parses on its own', async () => {
    const dir = await dirFor();
    const store = await openStore({ dir });
    await requests(store, 0, 3);
    await store.compact();
    const parsed = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as { assignments: object; audit: unknown[] };
    expect(Object.keys(parsed.assignments)).toEqual(['seat-0', 'seat-1', 'seat-2']);
    expect(parsed.audit).toHaveLength(3);
  });
});
