import type { LedgerOutcome, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { UNDO_MINUTES, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { hasRoom, isHolder, poolClosedReason, requireAdmin, seatNotFound, who } from './seat-rules.js';
import { nameInText } from './name-in-text.js';

type Cmd = Extract<LedgerCommand, { op: 'restore' }>;

/**
 * Undo of a release (by the holder) or a revoke (by an admin) within UNDO_MINUTES: the seat is active again
 * for the same holder, if its place is still free and its end date has not passed. Audited as seat.restored.
 */
export function restoreSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { actor, now } = req;
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, 'restore');
  const pool = view.pool(seat.poolId);
  const product = nameInText(pool?.productName ?? 'license');
  if ((seat.status !== 'released' && seat.status !== 'revoked') || seat.assignedAt === null || seat.endedAt === null) {
    return refuse('restore', 'LEDGER_WRONG_STATE', `That ${product} seat was not released or revoked, so there is nothing to undo.`);
  }
  if (seat.status === 'revoked') {
    const forbidden = requireAdmin(actor, 'restore');
    if (forbidden) return forbidden;
  } else if (!isHolder(actor, seat)) {
    return refuse('restore', 'LEDGER_NOT_YOURS', `That ${product} seat was not yours, so you cannot take it back.`);
  }
  if (Date.parse(now) - Date.parse(seat.endedAt) > UNDO_MINUTES * 60_000) {
    return refuse('restore', 'LEDGER_UNDO_EXPIRED', `Undo works for ${UNDO_MINUTES} minutes and that time is over: the ${product} seat stays ${seat.status}. Ask for it again if it is needed.`);
  }
  const closed = poolClosedReason(pool, seat.poolId, 'restore', now);
  if (closed || !pool) return closed!;
  if (seat.expiresAt !== null && seat.expiresAt <= now) {
    return refuse('restore', 'LEDGER_WRONG_STATE', `That ${product} seat would have ended by now, so it stays ${seat.status}.`);
  }
  const held = view.openSeat(pool.id, seat.assignee);
  if (held) return refuse('restore', 'LEDGER_ALREADY_HOLDS', `${who(seat)} already ${held.status === 'active' ? 'holds a seat' : 'has a pending request'} for ${product} again, so nothing was undone.`);
  if (!hasRoom(view, pool.id, seat.seats)) {
    return refuse('restore', 'LEDGER_NO_FREE_SEAT', `Too late to undo: the ${product} seat was taken in the meantime and no other seat is free.`);
  }
  const after: SeatAssignment = { ...seat, status: 'active', endedAt: null, endedBy: null, updatedAt: now };
  draft.changes.push({ type: 'assignment.put', assignment: after });
  draft.audit('seat.restored', { poolId: seat.poolId, assignmentId: seat.id }, seat, after);
  return { ok: true, op: 'restore', assignmentId: seat.id, poolId: seat.poolId, status: 'active', message: `Undone: ${who(seat)} holds the ${product} seat again.` };
}
