// The SeatStore contract, run against every implementation (memory, lowdb and PostgreSQL).
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/domain/ledger.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import { makeAssignment, seatRequestChanges } from './ledger-fixtures.js';

export interface StoreUnderTest {
  store: SeatStore;
  /** Closes the store and opens it again from whatever it persisted (memory: the same store). */
  reopen?: () => Promise<SeatStore>;
  cleanup: () => Promise<void>;
}

const put = (n: number): Change[] => [{ type: 'assignment.put', assignment: makeAssignment(n, 'pending') }];

export interface ContractOptions {
  /**
   * The store runs fn during the update() call (memory, lowdb). PostgreSQL runs it when its batch starts,
   * after catching up with other instances under the write lock: same order, but later.
   */
  decidesAtCall?: boolean;
}

export function describeSeatStoreContract(name: string, open: () => Promise<StoreUnderTest>, options: ContractOptions = { decidesAtCall: true }): void {
  describe(`${name} (SeatStore contract)`, () => {
    let current: StoreUnderTest | null = null;
    const start = async (): Promise<SeatStore> => {
      current = await open();
      return current.store;
    };
    afterEach(async () => {
      await current?.store.close();
      await current?.cleanup();
      current = null;
    });

    it('applies the changes, returns the result and shows them to read()', async () => {
      const store = await start();
      const result = await store.update(() => ({ changes: seatRequestChanges(1), result: 'ok' }));
      expect(result).toBe('ok');
      const view = store.read();
      expect(view.assignment('seat-1')?.status).toBe('pending');
      expect(view.idempotency('req-1')?.op).toBe('seat.request');
      expect(view.data.audit.map((e) => e.id)).toEqual(['audit-1']);
      expect(view.usage(makeAssignment(1).poolId).pending).toBe(1);
    });

    it('runs mutations in call order, each seeing the ones before it without waiting for disk', async () => {
      const store = await start();
      const seen: number[] = [];
      const all = Array.from({ length: 50 }, (_, n) =>
        store.update((view) => {
          seen.push(Object.keys(view.data.assignments).length);
          return { changes: put(n), result: n };
        }),
      );
      if (options.decidesAtCall) expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => n));
      expect(await Promise.all(all)).toEqual(Array.from({ length: 50 }, (_, n) => n));
      expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => n));
      expect(await Promise.all(all)).toEqual(Array.from({ length: 50 }, (_, n) => n));
      expect(Object.keys(store.read().data.assignments)).toEqual(Array.from({ length: 50 }, (_, n) => `seat-${n}`));
    });

    it('resolves a mutation with no changes and leaves the ledger as it was', async () => {
      const store = await start();
      await store.update(() => ({ changes: put(1), result: null }));
      const before = structuredClone(store.read().data);
      await expect(store.update((view) => ({ changes: [], result: view.assignment('seat-1')?.id }))).resolves.toBe('seat-1');
      expect(store.read().data).toEqual(before);
    });

    it('rejects only the caller whose function throws, and applies nothing of it', async () => {
      const store = await start();
      const first = store.update(() => ({ changes: put(1), result: 1 }));
      const bad = store.update(() => {
        throw new Error('rule refused');
      });
      const third = store.update((view) => ({ changes: put(3), result: view.assignment('seat-1')?.id }));
      await expect(bad).rejects.toThrow('rule refused');
      await expect(first).resolves.toBe(1);
      await expect(third).resolves.toBe('seat-1');
      expect(Object.keys(store.read().data.assignments)).toEqual(['seat-1', 'seat-3']);
    });

    it('applies all changes of a mutation or none: a change that breaks half-way is undone', async () => {
      const store = await start();
      await store.update(() => ({ changes: put(1), result: null }));
      const before = structuredClone(store.read().data);
      const broken = { ...makeAssignment(2), assignee: undefined } as unknown as ReturnType<typeof makeAssignment>;
      const replaced = { ...makeAssignment(1), status: 'active' as const };
      await expect(
        store.update(() => ({
          changes: [
            { type: 'assignment.put', assignment: replaced },
            seatRequestChanges(9).find((c) => c.type === 'audit.add')!,
            { type: 'assignment.put', assignment: broken },
          ],
          result: null,
        })),
      ).rejects.toThrow();
      expect(store.read().data).toEqual(before);
      expect(store.read().usage(makeAssignment(1).poolId)).toMatchObject({ pending: 1, ledgerOnly: 0 });
      await expect(store.update(() => ({ changes: put(2), result: 'later' }))).resolves.toBe('later');
    });

    it('refuses changes that cannot be stored as JSON, applying nothing', async () => {
      const store = await start();
      const bad = { ...makeAssignment(1), seats: 1n } as unknown as ReturnType<typeof makeAssignment>;
      await expect(store.update(() => ({ changes: [{ type: 'assignment.put', assignment: bad }], result: null }))).rejects.toThrow(
        /BigInt/,
      );
      expect(store.read().assignment('seat-1')).toBeUndefined();
    });

    it('refuses a big mutation whose last change cannot be stored as JSON, applying none of it', async () => {
      const store = await start();
      const big = Array.from({ length: 600 }, (_, n) => seatRequestChanges(n)).flat();
      const loop: Record<string, unknown> = { id: 'loop' };
      loop.self = { inner: loop };
      const cyclic = { ...makeAssignment(900), note: loop } as unknown as ReturnType<typeof makeAssignment>;
      const deep = { ...makeAssignment(901), assignee: { ...makeAssignment(901).assignee, name: 7n } } as unknown as ReturnType<
        typeof makeAssignment
      >;
      for (const [bad, message] of [
        [deep, /BigInt/],
        [cyclic, /circular/],
      ] as const) {
        await expect(
          store.update(() => ({ changes: [...big, { type: 'assignment.put', assignment: bad }], result: null })),
        ).rejects.toThrow(message);
      }
      expect(store.read().assignment('seat-0')).toBeUndefined();
      expect(store.read().data.audit).toHaveLength(0);
      await expect(store.update(() => ({ changes: big, result: 'stored' }))).resolves.toBe('stored');
      expect(store.read().data.audit).toHaveLength(600);
    });

    it('flushes pending mutations on close and refuses new ones afterwards', async () => {
      const store = await start();
      const pending = Array.from({ length: 20 }, (_, n) => store.update(() => ({ changes: put(n), result: n })));
      await store.close();
      await expect(Promise.all(pending)).resolves.toHaveLength(20);
      await expect(store.update(() => ({ changes: put(99), result: null }))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      if (current?.reopen) {
        const again = await current.reopen();
        current.store = again;
        expect(Object.keys(again.read().data.assignments)).toHaveLength(20);
      }
    });

    it('reports health with nothing pending once writes are done', async () => {
      const store = await start();
      await store.update(() => ({ changes: put(1), result: null }));
      expect(store.health()).toMatchObject({ ok: true, lastError: null, pendingWrites: 0 });
    });
  });
}
