import { Low, Memory } from 'lowdb';
import { emptyLedger, type LedgerData } from '../domain/ledger.js';
import { LedgerIndex, type LedgerView } from '../domain/ledger-view.js';
import { StoreError } from '../errors.js';
import { assertJsonable } from './assert-jsonable.js';
import { recordUndo } from './record-undo.js';
import type { Mutation, SeatStore, StoreHealth } from './seat-store.js';

/**
 * The SeatStore contract over lowdb's Memory adapter: same ordering and all-or-nothing rules as the lowdb
 * store, no disk. For tests and the sandbox. `initial` is copied, so the caller's object is never changed.
 */
export function createMemorySeatStore(initial?: LedgerData): SeatStore {
  const db = new Low<LedgerData>(new Memory<LedgerData>(), initial ? structuredClone(initial) : emptyLedger());
  let index = new LedgerIndex(db.data);
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  let closed = false;

  return {
    read: (): LedgerView => index,

    async update<R>(fn: (view: LedgerView) => Mutation<R>): Promise<R> {
      if (closed) throw new StoreError('STORE_CLOSED', 'memory', 'memory store: the store is closed');
      const { changes, result } = fn(index);
      if (changes.length === 0) return result;
      // The disk store journals changes as JSON; refuse the same values here (BigInt, cycles), without
      // building the text (a vendor sync's batch would be tens of MB of it).
      for (const c of changes) assertJsonable(c);
      const undo: (() => void)[] = [];
      try {
        for (const c of changes) {
          undo.push(recordUndo(db.data, c));
          index.apply([c]);
        }
      } catch (err) {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
        index = new LedgerIndex(db.data);
        throw err;
      }
      pending++;
      const written = tail.then(() => db.write());
      tail = written;
      try {
        await written;
      } finally {
        pending--;
      }
      return result;
    },

    async close(): Promise<void> {
      closed = true;
      await tail;
    },

    health: (): StoreHealth => ({ ok: true, file: null, lastWriteAt: null, lastError: null, pendingWrites: pending }),
  };
}
