import type { LedgerOutcome, NoticeMark } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { isHolder, seatNotFound } from './seat-rules.js';
import { nameInText } from './name-in-text.js';
import { noticeId } from './notice-id.js';
import { ownEntry } from './own-entry.js';
import { RECLAIM_KEEP_DAYS } from './reclaim-rules.js';

type Cmd = Extract<LedgerCommand, { op: 'keep' }>;

/**
 * The holder answers the reclaim question with Keep: the seat's reclaim mark is closed as kept (not asked again
 * for RECLAIM_KEEP_DAYS, never released for that question). Only the holder, only an active seat.
 */
export function keepSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { op } = cmd;
  const { actor, now } = req;
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, op);
  const product = nameInText(view.pool(seat.poolId)?.productName ?? 'license');
  if (!isHolder(actor, seat)) return refuse(op, 'LEDGER_NOT_YOURS', `That ${product} seat is not yours to keep.`);
  if (seat.status !== 'active') return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} seat is no longer active, so there is nothing to keep.`);
  const id = noticeId.reclaim(seat.id);
  const before = ownEntry(view.data.notices, id) ?? null;
  const mark: NoticeMark = { id, kind: 'reclaim', subject: seat.id, on: now, thresholds: [], active: false, at: now };
  draft.changes.push({ type: 'notice.put', notice: mark });
  draft.audit('seat.kept', { poolId: seat.poolId, assignmentId: seat.id }, before, mark);
  return {
    ok: true,
    op,
    assignmentId: seat.id,
    poolId: seat.poolId,
    status: seat.status,
    message: `You keep your ${product} seat. I will not ask about it again for ${RECLAIM_KEEP_DAYS} days.`,
  };
}
