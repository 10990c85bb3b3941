import type { ActorRef, Assignee, Iso, LedgerOutcome, LicensePool, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { refuse } from './ledger-draft.js';
import { actorRef, MAX_DAYS, MAX_TEXT, type LedgerActor, type LedgerRequest, type PersonActor } from './ledger-command.js';
import { vendorLabel } from './vendor-label.js';
import { tooLong } from './input-limits.js';
import { nameInText } from './name-in-text.js';

/** Why a pool cannot take a new seat right now, or null when it can (capacity checked separately). */
export function poolClosedReason(pool: LicensePool | undefined, _poolId: string, op: string, now: Iso): LedgerOutcome | null {
  if (!pool) return refuse(op, 'LEDGER_UNKNOWN_POOL', 'That license is not known (any more): say "licenses" to see the current ones.');
  if (pool.retired) return refuse(op, 'LEDGER_POOL_RETIRED', `${nameInText(pool.productName)} is retired: the vendor no longer reports it.`);
  if (pool.state === 'expired' || pool.state === 'cancelled' || pool.state === 'inactive' || (pool.expiryDate !== null && pool.expiryDate <= now)) {
    return refuse(op, 'LEDGER_POOL_EXPIRED', `${nameInText(pool.productName)} is ${pool.state === 'active' || pool.state === 'expiring' ? 'expired' : pool.state}: no new seats can be assigned.`);
  }
  return null;
}

/**
 * True when `extra` more seats fit: used + pending + extra <= total. Pending requests reserve seats, so the
 * number a card shows as available is exactly what the ledger will still hand out.
 */
export function hasRoom(view: LedgerView, poolId: string, extra: number): boolean {
  const u = view.usage(poolId);
  return u.total === null || u.used + u.pending + extra <= u.total;
}

export function noRoom(view: LedgerView, pool: LicensePool, op: string): LedgerOutcome {
  const u = view.usage(pool.id);
  return refuse(op, 'LEDGER_NO_FREE_SEAT', `No free seat in ${nameInText(pool.productName)}: ${u.used} used and ${u.pending} pending of ${u.total ?? 'unlimited'}.`);
}

/** What an admin-only operation does, in words: "Only license admins may approve requests." */
const ADMIN_WORK: Readonly<Record<string, string>> = {
  approve: 'approve requests',
  deny: 'deny requests',
  revoke: 'revoke seats',
  grant: 'grant seats',
  expire: 'end seats',
  restore: 'undo a revoke',
  denyExtension: 'deny extensions',
};

export function requireAdmin(actor: LedgerActor, op: string): LedgerOutcome | null {
  if (actor.kind === 'system') return null;
  return actor.isAdmin ? null : refuse(op, 'LEDGER_FORBIDDEN', `Only license admins may ${ADMIN_WORK[op] ?? 'do that'}.`);
}

export function isHolder(actor: LedgerActor, seat: SeatAssignment): actor is PersonActor {
  if (actor.kind !== 'person') return false;
  const email = seat.assignee.email?.toLowerCase();
  return seat.assignee.id === actor.personId || (email !== undefined && email === actor.email.toLowerCase());
}

export function checkText(value: string | null | undefined, field: string, op: string): LedgerOutcome | null {
  if (value === null || value === undefined) return null;
  return value.length > MAX_TEXT ? refuse(op, 'LEDGER_INVALID', tooLong(`The ${field}`, MAX_TEXT)) : null;
}

export function expiryFromDays(days: number | null | undefined, now: Iso, op: string): { expiresAt: Iso | null } | LedgerOutcome {
  if (days === null || days === undefined) return { expiresAt: null };
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    return refuse(op, 'LEDGER_INVALID', `The number of days must be a whole number from 1 to ${MAX_DAYS}.`);
  }
  return { expiresAt: new Date(Date.parse(now) + days * 86_400_000).toISOString() };
}

export function seatNotFound(_id: string, op: string): LedgerOutcome {
  return refuse(op, 'LEDGER_UNKNOWN_SEAT', 'That seat or request does not exist (any more): say "my seats" to see yours.');
}

export function vendorManaged(seat: SeatAssignment, pool: LicensePool | undefined, op: string): LedgerOutcome | null {
  if (seat.origin !== 'vendor') return null;
  const at = pool ? vendorLabel(pool.vendor) : 'the vendor';
  const what = seat.status === 'pending' ? `This request is pending at ${at} (an invitation made there)` : `This seat is assigned at ${at}`;
  return refuse(op, 'LEDGER_INVALID', `${what}; settle it there (the bot only ever changes seats it assigned itself).`);
}

export function who(seat: SeatAssignment): string {
  return nameInText(seat.assignee.name ?? seat.assignee.email ?? seat.assignee.id, 80);
}

/** A new seat created through the bot (a request or a grant), keyed by the request's idempotency key. */
export function newLedgerSeat(
  req: LedgerRequest,
  poolId: string,
  assignee: Assignee,
  s: { status: 'active' | 'pending'; reason: string | null; expiresAt: Iso | null; decidedBy: ActorRef | null; decisionNote: string | null },
): SeatAssignment {
  const active = s.status === 'active';
  return {
    id: `seat_${req.idempotencyKey}`,
    poolId,
    assignee,
    seats: 1,
    status: s.status,
    origin: 'ledger',
    vendorSeen: false,
    externalId: null,
    source: req.source,
    reason: s.reason,
    requestedAt: req.now,
    requestedBy: actorRef(req.actor),
    decidedAt: active ? req.now : null,
    decidedBy: s.decidedBy,
    decisionNote: s.decisionNote,
    assignedAt: active ? req.now : null,
    endedAt: null,
    endedBy: null,
    expiresAt: s.expiresAt,
    lastUsedAt: null,
    updatedAt: req.now,
  };
}
