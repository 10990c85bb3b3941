import type { LedgerOutcome, WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { nameInText } from './name-in-text.js';
import { waitlistQueue } from './waitlist-queue.js';

type Cmd = Extract<LedgerCommand, { op: 'offerWaitlist' }>;

/** How long an offered seat is held for the person it was offered to. */
export const WAITLIST_OFFER_HOURS = 24;

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
  const closed = pool.retired || pool.state === 'expired' || pool.state === 'cancelled' || pool.state === 'inactive' || (pool.expiryDate !== null && pool.expiryDate <= now);
  let free = closed ? 0 : u.total === null ? Number.POSITIVE_INFINITY : u.total - u.used - u.pending + lapsed;
  const offered: string[] = [];
  const until = new Date(Date.parse(now) + WAITLIST_OFFER_HOURS * 3_600_000).toISOString();
  for (const e of queue) {
    if (free < 1) break;
    if (e.status !== 'waiting') continue;
    const after: WaitlistEntry = { ...e, status: 'offered', offeredAt: now, offerExpiresAt: until, updatedAt: now };
    draft.changes.push({ type: 'waitlist.put', entry: after });
    draft.audit('waitlist.offered', refs, e, after);
    offered.push(e.id);
    free--;
  }
  if (offered.length === 0 && lapsed === 0) return refuse('offerWaitlist', 'LEDGER_WRONG_STATE', `Nothing to offer for ${nameInText(pool.productName)}.`);
  return { ok: true, op: 'offerWaitlist', assignmentId: null, poolId: pool.id, status: null, message: offered.join(',') };
}
