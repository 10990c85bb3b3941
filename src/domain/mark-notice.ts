import type { AuditAction, Change, Iso, NoticeMark } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { LedgerDraft } from './ledger-draft.js';
import { ownEntry } from './own-entry.js';

/** Puts a notice mark with its audit event (actor: the schedule), as one change list for one store write. */
export function markNotice(view: LedgerView, mark: NoticeMark, now: Iso, action: AuditAction = 'notice.sent', note: string | null = null): Change[] {
  const draft = new LedgerDraft({ actor: { kind: 'system', name: 'schedule' }, source: 'schedule', idempotencyKey: `notice:${mark.id}@${now}`, now });
  const before = ownEntry(view.data.notices, mark.id) ?? null;
  draft.changes.push({ type: 'notice.put', notice: mark });
  const poolId = mark.kind === 'pool_expiry' || mark.kind === 'pool_renewal' || mark.kind === 'low_seats' ? mark.subject : null;
  const assignmentId = mark.kind === 'seat_ending' || mark.kind === 'reclaim' ? mark.subject : null;
  draft.audit(action, { poolId, assignmentId }, before, mark, note);
  return draft.changes;
}
