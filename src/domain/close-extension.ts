import type { LedgerOutcome, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, isHolder, requireAdmin, seatNotFound, who } from './seat-rules.js';
import { nameInText } from './name-in-text.js';

const DAY_MS = 86_400_000;

type Cmd = Extract<LedgerCommand, { op: 'denyExtension' | 'expireExtension' }>;

/**
 * Closes a holder's pending extension request without extending: an admin (not the holder) denies it, or the
 * schedule closes one left unanswered `ttlDays` (REQUEST_TTL_DAYS). The seat keeps its end date.
 */
export function closeExtension(
  view: LedgerView,
  req: LedgerRequest,
  cmd: Cmd,
  draft: LedgerDraft,
): LedgerOutcome {
  const { op } = cmd;
  const { actor, now } = req;
  if (op === 'expireExtension' && actor.kind !== 'system')
    return refuse(op, 'LEDGER_FORBIDDEN', 'Only the schedule closes extension requests as expired.');
  if (op === 'denyExtension') {
    const forbidden = requireAdmin(actor, op);
    if (forbidden) return forbidden;
  }
  const seat = view.assignment(cmd.assignmentId);
  if (!seat) return seatNotFound(cmd.assignmentId, op);
  const product = nameInText(view.pool(seat.poolId)?.productName ?? 'license');
  const asked = seat.extensionRequest ?? null;
  if (seat.status !== 'active' || asked === null)
    return refuse(op, 'LEDGER_WRONG_STATE', `No extension of that ${product} seat is waiting (any more).`);
  if (op === 'denyExtension') {
    if (isHolder(actor, seat))
      return refuse(
        op,
        'LEDGER_SELF_APPROVAL',
        'You cannot decide on your own extension: another admin must.',
      );
    const bad = checkText(cmd.note, 'note', op);
    if (bad) return bad;
  } else if (Date.parse(asked.requestedAt) + cmd.ttlDays * DAY_MS > Date.parse(now)) {
    return refuse(
      op,
      'LEDGER_WRONG_STATE',
      `That ${product} extension request has waited less than ${cmd.ttlDays} days.`,
    );
  }
  const after: SeatAssignment = { ...seat, extensionRequest: null, updatedAt: now };
  const note = op === 'denyExtension' ? (cmd.note ?? null) : `unanswered for ${cmd.ttlDays} days`;
  draft.changes.push({ type: 'assignment.put', assignment: after });
  draft.audit(
    op === 'denyExtension' ? 'seat.extension_denied' : 'seat.extension_expired',
    { poolId: seat.poolId, assignmentId: seat.id },
    seat,
    after,
    note,
  );
  const message =
    op === 'denyExtension'
      ? `Denied: ${who(seat)}'s ${product} seat keeps its end date (${asked.days} more days asked).`
      : `The extension request for ${who(seat)}'s ${product} seat expired (${note}).`;
  return { ok: true, op, assignmentId: seat.id, poolId: seat.poolId, status: 'active', message };
}
