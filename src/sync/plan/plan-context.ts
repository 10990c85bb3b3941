import type { AuditAction, Change, Iso, LicensePool } from '../../domain/ledger.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import type { VendorSnapshot } from '../../domain/vendor-snapshot.js';
import type { PoolDiff, SyncCounts, SyncPlan } from './sync-plan-types.js';
import { SYNC_ACTOR } from './sync-actor.js';

export interface WorkingDiff extends PoolDiff {
  pool: LicensePool;
  before: LicensePool | undefined;
  reported: boolean;
}

export class PlanContext {
  readonly counts: SyncCounts = {
    poolsReported: 0, seatsReported: 0, poolsAdded: 0, poolsUpdated: 0, poolsRestored: 0, poolsRetired: 0,
    seatsAdded: 0, seatsUpdated: 0, seatsEnded: 0, seatsMatched: 0, seatsUnseen: 0, seatsIgnored: 0,
    driftOpened: 0, driftUpdated: 0, driftResolved: 0, driftOpen: 0, auditEvents: 0, changes: 0,
  };
  readonly changes: Change[] = [];
  private readonly diffs: WorkingDiff[] = [];

  constructor(
    readonly view: LedgerView,
    readonly snapshot: VendorSnapshot,
    readonly now: Iso,
  ) {
    this.counts.poolsReported = snapshot.pools.length;
    this.counts.seatsReported = snapshot.assignments.length;
  }

  diff(pool: LicensePool, action: PoolDiff['action'], before: LicensePool | undefined = pool, reported = false): WorkingDiff {
    const d: WorkingDiff = {
      poolId: pool.id, productName: pool.productName, action, fields: [], seatsAdded: 0, seatsUpdated: 0,
      seatsEnded: 0, seatsMatched: 0, seatsUnseen: 0, drift: [], pool, before, reported,
    };
    this.diffs.push(d);
    return d;
  }

  put(change: Change): void {
    this.changes.push(change);
  }

  audit(action: AuditAction, poolId: string, assignmentId: string | null, before: unknown, after: unknown, note: string | null = null): void {
    this.counts.auditEvents++;
    this.changes.push({
      type: 'audit.add',
      event: {
        id: `sync:${this.now}:${assignmentId === null ? `pool:${poolId}` : `seat:${assignmentId}`}`,
        at: this.now, actor: SYNC_ACTOR, source: 'sync', action, poolId, assignmentId, before, after,
        idempotencyKey: null, note,
      },
    });
  }

  finish(): SyncPlan {
    const pools: PoolDiff[] = [];
    for (const { pool: _p, before: _b, reported: _r, ...d } of this.diffs) {
      if (d.action !== 'none' || d.seatsAdded + d.seatsUpdated + d.seatsEnded + d.seatsMatched + d.seatsUnseen > 0) pools.push(d);
    }
    this.counts.changes = this.changes.length;
    const { vendor, connectionId, fetchedAt } = this.snapshot;
    return { vendor, connectionId, at: this.now, fetchedAt, counts: this.counts, pools, changes: this.changes };
  }
}
