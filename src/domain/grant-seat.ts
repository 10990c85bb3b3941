import type { LedgerOutcome } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, expiryFromDays, hasRoom, newLedgerSeat, noRoom, poolClosedReason, requireAdmin } from './seat-rules.js';
import { isAllowedEmail } from './is-allowed-email.js';
import { nameInText } from './name-in-text.js';

type Cmd = Extract<LedgerCommand, { op: 'grant' }>;

/**
 * An admin assigns a seat to someone directly (active at once, capacity permitting). The rules of approval
 * hold here too: never to herself (another admin must), and only to people of the allowed email domains.
 */
export function grantSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const forbidden = requireAdmin(req.actor, 'grant');
  if (forbidden) return forbidden;
  const { now, actor } = req;
  const email = cmd.assignee.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return refuse('grant', 'LEDGER_INVALID', `"${cmd.assignee.email}" is not an email address.`);
  if (actor.kind === 'person' && (email === actor.email.toLowerCase() || (typeof cmd.assignee.id === 'string' && cmd.assignee.id === actor.personId))) {
    return refuse('grant', 'LEDGER_SELF_APPROVAL', 'You cannot grant a seat to yourself: another admin must.');
  }
  if (!isAllowedEmail(email, cmd.allowedDomains ?? [])) {
    return refuse('grant', 'LEDGER_OUTSIDE_DOMAIN', `${email} is outside this organization: seats go only to addresses of the allowed email domains.`);
  }
  const pool = view.pool(cmd.poolId);
  const closed = poolClosedReason(pool, cmd.poolId, 'grant', now);
  if (closed || !pool) return closed!;
  const bad = checkText(cmd.reason, 'reason', 'grant');
  if (bad) return bad;
  const expiry = expiryFromDays(cmd.days, now, 'grant');
  if ('ok' in expiry) return expiry;
  const assignee = { kind: 'user' as const, id: cmd.assignee.id ?? email, email, name: cmd.assignee.name ?? null };
  const held = view.openSeat(pool.id, assignee);
  if (held) return refuse('grant', 'LEDGER_ALREADY_HOLDS', `${email} already ${held.status === 'active' ? 'holds a seat' : 'has a pending request'} for ${nameInText(pool.productName)}.`);
  if (!hasRoom(view, pool.id, 1)) return noRoom(view, pool, 'grant');
  const seat = newLedgerSeat(req, pool.id, assignee, {
    status: 'active',
    reason: cmd.reason ?? null,
    expiresAt: expiry.expiresAt,
    decidedBy: actorRef(actor),
    decisionNote: null,
  });
  draft.changes.push({ type: 'assignment.put', assignment: seat });
  draft.audit('seat.granted', { poolId: pool.id, assignmentId: seat.id }, null, seat);
  return { ok: true, op: 'grant', assignmentId: seat.id, poolId: pool.id, status: 'active', message: `Granted a ${nameInText(pool.productName)} seat to ${email}.` };
}
