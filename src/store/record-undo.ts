import type { Change, LedgerData } from '../domain/ledger.js';
import type { LedgerIndex } from '../domain/ledger-view.js';

/**
 * Applies `changes` to `index` one by one and returns how to undo them (the stores' way to apply a mutation
 * before it is durable). If a change throws, the ones already applied are undone and the error is rethrown:
 * the caller then rebuilds its LedgerIndex, whose indexes may be half-updated.
 */
export function applyUndoable(index: LedgerIndex, changes: readonly Change[]): (() => void)[] {
  const undo: (() => void)[] = [];
  try {
    for (const c of changes) {
      undo.push(recordUndo(index.data, c));
      index.apply([c]);
    }
  } catch (err) {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
    throw err;
  }
  return undo;
}

/**
 * Captures, before `change` is applied to `data`, how to put back what it replaces. Undos run in reverse
 * order of their changes; afterwards the caller rebuilds the LedgerIndex (its indexes are derived).
 * References only: records are replaced whole, never mutated, so nothing is copied.
 */
export function recordUndo(data: LedgerData, change: Change): () => void {
  switch (change.type) {
    case 'pool.put':
      return restore(data.pools, change.pool.id);
    case 'assignment.put':
      return restore(data.assignments, change.assignment.id);
    case 'audit.add': {
      const length = data.audit.length;
      return () => {
        data.audit.length = length;
      };
    }
    case 'idempotency.put':
      return restore(data.idempotency, change.record.key);
    case 'idempotency.delete':
      return restore(data.idempotency, change.key);
    case 'syncRun.put':
      return restore(data.syncRuns, change.run.id);
    case 'syncRun.delete':
      return restore(data.syncRuns, change.id);
    case 'drift.put':
      return restore(data.drift, change.finding.id);
    case 'space.put':
      return restore(data.spaces, change.space.roomId);
    case 'notice.put':
      return restore(data.notices, change.notice.id);
    case 'waitlist.put':
      return restore((data.waitlist ??= {}), change.entry.id);
    case 'provision.put':
      return restore((data.provisions ??= {}), change.intent.id);
    case 'provisionHold.put':
      return restore((data.provisionHolds ??= {}), change.hold.id);
    case 'provisionHold.delete':
      return restore((data.provisionHolds ??= {}), change.id);
  }
}

function restore<T>(dict: Record<string, T>, key: string): () => void {
  const had = Object.hasOwn(dict, key);
  const before = dict[key];
  return () => {
    if (had) dict[key] = before as T;
    else delete dict[key];
  };
}
