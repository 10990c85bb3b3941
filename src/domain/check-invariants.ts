import type { LedgerView } from './ledger-view.js';
import { assigneeKey } from './ledger-view.js';

/**
 * Structural rules that hold in every ledger state, whatever the vendors report. Returns the violations
 * (empty = healthy). The property tests check it after every step.
 */
export function checkInvariants(view: LedgerView): string[] {
  const problems: string[] = [];
  const open = new Map<string, string>();
  const recount = new Map<string, { observed: number; ledgerOnly: number; pending: number }>();
  for (const a of Object.values(view.data.assignments)) {
    if (!view.pool(a.poolId)) problems.push(`seat ${a.id} references unknown pool ${a.poolId}`);
    if (!Number.isInteger(a.seats) || a.seats < 1) problems.push(`seat ${a.id} has ${a.seats} seats`);
    if (a.status === 'active' && a.assignedAt === null) problems.push(`active seat ${a.id} has no assignedAt`);
    if (['denied', 'released', 'revoked', 'expired'].includes(a.status) && a.endedAt === null && a.decidedAt === null) {
      problems.push(`ended seat ${a.id} has no end time`);
    }
    if (a.status !== 'active' && a.status !== 'pending') continue;
    const key = `${a.poolId}\u0000${assigneeKey(a.assignee)}`;
    const other = open.get(key);
    if (other !== undefined) problems.push(`${assigneeKey(a.assignee)} holds two open seats in ${a.poolId}: ${other} and ${a.id}`);
    open.set(key, a.id);
    const c = recount.get(a.poolId) ?? { observed: 0, ledgerOnly: 0, pending: 0 };
    if (a.status === 'pending') c.pending += a.seats;
    else if (a.origin === 'vendor' || a.vendorSeen) c.observed += a.seats;
    else c.ledgerOnly += a.seats;
    recount.set(a.poolId, c);
  }
  for (const pool of view.pools()) {
    const u = view.usage(pool.id);
    const c = recount.get(pool.id) ?? { observed: 0, ledgerOnly: 0, pending: 0 };
    const vendorUsed = Math.max(pool.consumedSeats ?? 0, c.observed);
    // Waitlist offers reserve seats too; the recount is of seats only.
    if (u.pending - (u.waitlistOffers ?? 0) !== c.pending || u.ledgerOnly !== c.ledgerOnly || u.vendorUsed !== vendorUsed) {
      problems.push(`pool ${pool.id} counters drifted from its seats`);
    }
  }
  // The waitlist: one open place per person per pool; an offer always says until when.
  const inLine = new Set<string>();
  for (const e of Object.values(view.data.waitlist ?? {})) {
    if (e.status !== 'waiting' && e.status !== 'offered') continue;
    const key = `${e.poolId}\u0000${assigneeKey(e.person)}`;
    if (inLine.has(key)) problems.push(`${assigneeKey(e.person)} has two open waitlist places in ${e.poolId}`);
    inLine.add(key);
    if (e.status === 'offered' && e.offerExpiresAt === null) problems.push(`waitlist offer ${e.id} has no end time`);
  }
  return problems;
}

/**
 * Pools where used + pending exceed total. The ledger never causes this; a vendor that shrinks a pool or
 * consumes more seats can (sync records it as drift).
 */
export function overAllocatedPools(view: LedgerView): string[] {
  return view
    .pools()
    .filter((p) => {
      const u = view.usage(p.id);
      return u.total !== null && u.used + u.pending > u.total;
    })
    .map((p) => p.id);
}
