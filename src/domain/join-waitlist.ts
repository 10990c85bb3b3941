import type { LedgerOutcome, WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { hasRoom, poolClosedReason } from './seat-rules.js';
import { nameInText } from './name-in-text.js';
import { nextJoinSeq, ownWaitlistEntry, waitlistQueue } from './waitlist-queue.js';
import { offerFreeSeats } from './offer-freed-seats.js';

type Cmd = Extract<LedgerCommand, { op: 'joinWaitlist' | 'leaveWaitlist' }>;

/** A person joins a full pool's waitlist (at the end), or leaves it (an offer they held goes to the next). */
export function joinWaitlist(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { actor, now } = req;
  const { op } = cmd;
  if (actor.kind !== 'person') return refuse(op, 'LEDGER_INVALID', 'Only people can wait for seats.');
  const pool = view.pool(cmd.poolId);
  if (!pool) return poolClosedReason(pool, cmd.poolId, op, now)!;
  const product = nameInText(pool.productName);
  const entry = ownWaitlistEntry(view, pool.id, actor);
  const refs = { poolId: pool.id, assignmentId: null };
  if (op === 'leaveWaitlist') {
    if (!entry) return refuse(op, 'LEDGER_WRONG_STATE', `You are not on the waitlist for ${product}.`);
    const after: WaitlistEntry = { ...entry, status: 'left', updatedAt: now };
    draft.changes.push({ type: 'waitlist.put', entry: after });
    draft.audit('waitlist.left', refs, entry, after);
    // An offer given up frees its seat for the next in line, in this same change.
    if (entry.status === 'offered') {
      const available = view.usage(pool.id).available;
      offerFreeSeats(view, draft, pool, now, available === null ? Number.POSITIVE_INFINITY : available + 1, new Set([entry.id]));
    }
    return { ok: true, op, assignmentId: null, poolId: pool.id, status: null, message: `You left the waitlist for ${product}.` };
  }
  const closed = poolClosedReason(pool, cmd.poolId, op, now);
  if (closed) return closed;
  if (entry) return refuse(op, 'LEDGER_ALREADY_HOLDS', `You are already on the waitlist for ${product}.`);
  const held = view.openSeat(pool.id, { kind: 'user', id: actor.personId, email: actor.email.toLowerCase() });
  if (held) return refuse(op, 'LEDGER_ALREADY_HOLDS', `You already ${held.status === 'active' ? 'hold a seat' : 'have a pending request'} for ${product}.`);
  // With people already waiting a free seat is theirs (the schedule offers it), so a newcomer queues too.
  const queue = waitlistQueue(view, pool.id);
  if (hasRoom(view, pool.id, 1) && !queue.some((e) => e.status === 'waiting')) {
    return refuse(op, 'LEDGER_INVALID', `${product} has a free seat: request it instead of waiting.`);
  }
  const joined: WaitlistEntry = {
    id: req.idempotencyKey,
    poolId: pool.id,
    person: { kind: 'user', id: actor.personId, email: actor.email.toLowerCase(), name: actor.name },
    status: 'waiting',
    joinedAt: now,
    joinSeq: nextJoinSeq(view, pool.id),
    offeredAt: null,
    offerExpiresAt: null,
    assignmentId: null,
    updatedAt: now,
  };
  draft.changes.push({ type: 'waitlist.put', entry: joined });
  draft.audit('waitlist.joined', refs, null, joined);
  const position = queue.length + 1;
  return { ok: true, op, assignmentId: null, poolId: pool.id, status: null, message: `You are number ${position} on the waitlist for ${product}.` };
}
