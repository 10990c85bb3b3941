import type { LedgerOutcome } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { checkText, expiryFromDays, hasRoom, newLedgerSeat, noRoom, poolClosedReason } from './seat-rules.js';
import { nameInText } from './name-in-text.js';
import { autoApproves } from './auto-approves.js';
import { waitlistQueue } from './waitlist-queue.js';

type Cmd = Extract<LedgerCommand, { op: 'request' }>;

/** A person asks for a seat for themselves: pending, or active at once when the pool auto-approves. */
export function requestSeat(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { actor, now } = req;
  if (actor.kind !== 'person') return refuse('request', 'LEDGER_INVALID', 'Only people can request seats.');
  const pool = view.pool(cmd.poolId);
  const closed = poolClosedReason(pool, cmd.poolId, 'request', now);
  if (closed || !pool) return closed!;
  const bad = checkText(cmd.reason, 'reason', 'request');
  if (bad) return bad;
  const expiry = expiryFromDays(cmd.days, now, 'request');
  if ('ok' in expiry) return expiry;
  const assignee = { kind: 'user' as const, id: actor.personId, email: actor.email.toLowerCase(), name: actor.name };
  const held = view.openSeat(pool.id, assignee);
  if (held) {
    return refuse('request', 'LEDGER_ALREADY_HOLDS', `You already ${held.status === 'active' ? 'hold a seat' : 'have a pending request'} for ${nameInText(pool.productName)}.`);
  }
  // No queue jumping: a seat that frees while people wait is theirs (offers are reserved in `pending` already).
  const waiting = waitlistQueue(view, pool.id).filter((e) => e.status === 'waiting').length;
  if (waiting > 0) {
    const people = waiting === 1 ? '1 person is' : `${waiting} people are`;
    return refuse('request', 'LEDGER_NO_FREE_SEAT', `${people} already waiting for ${nameInText(pool.productName)}: join the waitlist to get the next free seat.`);
  }
  if (!hasRoom(view, pool.id, 1)) return noRoom(view, pool, 'request');

  const auto = autoApproves(view, pool, now, cmd.timeZone);
  // An auto-approve pool that did not approve has used up today's cap.
  const capped = pool.policy.approval === 'auto' && !auto;
  const cap = pool.policy.autoApprovalsPerDay ?? null;
  const seat = newLedgerSeat(req, pool.id, assignee, {
    status: auto ? 'active' : 'pending',
    reason: cmd.reason ?? null,
    expiresAt: expiry.expiresAt,
    decidedBy: auto ? { kind: 'system', name: 'policy' } : null,
    decisionNote: auto ? 'auto-approved by pool policy' : null,
  });
  draft.changes.push({ type: 'assignment.put', assignment: seat });
  draft.audit(auto ? 'seat.auto_approved' : 'seat.requested', { poolId: pool.id, assignmentId: seat.id }, null, seat);
  return {
    ok: true,
    op: 'request',
    assignmentId: seat.id,
    poolId: pool.id,
    status: seat.status,
    message: auto
      ? `You now hold a ${nameInText(pool.productName)} seat.`
      : `Your request for ${nameInText(pool.productName)} is waiting for an admin${capped ? `: today's ${cap} automatic approvals are used up` : ''}.`,
  };
}
