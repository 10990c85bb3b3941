import type { LedgerOutcome, WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { hasRoom, newLedgerSeat, noRoom, poolClosedReason } from './seat-rules.js';
import { nameInText } from './name-in-text.js';
import { autoApproves } from './auto-approves.js';
import { ownWaitlistEntry } from './waitlist-queue.js';

type Cmd = Extract<LedgerCommand, { op: 'claimOffer' }>;

/** The offered person takes the seat held for them: active in an auto pool, else a request for the admins. */
export function claimOffer(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { actor, now } = req;
  if (actor.kind !== 'person') return refuse('claimOffer', 'LEDGER_INVALID', 'Only people can claim seats.');
  const pool = view.pool(cmd.poolId);
  const closed = poolClosedReason(pool, cmd.poolId, 'claimOffer', now);
  if (closed || !pool) return closed!;
  const product = nameInText(pool.productName);
  const entry = ownWaitlistEntry(view, pool.id, actor);
  if (entry?.status !== 'offered' || entry.offerExpiresAt === null || entry.offerExpiresAt <= now) {
    return refuse('claimOffer', 'LEDGER_WRONG_STATE', `No ${product} seat is being held for you (an offer lasts 24 hours).`);
  }
  // The offer's own reservation becomes the seat: it must still fit with the offer counted.
  if (!hasRoom(view, pool.id, 0)) return noRoom(view, pool, 'claimOffer');
  const auto = autoApproves(view, pool, now, cmd.timeZone);
  const seat = newLedgerSeat(req, pool.id, entry.person, {
    status: auto ? 'active' : 'pending',
    reason: 'from the waitlist',
    expiresAt: null,
    decidedBy: auto ? { kind: 'system', name: 'policy' } : null,
    decisionNote: auto ? 'auto-approved by pool policy' : null,
  });
  const after: WaitlistEntry = { ...entry, status: 'claimed', assignmentId: seat.id, updatedAt: now };
  draft.changes.push({ type: 'waitlist.put', entry: after }, { type: 'assignment.put', assignment: seat });
  draft.audit('waitlist.claimed', { poolId: pool.id, assignmentId: seat.id }, entry, after);
  draft.audit(auto ? 'seat.auto_approved' : 'seat.requested', { poolId: pool.id, assignmentId: seat.id }, null, seat);
  return {
    ok: true,
    op: 'claimOffer',
    assignmentId: seat.id,
    poolId: pool.id,
    status: seat.status,
    message: auto ? `You now hold a ${product} seat.` : `Your request for ${product} is waiting for an admin; the seat stays held for it.`,
  };
}
