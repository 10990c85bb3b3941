import type { Change, Iso, NoticeKind } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { markNotice } from './mark-notice.js';
import { ownEntry } from './own-entry.js';

/**
 * Claims a once-a-day notice (a space's digest, the admin nudge) for `day` (a calendar date in
 * SCHEDULE_TIMEZONE): changes that record it when it is not claimed for that day (or a later one, should the
 * clock step back), else none. Claim first, then send: a crash between the two loses that one notice for the
 * day rather than sending it twice.
 */
export function claimDailyNotice(
  view: LedgerView,
  notice: { id: string; kind: Extract<NoticeKind, 'digest' | 'pending_nudge'>; subject: string | null; day: string },
  now: Iso,
): { changes: Change[]; result: boolean } {
  const prev = ownEntry(view.data.notices, notice.id);
  if (prev?.on !== undefined && prev.on !== null && prev.on >= notice.day) return { changes: [], result: false };
  const mark = { id: notice.id, kind: notice.kind, subject: notice.subject, on: notice.day, thresholds: [], active: false, at: now };
  return { changes: markNotice(view, mark, now), result: true };
}
