import type { Iso, LicensePool, SeatAssignment, WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerDraft } from './ledger-draft.js';
import { waitlistQueue } from './waitlist-queue.js';

/** How long an offered seat is held for the person it was offered to. */
export const WAITLIST_OFFER_HOURS = 24;

/** True while the pool may hand out seats (not retired, expired, cancelled or inactive). */
export function poolOpenForSeats(pool: LicensePool, now: Iso): boolean {
  return !(
    pool.retired ||
    pool.state === 'expired' ||
    pool.state === 'cancelled' ||
    pool.state === 'inactive' ||
    (pool.expiryDate !== null && pool.expiryDate <= now)
  );
}

/**
 * Seats free in the pool once `ended` (an open seat of it) no longer counts: what the view's `available` will
 * be after the change. Offers are already reserved (counted as pending), so this is what may still be offered.
 */
export function freeAfterEnding(view: LedgerView, ended: SeatAssignment): number {
  const u = view.usage(ended.poolId);
  if (u.total === null) return Number.POSITIVE_INFINITY;
  let { used, pending } = u;
  if (ended.status === 'pending') pending -= ended.seats;
  else if (ended.status === 'active' && (ended.origin === 'vendor' || ended.vendorSeen)) {
    // The vendor's consumed count may still include it: only the seats observed beyond it are freed.
    let observed = 0;
    for (const s of view.assignmentsOfPool(ended.poolId))
      if (s.status === 'active' && (s.origin === 'vendor' || s.vendorSeen)) observed += s.seats;
    const consumed = view.pool(ended.poolId)?.consumedSeats ?? 0;
    used = Math.max(consumed, observed - ended.seats) + u.ledgerOnly;
  } else if (ended.status === 'active') used -= ended.seats;
  return Math.max(0, u.total - used - pending);
}

/**
 * Offers up to `free` seats of the pool, in queue order, to people still waiting (not the entries in `skip`,
 * whose change is in the same draft), each held WAITLIST_OFFER_HOURS. Part of the caller's mutation, so a freed
 * seat is offered in the same commit that freed it. Returns the entries offered.
 */
export function offerFreeSeats(
  view: LedgerView,
  draft: LedgerDraft,
  pool: LicensePool,
  now: Iso,
  free: number,
  skip: ReadonlySet<string> = new Set(),
): WaitlistEntry[] {
  if (free < 1 || !poolOpenForSeats(pool, now)) return [];
  const until = new Date(Date.parse(now) + WAITLIST_OFFER_HOURS * 3_600_000).toISOString();
  const offered: WaitlistEntry[] = [];
  for (const e of waitlistQueue(view, pool.id)) {
    if (offered.length >= free) break;
    if (e.status !== 'waiting' || skip.has(e.id)) continue;
    const after: WaitlistEntry = {
      ...e,
      status: 'offered',
      offeredAt: now,
      offerExpiresAt: until,
      updatedAt: now,
    };
    draft.changes.push({ type: 'waitlist.put', entry: after });
    draft.audit('waitlist.offered', { poolId: pool.id, assignmentId: null }, e, after);
    offered.push(after);
  }
  return offered;
}

/** How far back `offersMadeBy` looks in the audit trail (a commit's events are among the last). */
const AUDIT_LOOKBACK = 2_000;

/**
 * The waitlist entries offered a seat by the change with this idempotency key and still offered: whom to send
 * the Claim message to right after the commit.
 */
export function offersMadeBy(view: LedgerView, idempotencyKey: string): WaitlistEntry[] {
  const audit = view.data.audit;
  const out: WaitlistEntry[] = [];
  for (let i = audit.length - 1; i >= 0 && i >= audit.length - AUDIT_LOOKBACK; i--) {
    const e = audit[i]!;
    if (e.idempotencyKey !== idempotencyKey || e.action !== 'waitlist.offered') continue;
    const id = (e.after as { id?: unknown } | null)?.id;
    const entry =
      typeof id === 'string' && Object.hasOwn(view.data.waitlist ?? {}, id)
        ? view.data.waitlist?.[id]
        : undefined;
    if (entry?.status === 'offered') out.unshift(entry);
  }
  return out;
}
