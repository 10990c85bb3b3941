import type { LedgerOutcome, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { seatNotFound } from './seat-rules.js';
import { nameInText } from './name-in-text.js';
import { freeAfterEnding, offerFreeSeats } from './offer-freed-seats.js';

const DAY_MS = 86_400_000;

type Cmd = Extract<LedgerCommand, { op: 'expireRequest' }>;

/** The schedule closes a request that waited longer than `ttlDays` for an admin; it frees what it reserved. */
export function expireRequest(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { op } = cmd;
  const { actor, now } = req;
  if (actor.kind !== 'system') return refuse(op, 'LEDGER_FORBIDDEN', 'Only the schedule closes requests as expired.');
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, op);
  const product = nameInText(view.pool(seat.poolId)?.productName ?? 'license');
  if (seat.status !== 'pending' || seat.origin !== 'ledger') {
    return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} request is no longer waiting.`);
  }
  const asked = seat.requestedAt === null ? NaN : Date.parse(seat.requestedAt);
  if (Number.isNaN(asked) || asked + cmd.ttlDays * DAY_MS > Date.parse(now)) {
    return refuse(op, 'LEDGER_WRONG_STATE', `That ${product} request has waited less than ${cmd.ttlDays} days.`);
  }
  const after: SeatAssignment = { ...seat, status: 'expired', endedAt: now, endedBy: actorRef(actor), updatedAt: now };
  draft.changes.push({ type: 'assignment.put', assignment: after });
  const note = `unanswered for ${cmd.ttlDays} days`;
  draft.audit('seat.request_expired', { poolId: seat.poolId, assignmentId: seat.id }, seat, after, note);
  const pool = view.pool(seat.poolId);
  if (pool) offerFreeSeats(view, draft, pool, now, freeAfterEnding(view, seat));
  return { ok: true, op, assignmentId: seat.id, poolId: seat.poolId, status: after.status, message: `The ${product} request expired (${note}).` };
}
