import type { SyncRun } from './ledger.js';

/**
 * Orders sync runs by when they started, oldest first: by start sequence (`SyncRun.seq`), which only grows, so
 * a wall clock stepped back cannot make a newer run look older. Runs without a sequence (recorded before there
 * were any) are older than every run with one, and among themselves go by startedAt. Equal keys compare 0, so
 * a stable sort keeps them in recording order.
 */
export function compareRunStart(a: SyncRun, b: SyncRun): number {
  if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq;
  if (a.seq !== undefined) return 1;
  if (b.seq !== undefined) return -1;
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0;
}
