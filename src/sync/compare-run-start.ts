import type { SyncRun } from '../domain/ledger.js';
import { runSequenceOf } from './run-sequence-of.js';

/**
 * Orders sync runs by when they started, oldest first, for `lastRuns()` and pruning: by start sequence (see
 * runSequenceOf), which only grows, so a wall clock stepped back cannot make a newer run look older. Runs
 * without a sequence (recorded before there were any) are older than every run with one, and among
 * themselves go by startedAt. Equal keys compare 0, so a stable sort keeps them in recording order.
 */
export function compareRunStart(a: SyncRun, b: SyncRun): number {
  const sa = runSequenceOf(a.id);
  const sb = runSequenceOf(b.id);
  if (sa !== null && sb !== null) return sa - sb;
  if (sa !== null) return 1;
  if (sb !== null) return -1;
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0;
}
