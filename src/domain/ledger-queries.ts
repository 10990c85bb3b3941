import type { Iso, LicensePool, SeatAssignment } from './ledger.js';
import type { LedgerView, PoolUsage } from './ledger-view.js';
import { calendarDaysBetween, DEFAULT_TIME_ZONE } from './calendar-days.js';

export interface PoolStatus {
  pool: LicensePool;
  usage: PoolUsage;
  /** Calendar days (schedule time zone) until expiryDate (renewalDate when no expiry is known), or null. */
  daysLeft: number | null;
}

export function poolStatus(view: LedgerView, pool: LicensePool, now: Iso, timeZone = DEFAULT_TIME_ZONE): PoolStatus {
  return { pool, usage: view.usage(pool.id), daysLeft: calendarDaysBetween(now, pool.expiryDate ?? pool.renewalDate, timeZone) };
}

/** Every pool, active first then by product name; retired pools last. */
export function listPools(view: LedgerView, now: Iso, opts: { includeRetired?: boolean; timeZone?: string } = {}): PoolStatus[] {
  return view
    .pools()
    .filter((p) => opts.includeRetired === true || !p.retired)
    .sort((a, b) => Number(a.retired) - Number(b.retired) || a.productName.localeCompare(b.productName) || a.id.localeCompare(b.id))
    .map((p) => poolStatus(view, p, now, opts.timeZone));
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

/**
 * Invitations pending at the vendor, per pool with any (from the same counts as `usage().pendingInvitations`):
 * they reserve seats like requests do, but are settled at the vendor, so `pendingRequests` leaves them out.
 */
export function pendingInvitations(view: LedgerView): { pool: LicensePool; count: number }[] {
  const out: { pool: LicensePool; count: number }[] = [];
  for (const pool of view.pools()) {
    const count = view.usage(pool.id).pendingInvitations;
    if (count > 0) out.push({ pool, count });
  }
  return out.sort((a, b) => a.pool.productName.localeCompare(b.pool.productName) || a.pool.id.localeCompare(b.pool.id));
}

/** Pools whose expiry (or, without one, renewal) date is still ahead and within `days` calendar days, soonest first. */
export function expiringPools(view: LedgerView, now: Iso, days: number, timeZone = DEFAULT_TIME_ZONE): PoolStatus[] {
  const out: PoolStatus[] = [];
  for (const pool of view.pools()) {
    const end = pool.expiryDate ?? pool.renewalDate;
    if (pool.retired || end === null || end <= now) continue;
    const status = poolStatus(view, pool, now, timeZone);
    if (status.daysLeft !== null && status.daysLeft <= days) out.push(status);
  }
  return out.sort(
    (a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0) || a.pool.productName.localeCompare(b.pool.productName) || a.pool.id.localeCompare(b.pool.id),
  );
}

/** Active time-bound seats that end after now and within `days` calendar days, soonest first. */
export function expiringSeats(view: LedgerView, now: Iso, days: number, timeZone = DEFAULT_TIME_ZONE): SeatAssignment[] {
  const out: SeatAssignment[] = [];
  for (const a of Object.values(view.data.assignments)) {
    if (a.status !== 'active' || a.expiresAt === null || a.expiresAt <= now) continue;
    const left = calendarDaysBetween(now, a.expiresAt, timeZone);
    if (left !== null && left <= days) out.push(a);
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
