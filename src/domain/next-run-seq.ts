import type { LedgerView } from './ledger-view.js';

/** The start sequence for a new sync run: above every run recorded in the ledger and `issued` (this process's last). */
export function nextRunSeq(view: LedgerView, issued: number): number {
  let max = issued;
  for (const run of Object.values(view.data.syncRuns)) if (run.seq !== undefined && run.seq > max) max = run.seq;
  return max + 1;
}
