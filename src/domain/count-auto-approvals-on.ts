import { calendarDate, calendarDaysBetween } from './calendar-days.js';
import type { AuditEvent, Iso } from './ledger.js';

/**
 * How many seats of a pool were approved automatically on the calendar day of `now` in `timeZone`, from the
 * audit log. The log is read newest first and the scan stops at events more than a day older than `now`
 * (a small margin for a clock stepped back), so it costs one day's events, not the whole history.
 */
export function countAutoApprovalsOn(audit: readonly AuditEvent[], poolId: string, now: Iso, timeZone: string): number {
  const today = calendarDate(now, timeZone);
  let count = 0;
  for (let i = audit.length - 1; i >= 0; i--) {
    const e = audit[i];
    if (!e) continue;
    if ((calendarDaysBetween(e.at, now, timeZone) ?? 0) > 1) break;
    if (e.action === 'seat.auto_approved' && e.poolId === poolId && calendarDate(e.at, timeZone) === today) count++;
  }
  return count;
}
