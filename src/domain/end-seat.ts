import type { AuditAction, LedgerOutcome, SeatAssignment, SeatStatus } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, isHolder, requireAdmin, seatNotFound, vendorManaged, who } from './seat-rules.js';
import { seatHistory } from './seat-history.js';
import { nameInText } from './name-in-text.js';
import { freeAfterEnding, offerFreeSeats } from './offer-freed-seats.js';

type Cmd = Extract<LedgerCommand, { op: 'release' | 'revoke' | 'expire' }>;

const RESULT: Record<Cmd['op'], { status: SeatStatus; action: AuditAction }> = {
  release: { status: 'released', action: 'seat.released' },
  revoke: { status: 'revoked', action: 'seat.revoked' },
  expire: { status: 'expired', action: 'seat.expired' },
};

/**
 * Ends a seat: the holder releases their own (or withdraws a pending request), an admin revokes an active
 * seat, the schedule expires a time-bound seat whose time is up. Each frees the seat it held.
 */
export function endSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { op } = cmd;
  const { actor, now } = req;
  const seat = view.assignment(cmd.assignmentId);
  if (op === 'revoke' || op === 'expire') {
    const forbidden = requireAdmin(actor, op);
    if (forbidden) return forbidden;
  }
  if (!seat) return seatNotFound(cmd.assignmentId, op);
  const pool = view.pool(seat.poolId);
  const product = nameInText(pool?.productName ?? 'license');
  if (op === 'release' && !isHolder(actor, seat)) {
    return refuse(op, 'LEDGER_NOT_YOURS', `That ${product} seat is not yours to release.`);
  }
  const allowed: SeatStatus[] = op === 'release' ? ['active', 'pending'] : ['active'];
  if (!allowed.includes(seat.status)) {
    if (op === 'revoke' && seat.status === 'pending') {
      return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} request is still waiting for an admin: deny it instead.`);
    }
    return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} ${seat.assignedAt === null ? 'request' : 'seat'} was already ${seatHistory(view, seat)}, so there is nothing left to ${op}.`);
  }
  if (op === 'expire' && (seat.expiresAt === null || seat.expiresAt > now)) {
    return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} seat has not reached its end date.`);
  }
  const managed = vendorManaged(seat, pool, op);
  if (managed) return managed;
  const note = 'note' in cmd ? (cmd.note ?? null) : null;
  const bad = checkText(note, 'note', op);
  if (bad) return bad;

  const after: SeatAssignment = {
    ...seat,
    status: RESULT[op].status,
    endedAt: now,
    endedBy: actorRef(actor),
    decisionNote: note ?? seat.decisionNote,
    updatedAt: now,
  };
  draft.changes.push({ type: 'assignment.put', assignment: after });
  draft.audit(RESULT[op].action, { poolId: seat.poolId, assignmentId: seat.id }, seat, after, note);
  // The freed seat goes to the first in the pool's waitlist in this same change.
  if (pool) offerFreeSeats(view, draft, pool, now, freeAfterEnding(view, seat));
  const message =
    op === 'release'
      ? seat.status === 'pending'
        ? `Your request for ${product} is withdrawn.`
        : `You released your ${product} seat.`
      : op === 'revoke'
        ? `Revoked ${who(seat)}'s ${product} seat.`
        : `${who(seat)}'s ${product} seat expired.`;
  return { ok: true, op, assignmentId: seat.id, poolId: seat.poolId, status: after.status, message };
}
