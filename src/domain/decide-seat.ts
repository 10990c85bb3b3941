import type { LedgerOutcome, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, isHolder, poolClosedReason, requireAdmin, seatNotFound, vendorManaged, who } from './seat-rules.js';
import { seatHistory } from './seat-history.js';
import { nameInText } from './name-in-text.js';
import { freeAfterEnding, offerFreeSeats } from './offer-freed-seats.js';

type Cmd = Extract<LedgerCommand, { op: 'approve' | 'deny' }>;

/** An admin approves or denies a pending request; never their own, and only from 'pending'. */
export function decideSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { op } = cmd;
  const forbidden = requireAdmin(req.actor, op);
  if (forbidden) return forbidden;
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, op);
  if (seat.status !== 'pending') {
    return refuse(op, 'LEDGER_WRONG_STATE', `This request is no longer waiting: it was already ${seatHistory(view, seat)}.`);
  }
  // A vendor-side invitation (e.g. an unconfirmed Zoho CRM user) is settled at the vendor, not here.
  const managed = vendorManaged(seat, view.pool(seat.poolId), op);
  if (managed) return managed;
  if (isHolder(req.actor, seat)) {
    return refuse(op, 'LEDGER_SELF_APPROVAL', 'You cannot decide on your own request: another admin must.');
  }
  const bad = checkText(cmd.note, 'note', op);
  if (bad) return bad;
  const pool = view.pool(seat.poolId);
  const { now } = req;
  if (op === 'approve') {
    const closed = poolClosedReason(pool, seat.poolId, op, now);
    if (closed || !pool) return closed!;
    // The pending seat already reserves its place; approving must still fit if the vendor consumed more since.
    const u = view.usage(pool.id);
    if (u.total !== null && u.used + u.pending > u.total) {
      return refuse(op, 'LEDGER_NO_FREE_SEAT', `No free seat in ${nameInText(pool.productName)} any more: ${u.used} used of ${u.total}.`);
    }
  }
  const approved = op === 'approve';
  // A time-bound request keeps its length: the clock starts when the seat is granted.
  const shift = seat.expiresAt && seat.requestedAt ? Date.parse(now) - Date.parse(seat.requestedAt) : 0;
  const after: SeatAssignment = {
    ...seat,
    status: approved ? 'active' : 'denied',
    decidedAt: now,
    decidedBy: actorRef(req.actor),
    decisionNote: cmd.note ?? null,
    assignedAt: approved ? now : null,
    expiresAt: approved && seat.expiresAt ? new Date(Date.parse(seat.expiresAt) + shift).toISOString() : seat.expiresAt,
    endedAt: approved ? null : now,
    updatedAt: now,
  };
  draft.changes.push({ type: 'assignment.put', assignment: after });
  draft.audit(approved ? 'seat.approved' : 'seat.denied', { poolId: seat.poolId, assignmentId: seat.id }, seat, after, cmd.note ?? null);
  // A denied request no longer reserves its seat: it goes to the waitlist in this same change.
  if (!approved && pool) offerFreeSeats(view, draft, pool, now, freeAfterEnding(view, seat));
  const product = nameInText(pool?.productName ?? 'that license');
  return {
    ok: true,
    op,
    assignmentId: seat.id,
    poolId: seat.poolId,
    status: after.status,
    message: approved ? `Approved: ${who(seat)} now holds a ${product} seat.` : `Denied: ${who(seat)}'s request for ${product}.`,
  };
}
