import type { LedgerOutcome, WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { nameInText } from './name-in-text.js';
import { waitlistQueue } from './waitlist-queue.js';
import { offerFreeSeats, poolOpenForSeats, WAITLIST_OFFER_HOURS } from './offer-freed-seats.js';

type Cmd = Extract<LedgerCommand, { op: 'offerWaitlist' }>;

export { WAITLIST_OFFER_HOURS };

/**
 * The schedule's waitlist pass for one pool: offers past their time lapse, then each free seat is offered to
 * the next waiting person. An offer reserves its seat (counted as pending), so a seat is offered to at most one
 * person at a time. Message: the ids of the entries offered now, comma-separated (empty when none).
 */
export function offerWaitlist(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { now } = req;
  if (req.actor.kind !== 'system') return refuse('offerWaitlist', 'LEDGER_FORBIDDEN', 'Only the schedule offers waitlist seats.');
  const pool = view.pool(cmd.poolId);
  if (!pool) return refuse('offerWaitlist', 'LEDGER_UNKNOWN_POOL', 'That license is not known (any more).');
  const refs = { poolId: pool.id, assignmentId: null };
  const queue = waitlistQueue(view, pool.id);
  let lapsed = 0;
  for (const e of queue) {
    if (e.status !== 'offered' || e.offerExpiresAt === null || e.offerExpiresAt > now) continue;
    const after: WaitlistEntry = { ...e, status: 'lapsed', updatedAt: now };
    draft.changes.push({ type: 'waitlist.put', entry: after });
    draft.audit('waitlist.lapsed', refs, e, after, `not claimed within ${WAITLIST_OFFER_HOURS} hours`);
    lapsed++;
  }
  const u = view.usage(pool.id);
  const free = !poolOpenForSeats(pool, now) ? 0 : u.total === null ? Number.POSITIVE_INFINITY : u.total - u.used - u.pending + lapsed;
  const offered = offerFreeSeats(view, draft, pool, now, free).map((e) => e.id);
  if (offered.length === 0 && lapsed === 0) return refuse('offerWaitlist', 'LEDGER_WRONG_STATE', `Nothing to offer for ${nameInText(pool.productName)}.`);
  return { ok: true, op: 'offerWaitlist', assignmentId: null, poolId: pool.id, status: null, message: offered.join(',') };
}
