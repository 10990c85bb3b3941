import type { Change, DriftKind, Iso, Vendor } from '../../domain/ledger.js';

/** What a sync plan holds (counts, per-pool diffs, changes), apart so planSync's helpers (plan-context) need not import it. */
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
