import type { Iso } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';

/** The hold id of the hourly removal brake (WRITE_BACK_MAX_REMOVALS_PER_HOUR). */
export const REMOVAL_HOLD = 'removals';
const HOUR_MS = 3_600_000;

/**
 * Removals the vendors were actually asked to make in the hour before `now` (or since an admin last resumed) (intents whose call settled them, not
 * the no-ops a read found already done), plus those in flight. The brake trips when one more would exceed `max`.
 */
export function removalsInLastHour(view: LedgerView, now: Iso, inFlight: number): number {
  const hourAgo = new Date(Date.parse(now) - HOUR_MS).toISOString();
  const resumedAt = view.data.provisionHolds?.[REMOVAL_HOLD]?.liftedAt ?? null;
  const since = resumedAt !== null && resumedAt > hourAgo ? resumedAt : hourAgo;
  let n = inFlight;
  for (const i of Object.values(view.data.provisions ?? {})) {
    if (i.op === 'remove' && i.calledAt !== undefined && i.calledAt !== null && i.calledAt > since) n++;
  }
  return n;
}

export function brakeReason(max: number): string {
  return `more than ${max} seat removals within an hour (WRITE_BACK_MAX_REMOVALS_PER_HOUR): removals are paused until an admin says "write-back resume"`;
}
