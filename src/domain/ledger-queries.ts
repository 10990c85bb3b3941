import type { Iso, LicensePool, SeatAssignment } from './ledger.js';
import type { LedgerView, PoolUsage } from './ledger-view.js';

export interface PoolStatus {
  pool: LicensePool;
  usage: PoolUsage;
  /** available <= policy.minFreeSeats (never for unlimited pools). */
  low: boolean;
  /** Days until expiryDate (renewalDate when no expiry is known), or null. */
  daysLeft: number | null;
}

const DAY = 86_400_000;

export function poolStatus(view: LedgerView, pool: LicensePool, now: Iso): PoolStatus {
  const usage = view.usage(pool.id);
  const end = pool.expiryDate ?? pool.renewalDate;
  return {
    pool,
    usage,
    low: usage.available !== null && usage.available <= pool.policy.minFreeSeats,
    daysLeft: end === null ? null : Math.ceil((Date.parse(end) - Date.parse(now)) / DAY),
  };
}

/** Every pool, active first then by product name; retired pools last. */
export function listPools(view: LedgerView, now: Iso, opts: { includeRetired?: boolean } = {}): PoolStatus[] {
  return view
    .pools()
    .filter((p) => opts.includeRetired === true || !p.retired)
    .sort((a, b) => Number(a.retired) - Number(b.retired) || a.productName.localeCompare(b.productName) || a.id.localeCompare(b.id))
    .map((p) => poolStatus(view, p, now));
}

/** A person's open seats (active and pending), newest first. */
export function seatsOf(view: LedgerView, person: { id: string; email: string }): SeatAssignment[] {
  return view
    .assignmentsOfPerson(person)
    .filter((a) => a.status === 'active' || a.status === 'pending')
    .sort((a, b) => (b.updatedAt > a.updatedAt ? 1 : b.updatedAt < a.updatedAt ? -1 : 0));
}

/** Open seats of a pool: active holders then pending requests, by name. */
export function holdersOf(view: LedgerView, poolId: string): SeatAssignment[] {
  const name = (a: SeatAssignment) => (a.assignee.name ?? a.assignee.email ?? a.assignee.id).toLowerCase();
  return view
    .assignmentsOfPool(poolId)
    .filter((a) => a.status === 'active' || a.status === 'pending')
    .sort((a, b) => Number(a.status === 'pending') - Number(b.status === 'pending') || name(a).localeCompare(name(b)));
}

/**
 * Requests made through the bot that wait for an admin, oldest first. Vendor-side pending seats (unconfirmed
 * invitations) still reserve seats in the counts but are settled at the vendor, so they are not listed.
 */
export function pendingRequests(view: LedgerView): SeatAssignment[] {
  const out: SeatAssignment[] = [];
  for (const p of view.pools()) for (const a of view.assignmentsOfPool(p.id)) if (a.status === 'pending' && a.origin === 'ledger') out.push(a);
  return out.sort((a, b) => ((a.requestedAt ?? '') < (b.requestedAt ?? '') ? -1 : 1));
}

/** Pools whose expiry (or, without one, renewal) date is still ahead and within `days`, soonest first. */
export function expiringPools(view: LedgerView, now: Iso, days: number): PoolStatus[] {
  return listPools(view, now)
    .filter((s) => {
      const end = s.pool.expiryDate ?? s.pool.renewalDate;
      return end !== null && end > now && s.daysLeft !== null && s.daysLeft <= days;
    })
    .sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0));
}

/** Active time-bound seats that end after now and within `days`, soonest first. */
export function expiringSeats(view: LedgerView, now: Iso, days: number): SeatAssignment[] {
  const limit = new Date(Date.parse(now) + days * DAY).toISOString();
  const out: SeatAssignment[] = [];
  for (const a of Object.values(view.data.assignments)) {
    if (a.status === 'active' && a.expiresAt !== null && a.expiresAt > now && a.expiresAt <= limit) out.push(a);
  }
  return out.sort((a, b) => ((a.expiresAt ?? '') < (b.expiresAt ?? '') ? -1 : 1));
}

/**
 * What has already ended but is still on the books: licenses past their expiry date (not retired) and
 * active seats past their end date (vendor seats the vendor still lists; the bot's own are expired by the
 * reminders job).
 */
export function endedCounts(view: LedgerView, now: Iso): { pools: number; seats: number } {
  let pools = 0;
  let seats = 0;
  for (const p of view.pools()) if (!p.retired && p.expiryDate !== null && p.expiryDate <= now) pools++;
  for (const a of Object.values(view.data.assignments)) if (a.status === 'active' && a.expiresAt !== null && a.expiresAt <= now) seats++;
  return { pools, seats };
}
