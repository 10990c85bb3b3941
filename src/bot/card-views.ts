import type { Iso, LicensePool, SeatAssignment, SyncRun, Vendor } from '../domain/ledger.js';
import { compareRunStart } from '../domain/compare-run-start.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { endedCounts, expiringPools, expiringSeats, holdersOf, listPools, pendingRequests, seatsOf } from '../domain/ledger-queries.js';
import type {
  DigestCardData,
  ExpiringCardData,
  HoldersCardData,
  MySeatsCardData,
  PendingCardData,
  PersonText,
  PoolCardData,
  PoolRef,
  SummaryCardData,
  VendorSyncStatus,
} from '../cards/card-data.js';

/** Builders from the ledger to the data each card shows; shared by commands, card actions and jobs. */

export const poolRef = (pool: LicensePool | undefined, poolId: string): PoolRef =>
  pool ? { id: pool.id, productName: pool.productName, vendor: pool.vendor } : { id: poolId, productName: poolId, vendor: 'cpod' };

/** The holder as people read it; a device, network or person known only by id is named by kind and id. */
export const personText = (a: SeatAssignment): PersonText =>
  a.assignee.name?.trim() || a.assignee.email?.trim()
    ? { name: a.assignee.name, email: a.assignee.email }
    : { name: `${a.assignee.kind} ${a.assignee.id}`, email: null };

export function summaryData(view: LedgerView, now: Iso, page = 0): SummaryCardData {
  return { now, page, pools: listPools(view, now).map(({ pool, usage }) => ({ pool, usage })) };
}

export function poolData(view: LedgerView, pool: LicensePool, viewer: { id: string; email: string }, now: Iso): PoolCardData {
  const seat = view.openSeat(pool.id, { kind: 'user', id: viewer.id, email: viewer.email });
  return {
    now,
    pool,
    usage: view.usage(pool.id),
    viewerSeat: seat && (seat.status === 'active' || seat.status === 'pending') ? { assignmentId: seat.id, status: seat.status } : null,
  };
}

export function mySeatsData(view: LedgerView, viewer: { id: string; email: string }, now: Iso, page = 0): MySeatsCardData {
  return {
    now,
    page,
    seats: seatsOf(view, viewer).map((a) => ({
      assignmentId: a.id,
      pool: poolRef(view.pool(a.poolId), a.poolId),
      status: a.status === 'pending' ? 'pending' : 'active',
      seats: a.seats,
      since: a.status === 'pending' ? a.requestedAt : a.assignedAt,
      expiresAt: a.expiresAt,
    })),
  };
}

export function holdersData(view: LedgerView, pool: LicensePool, now: Iso, page = 0): HoldersCardData {
  return {
    now,
    page,
    pool,
    usage: view.usage(pool.id),
    holders: holdersOf(view, pool.id).map((a) => ({
      assignmentId: a.id,
      person: personText(a),
      status: a.status === 'pending' ? 'pending' : 'active',
      origin: a.origin,
      seats: a.seats,
      since: a.assignedAt ?? a.requestedAt,
      expiresAt: a.expiresAt,
    })),
  };
}

export function pendingData(view: LedgerView, now: Iso, page = 0): PendingCardData {
  return {
    now,
    page,
    requests: pendingRequests(view).map((a) => ({
      assignmentId: a.id,
      requester: personText(a),
      pool: poolRef(view.pool(a.poolId), a.poolId),
      seats: a.seats,
      reason: a.reason,
      requestedAt: a.requestedAt,
      expiresAt: a.expiresAt,
    })),
  };
}

/** Who is looking: cards that list people show others' names only to admins. */
export interface Viewer {
  id: string;
  email: string;
  isAdmin: boolean;
}

export const viewerOf = (ctx: { person: { id: string; email: string }; isAdmin: boolean }): Viewer => ({ id: ctx.person.id, email: ctx.person.email, isAdmin: ctx.isAdmin });

const holds = (viewer: Viewer, a: SeatAssignment): boolean =>
  a.assignee.id === viewer.id || (a.assignee.email !== null && a.assignee.email.toLowerCase() === viewer.email.toLowerCase());

/**
 * Licenses and time-bound seats ending within `withinDays`. Holders are named for admins (like "who has");
 * anyone else sees their own seats by name and only the number of everybody else's.
 */
export function expiringData(view: LedgerView, now: Iso, withinDays: number, viewer: Viewer, page = 0): ExpiringCardData {
  const seats = expiringSeats(view, now, withinDays);
  const shown = viewer.isAdmin ? seats : seats.filter((a) => holds(viewer, a));
  return {
    now,
    page,
    withinDays,
    pools: expiringPools(view, now, withinDays).map(({ pool, usage }) => ({ pool, usage })),
    othersHidden: seats.length - shown.length,
    seats: shown.map((a) => ({
      assignmentId: a.id,
      holder: personText(a),
      pool: poolRef(view.pool(a.poolId), a.poolId),
      seats: a.seats,
      expiresAt: a.expiresAt ?? now,
    })),
    ended: endedCounts(view, now),
  };
}

/** Latest sync run per vendor that has any (or is configured). */
export function syncStatus(view: LedgerView, vendors: readonly Vendor[]): VendorSyncStatus[] {
  // Latest by start sequence, not wall clock (see compareRunStart); on a tie the later-recorded run wins.
  const newest = new Map<Vendor, SyncRun>();
  for (const run of Object.values(view.data.syncRuns)) {
    if (run.dryRun) continue;
    const prev = newest.get(run.vendor);
    if (prev === undefined || compareRunStart(run, prev) >= 0) newest.set(run.vendor, run);
  }
  const latest = new Map<Vendor, VendorSyncStatus>();
  for (const [vendor, run] of newest) {
    latest.set(vendor, { vendor, status: run.status, at: run.finishedAt ?? run.startedAt, error: run.error?.message ?? null });
  }
  for (const v of vendors) if (!latest.has(v)) latest.set(v, { vendor: v, status: 'never', at: null, error: null });
  return [...latest.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
}

export function digestData(view: LedgerView, now: Iso, vendors: readonly Vendor[], spaceTitle: string | null): DigestCardData {
  return {
    now,
    spaceTitle,
    pools: listPools(view, now).map(({ pool, usage }) => ({ pool, usage })),
    pendingCount: pendingRequests(view).length,
    sync: syncStatus(view, vendors),
  };
}

