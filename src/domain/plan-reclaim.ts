import type { Iso, LicensePool, NoticeMark, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { noticeId } from './notice-id.js';
import { ownEntry } from './own-entry.js';
import { RECLAIM_ANSWER_DAYS, RECLAIM_KEEP_DAYS } from './reclaim-rules.js';

const DAY_MS = 86_400_000;

/**
 * One thing the reclaim job should do about an idle seat: ask its holder (Keep / Release; bot-granted seats only),
 * release it (policy 'auto', bot-granted, unanswered for RECLAIM_ANSWER_DAYS) or report it to the admins (a
 * vendor-held seat, once per idle spell: the bot cannot give it back, so its holder is not asked).
 */
export interface ReclaimStep {
  kind: 'ask' | 'release' | 'report';
  seat: SeatAssignment;
  pool: LicensePool;
  /** The seat's reclaim mark as it stands (null: never asked). */
  mark: NoticeMark | null;
}

/**
 * Pure: the reclaim steps due at `now` over pools whose policy says reclaim 'ask' or 'auto'. Only seats the
 * vendor reports a last use for count; one question per idle spell (recorded on the `reclaim:<seat>` notice
 * mark: `active` = waiting for an answer, `on` = asked or kept at, `thresholds` non-empty = handled). A use
 * after the mark starts a new spell; Keep holds the question off for RECLAIM_KEEP_DAYS.
 */
export function planReclaim(view: LedgerView, now: Iso, afterDays: number): ReclaimStep[] {
  const nowMs = Date.parse(now);
  const idleBefore = new Date(nowMs - afterDays * DAY_MS).toISOString();
  const steps: ReclaimStep[] = [];
  for (const seat of Object.values(view.data.assignments)) {
    if (seat.status !== 'active' || seat.lastUsedAt === null || seat.assignee.kind !== 'user') continue;
    const pool = view.pool(seat.poolId);
    const mode = pool?.policy.reclaim ?? 'off';
    if (pool === undefined || pool.retired || mode === 'off') continue;
    const idle = seat.lastUsedAt <= idleBefore;
    const mark = ownEntry(view.data.notices, noticeId.reclaim(seat.id)) ?? null;
    const fresh = mark === null || seat.lastUsedAt > mark.at;
    if (fresh) {
      // Only a bot-granted seat can be given back through the bot: a vendor-held one is reported to the admins.
      if (idle) steps.push({ kind: seat.origin === 'ledger' ? 'ask' : 'report', seat, pool, mark });
      continue;
    }
    const since = mark.on === null ? NaN : nowMs - Date.parse(mark.on);
    if (mark.active) {
      if (mode === 'auto' && since >= RECLAIM_ANSWER_DAYS * DAY_MS) steps.push({ kind: seat.origin === 'ledger' ? 'release' : 'report', seat, pool, mark });
    } else if (mark.thresholds.length === 0 && idle && since >= RECLAIM_KEEP_DAYS * DAY_MS) {
      steps.push({ kind: seat.origin === 'ledger' ? 'ask' : 'report', seat, pool, mark });
    }
  }
  return steps;
}
