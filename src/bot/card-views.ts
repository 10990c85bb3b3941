import type { Iso, LicensePool, SeatAssignment, SyncRun, Vendor } from '../domain/ledger.js';
import { compareRunStart } from '../domain/compare-run-start.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { pendingExtensions } from '../domain/pending-extensions.js';
import { endedCounts, expiringPools, expiringSeats, holdersOf, listPools, pendingInvitations, pendingRequests, seatsOf } from '../domain/ledger-queries.js';
import { knownPerson } from '../domain/known-person.js';
import { changesSince } from '../domain/changes-since.js';
import { idleSeats } from '../domain/idle-seats.js';
import { DEFAULT_RECLAIM_AFTER_DAYS } from '../domain/reclaim-rules.js';
import { DIGEST_EXPIRING_DAYS } from '../cards/pool-markers.js';
import { requestedDays } from '../domain/requested-days.js';
import { provisionState } from '../domain/provision-state.js';
import { vendorLabel } from '../domain/vendor-label.js';
import type {
  DigestCardData,
  ExpiringCardData,
  HoldersCardData,
  Moment,
  MySeatsCardData,
  PendingCardData,
  PendingInvitations,
  PersonText,
  PoolCardData,
  PoolRef,
  SummaryCardData,
  VendorSyncStatus,
} from '../cards/card-data.js';

/**
 * Builders from the ledger to the data each card shows; shared by commands, card actions and jobs. Each takes
 * the moment to draw at: an instant (dates in UTC), or a Moment / BotContext with the schedule's time zone.
 */

/** An instant, or an instant with the time zone its dates are read in (a BotContext is one). */
export type At = Iso | Moment;

export const momentOf = (at: At): Moment =>
  typeof at === 'string' ? { now: at } : at.timeZone === undefined ? { now: at.now } : { now: at.now, timeZone: at.timeZone };

export const poolRef = (pool: LicensePool | undefined, poolId: string): PoolRef =>
  pool ? { id: pool.id, productName: pool.productName, vendor: pool.vendor } : { id: poolId, productName: 'a license that is no longer known', vendor: 'cpod' };

/**
 * The holder as people read it: name and email from this seat, or from another seat of the same person (a cPod
 * holder arrives with an id only, a granted seat with an email only). A device or network is named by its kind
 * and id ("device Q2AB-1234-CDEF"); a person the ledger knows only by a vendor id says so ("unnamed cPod user
 * (per_01JBX…)").
 */
export function personText(view: LedgerView, a: SeatAssignment): PersonText {
  const known = knownPerson(view, a.assignee);
  if (known.name !== null || known.email !== null) return known;
  if (a.assignee.kind !== 'user') return { name: `${a.assignee.kind} ${a.assignee.id}`, email: null };
  return { name: `unnamed ${vendorLabel(view.pool(a.poolId)?.vendor ?? 'cpod')} user (${a.assignee.id})`, email: null };
}

export function summaryData(view: LedgerView, at: At, page = 0): SummaryCardData {
  const m = momentOf(at);
  return { ...m, page, pools: listPools(view, m.now, m).map(({ pool, usage }) => ({ pool, usage })) };
}

export function poolData(view: LedgerView, pool: LicensePool, viewer: { id: string; email: string }, at: At): PoolCardData {
  const seat = view.openSeat(pool.id, { kind: 'user', id: viewer.id, email: viewer.email });
  return {
    ...momentOf(at),
    pool,
    usage: view.usage(pool.id),
    viewerSeat: seat && (seat.status === 'active' || seat.status === 'pending') ? { assignmentId: seat.id, status: seat.status } : null,
  };
}

export function mySeatsData(view: LedgerView, viewer: { id: string; email: string }, at: At, page = 0): MySeatsCardData {
  return {
    ...momentOf(at),
    page,
    seats: seatsOf(view, viewer).map((a) => ({
      assignmentId: a.id,
      pool: poolRef(view.pool(a.poolId), a.poolId),
      status: a.status === 'pending' ? 'pending' : 'active',
      origin: a.origin,
      seats: a.seats,
      since: a.status === 'pending' ? a.requestedAt : a.assignedAt,
      expiresAt: a.status === 'pending' ? null : a.expiresAt,
      requestedDays: a.status === 'pending' ? requestedDays(a) : null,
      ...vendorStateOf(view, a.id),
    })),
  };
}

/** The seat's write-back state for a card row, or nothing when write-back never touched it. */
function vendorStateOf(view: LedgerView, assignmentId: string): { vendorState?: string } {
  const state = provisionState(view, assignmentId);
  return state === null ? {} : { vendorState: state.text };
}

export function holdersData(view: LedgerView, pool: LicensePool, at: At, page = 0): HoldersCardData {
  return {
    ...momentOf(at),
    page,
    pool,
    usage: view.usage(pool.id),
    holders: holdersOf(view, pool.id).map((a) => ({
      assignmentId: a.id,
      person: personText(view, a),
      status: a.status === 'pending' ? 'pending' : 'active',
      origin: a.origin,
      seats: a.seats,
      since: a.assignedAt ?? a.requestedAt,
      expiresAt: a.status === 'pending' ? null : a.expiresAt,
      requestedDays: a.status === 'pending' ? requestedDays(a) : null,
      ...vendorStateOf(view, a.id),
    })),
  };
}

/** Invitations pending at vendors, from the same counts as every pool's "pending". */
export function invitationsData(view: LedgerView): PendingInvitations[] {
  return pendingInvitations(view).map(({ pool, count }) => ({ pool: poolRef(pool, pool.id), count }));
}

/** `viewer`: the admin looking; their own requests are marked, so the card does not offer them for a decision. */
export function pendingData(view: LedgerView, at: At, page = 0, viewer?: { id: string; email: string }): PendingCardData {
  const mine = (a: SeatAssignment): boolean => viewer !== undefined && holds(viewer, a);
  return {
    ...momentOf(at),
    page,
    requests: pendingRequests(view).map((a) => ({
      assignmentId: a.id,
      requester: personText(view, a),
      pool: poolRef(view.pool(a.poolId), a.poolId),
      seats: a.seats,
      reason: a.reason,
      requestedAt: a.requestedAt,
      requestedDays: requestedDays(a),
      mine: mine(a),
    })).concat(
      // Holders' pending extensions: the same Approve / Deny (the bot routes them by the seat's state).
      pendingExtensions(view).map((a) => ({
        assignmentId: a.id,
        requester: personText(view, a),
        pool: poolRef(view.pool(a.poolId), a.poolId),
        seats: a.seats,
        reason: null,
        requestedAt: a.extensionRequest?.requestedAt ?? null,
        requestedDays: null,
        mine: mine(a),
        extensionDays: a.extensionRequest?.days ?? null,
        endsAt: a.expiresAt,
      })),
    ),
    invitations: invitationsData(view),
  };
}

/** Who is looking: cards that list people show others' names only to admins. */
export interface Viewer {
  id: string;
  email: string;
  isAdmin: boolean;
}

export const viewerOf = (ctx: { person: { id: string; email: string }; isAdmin: boolean }): Viewer => ({ id: ctx.person.id, email: ctx.person.email, isAdmin: ctx.isAdmin });

const holds = (viewer: { id: string; email: string }, a: SeatAssignment): boolean =>
  a.assignee.id === viewer.id || (a.assignee.email !== null && a.assignee.email.toLowerCase() === viewer.email.toLowerCase());

/**
 * Licenses and time-bound seats ending within `withinDays` calendar days. Holders are named for admins (like
 * "who has"); anyone else sees their own seats by name and only the number of everybody else's.
 */
export function expiringData(view: LedgerView, at: At, withinDays: number, viewer: Viewer, page = 0): ExpiringCardData {
  const m = momentOf(at);
  const seats = expiringSeats(view, m.now, withinDays, m.timeZone);
  const shown = viewer.isAdmin ? seats : seats.filter((a) => holds(viewer, a));
  return {
    ...m,
    page,
    withinDays,
    viewerIsAdmin: viewer.isAdmin,
    pools: expiringPools(view, m.now, withinDays, m.timeZone).map(({ pool, usage }) => ({ pool, usage })),
    othersHidden: seats.length - shown.length,
    seats: shown.map((a) => ({
      assignmentId: a.id,
      holder: personText(view, a),
      pool: poolRef(view.pool(a.poolId), a.poolId),
      seats: a.seats,
      expiresAt: a.expiresAt ?? m.now,
    })),
    ended: endedCounts(view, m.now),
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

/** `since`: when the space's previous digest went out (null for its first), for "changes since". */
export function digestData(view: LedgerView, at: At, vendors: readonly Vendor[], spaceTitle: string | null, since: Iso | null = null): DigestCardData {
  const m = momentOf(at);
  const pools = listPools(view, m.now, m).map(({ pool, usage }) => ({ pool, usage }));
  const idle = idleSeats(view, m.now, DEFAULT_RECLAIM_AFTER_DAYS);
  const idleOf = new Map(idle.map((x) => [x.pool.id, x.seats]));
  const prices = pools.flatMap(({ pool, usage }) =>
    pool.seatPrice ? [{ pool: poolRef(pool, pool.id), seatPrice: pool.seatPrice, idle: idleOf.get(pool.id) ?? 0, unassigned: usage.available ?? 0 }] : [],
  );
  return {
    ...m,
    spaceTitle,
    pools,
    pendingCount: pendingRequests(view).length,
    invitations: invitationsData(view),
    sync: syncStatus(view, vendors),
    expiringWithinDays: DIGEST_EXPIRING_DAYS,
    changesSince: since,
    changes: changesSince(view, since, m.now),
    idle: idle.map((x) => ({ pool: poolRef(x.pool, x.pool.id), seats: x.seats })),
    idleDays: DEFAULT_RECLAIM_AFTER_DAYS,
    waitlisted: Object.values(view.data.waitlist ?? {}).filter((w) => w.status === 'waiting' || w.status === 'offered').length,
    prices: prices.filter((p) => p.idle + p.unassigned > 0),
  };
}
