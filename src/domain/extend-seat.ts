import type { LedgerOutcome, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, MAX_DAYS, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { isHolder, poolClosedReason, seatNotFound, vendorManaged, who } from './seat-rules.js';
import { nameInText } from './name-in-text.js';

type Cmd = Extract<LedgerCommand, { op: 'extend' }>;

const DAY_MS = 86_400_000;

/**
 * Moves an active time-bound seat's end `days` later, by the pool's approval policy: the holder of a seat in
 * an auto pool, or an admin other than the holder, extends at once; the holder of a seat in a pool that needs
 * approval only asks: the ask is stored on the seat (`extensionRequest`, audited) and the outcome has status null
 * (the bot asks the admins). An admin's extension, or Deny, or REQUEST_TTL_DAYS without an answer, settles it.
 */
export function extendSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { actor, now } = req;
  if (actor.kind !== 'person') return refuse('extend', 'LEDGER_INVALID', 'Only people can extend seats.');
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, 'extend');
  const pool = view.pool(seat.poolId);
  const product = nameInText(pool?.productName ?? 'license');
  const holder: boolean = isHolder(actor, seat);
  if (!holder && !actor.isAdmin) return refuse('extend', 'LEDGER_NOT_YOURS', `That ${product} seat is not yours to extend.`);
  if (seat.status !== 'active' || seat.expiresAt === null || seat.expiresAt <= now) {
    return refuse('extend', 'LEDGER_WRONG_STATE', `That ${product} seat is no longer running to an end date, so there is nothing to extend: ask for it again if you need it.`);
  }
  const managed = vendorManaged(seat, pool, 'extend');
  if (managed) return managed;
  const closed = poolClosedReason(pool, seat.poolId, 'extend', now);
  if (closed || !pool) return closed!;
  if (!Number.isInteger(cmd.days) || cmd.days < 1 || cmd.days > MAX_DAYS) {
    return refuse('extend', 'LEDGER_INVALID', `The number of days must be a whole number from 1 to ${MAX_DAYS}.`);
  }
  const expiresAt = new Date(Date.parse(seat.expiresAt) + cmd.days * DAY_MS).toISOString();
  if (Date.parse(expiresAt) > Date.parse(now) + MAX_DAYS * DAY_MS) {
    return refuse('extend', 'LEDGER_INVALID', `A seat can run at most ${MAX_DAYS} days from now.`);
  }
  const atOnce = pool.policy.approval === 'auto' ? holder || actor.isAdmin : actor.isAdmin && !holder;
  if (!atOnce) {
    // Stored as the seat's pending extension (one at a time): admins approve or deny it, or it expires.
    const asked = seat.extensionRequest ?? null;
    if (asked !== null) {
      return refuse('extend', 'LEDGER_ALREADY_HOLDS', `You already asked to extend your ${product} seat by ${asked.days} days; an admin will decide.`);
    }
    const waiting: SeatAssignment = { ...seat, extensionRequest: { days: cmd.days, requestedAt: now, requestedBy: actorRef(actor) }, updatedAt: now };
    draft.changes.push({ type: 'assignment.put', assignment: waiting });
    draft.audit('seat.extension_requested', { poolId: seat.poolId, assignmentId: seat.id }, seat, waiting, `${cmd.days} days`);
    return { ok: true, op: 'extend', assignmentId: seat.id, poolId: seat.poolId, status: null, message: `Extending your ${product} seat by ${cmd.days} days needs an admin.` };
  }
  // An extension made at once also settles any pending ask.
  const after: SeatAssignment = { ...seat, expiresAt, ...(seat.extensionRequest ? { extensionRequest: null } : {}), updatedAt: now };
  draft.changes.push({ type: 'assignment.put', assignment: after });
  draft.audit('seat.extended', { poolId: seat.poolId, assignmentId: seat.id }, seat, after, `${cmd.days} days`);
  const whose = holder ? 'Your' : `${who(seat)}'s`;
  return { ok: true, op: 'extend', assignmentId: seat.id, poolId: seat.poolId, status: 'active', message: `${whose} ${product} seat now runs ${cmd.days} days longer.` };
}
