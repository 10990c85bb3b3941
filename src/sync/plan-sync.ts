import {
  poolId as makePoolId,
  type Change,
  type DriftKind,
  type Iso,
  type LicensePool,
  type Vendor,
} from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import type { VendorSnapshot } from '../domain/vendor-snapshot.js';
import { groupAssignments } from './group-assignments.js';
import { PlanContext } from './plan-context.js';
import { planPool } from './plan-pool.js';
import { planSeats } from './plan-seats.js';

export interface SyncCounts {
  poolsReported: number;
  seatsReported: number;
  poolsAdded: number;
  /** Includes restored pools. */
  poolsUpdated: number;
  poolsRestored: number;
  poolsRetired: number;
  seatsAdded: number;
  seatsUpdated: number;
  seatsEnded: number;
  /** Bot-granted seats the vendor now reports (vendorSeen turned on). */
  seatsMatched: number;
  /** Bot-granted seats the vendor no longer reports (kept, vendorSeen turned off). */
  seatsUnseen: number;
  /** Vendor assignments skipped: duplicates or pointing at a pool the snapshot does not hold. */
  seatsIgnored: number;
  driftOpened: number;
  driftUpdated: number;
  driftResolved: number;
  /** Open findings on this connection's pools once the plan is applied. */
  driftOpen: number;
  auditEvents: number;
  changes: number;
}

export interface PoolDiff {
  poolId: string;
  productName: string;
  action: 'add' | 'update' | 'restore' | 'retire' | 'none';
  /** Synced pool fields that changed. */
  fields: string[];
  seatsAdded: number;
  seatsUpdated: number;
  seatsEnded: number;
  seatsMatched: number;
  seatsUnseen: number;
  /** Drift kinds open on the pool after the plan. */
  drift: DriftKind[];
}

export interface SyncPlanSummary {
  vendor: Vendor;
  connectionId: string;
  at: Iso;
  fetchedAt: Iso;
  counts: SyncCounts;
  /** Only pools with something to change. */
  pools: PoolDiff[];
}

/** A plain, serializable plan: what a dry run prints and what applySync commits in one write. */
export interface SyncPlan extends SyncPlanSummary {
  changes: Change[];
}

/**
 * Diffs one vendor snapshot against the ledger's pools and seats of the same vendor connection. Pure and
 * deterministic: the same view, snapshot and `now` give the same plan, and planning against the result of
 * applying a plan gives an empty one. Pools are retired, never deleted; bot-granted seats are never ended.
 */
export function planSync(view: LedgerView, snapshot: VendorSnapshot, now: Iso): SyncPlan {
  const ctx = new PlanContext(view, snapshot, now);
  const byPool = groupAssignments(snapshot, ctx);
  const reported = new Set<string>();
  for (const vp of snapshot.pools) {
    const id = makePoolId(snapshot.vendor, snapshot.connectionId, vp.externalId);
    reported.add(id);
    const diff = planPool(ctx, id, vp);
    planSeats(ctx, diff, byPool.get(vp.externalId) ?? []);
  }
  for (const pool of view.pools()) {
    if (pool.vendor !== snapshot.vendor || pool.connectionId !== snapshot.connectionId || reported.has(pool.id)) continue;
    const diff = ctx.diff(pool, 'none');
    if (!pool.retired) {
      const after: LicensePool = { ...pool, retired: true, retiredAt: now, updatedAt: now };
      diff.action = 'retire';
      ctx.counts.poolsRetired++;
      ctx.put({ type: 'pool.put', pool: after });
      ctx.audit('pool.retired', pool.id, null, { retired: false, retiredAt: pool.retiredAt }, { retired: true, retiredAt: now }, 'no longer reported by the vendor');
      diff.pool = after;
    }
    planSeats(ctx, diff, []);
  }
  return ctx.finish();
}
