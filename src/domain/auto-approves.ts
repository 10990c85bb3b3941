import type { Iso, LicensePool } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { DEFAULT_TIME_ZONE } from './calendar-days.js';
import { countAutoApprovalsOn } from './count-auto-approvals-on.js';

/**
 * Whether a new seat of `pool` is approved by policy at `now`: the pool auto-approves and today's automatic
 * approvals (calendar day in `timeZone`) are still under its `autoApprovalsPerDay` cap, if it has one.
 */
export function autoApproves(view: LedgerView, pool: LicensePool, now: Iso, timeZone: string | undefined): boolean {
  if (pool.policy.approval !== 'auto') return false;
  const cap = pool.policy.autoApprovalsPerDay ?? null;
  return cap === null || countAutoApprovalsOn(view.data.audit, pool.id, now, timeZone ?? DEFAULT_TIME_ZONE) < cap;
}
