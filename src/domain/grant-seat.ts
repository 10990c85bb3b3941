import type { LedgerOutcome } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, expiryFromDays, hasRoom, newLedgerSeat, noRoom, poolClosedReason, requireAdmin } from './seat-rules.js';

type Cmd = Extract<LedgerCommand, { op: 'grant' }>;

/** An admin assigns a seat to someone directly (active at once, capacity permitting). */
export function grantSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const forbidden = requireAdmin(req.actor, 'grant');
  if (forbidden) return forbidden;
  const { now } = req;
  const pool = view.pool(cmd.poolId);
  const closed = poolClosedReason(pool, cmd.poolId, 'grant', now);
  if (closed || !pool) return closed!;
  const email = cmd.assignee.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return refuse('grant', 'LEDGER_INVALID', `"${cmd.assignee.email}" is not an email address.`);
  const bad = checkText(cmd.reason, 'reason', 'grant');
  if (bad) return bad;
  const expiry = expiryFromDays(cmd.days, now, 'grant');
  if ('ok' in expiry) return expiry;
  const assignee = { kind: 'user' as const, id: cmd.assignee.id ?? email, email, name: cmd.assignee.name ?? null };
  const held = view.openSeat(pool.id, assignee);
  if (held) return refuse('grant', 'LEDGER_ALREADY_HOLDS', `${email} already ${held.status === 'active' ? 'holds a seat' : 'has a pending request'} for ${pool.productName}.`);
  if (!hasRoom(view, pool.id, 1)) return noRoom(view, pool, 'grant');
  const seat = newLedgerSeat(req, pool.id, assignee, {
    status: 'active',
    reason: cmd.reason ?? null,
    expiresAt: expiry.expiresAt,
    decidedBy: actorRef(req.actor),
    decisionNote: null,
  });
  draft.changes.push({ type: 'assignment.put', assignment: seat });
  draft.audit('seat.granted', { poolId: pool.id, assignmentId: seat.id }, null, seat);
  return { ok: true, op: 'grant', assignmentId: seat.id, poolId: pool.id, status: 'active', message: `Granted a ${pool.productName} seat to ${email}.` };
}
