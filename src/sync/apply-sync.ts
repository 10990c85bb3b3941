import type { Iso, SyncRun } from '../domain/ledger.js';
import type { VendorSnapshot } from '../domain/vendor-snapshot.js';
import { AppError } from '../errors.js';
import type { SeatStore } from '../store/seat-store.js';
import { planSync, type SyncCounts, type SyncPlan } from './plan-sync.js';

export interface ApplySyncOptions {
  dryRun: boolean;
  /** The sync's instant: stamped on every record it writes and the run's finishedAt. */
  now: Iso;
  runId: string;
  trigger?: SyncRun['trigger'];
  /** When the run began (before the fetch); defaults to `now`. */
  startedAt?: Iso;
}

/** The plan plus the SyncRun record written with it (a dry run's record is not written). */
export interface AppliedSync extends SyncPlan {
  run: SyncRun;
}

/**
 * Plans the snapshot against the store's latest state inside `store.update`, and commits every change of the
 * plan together with its SyncRun record in that one update (one write). A dry run plans the same way and
 * commits nothing.
 */
export function applySync(store: SeatStore, snapshot: VendorSnapshot, opts: ApplySyncOptions): Promise<AppliedSync> {
  // The snapshot can be large (50k licenses): hold it only until it is planned, not through the disk write.
  const held: { snapshot: VendorSnapshot | null } = { snapshot };
  return store.update((view) => {
    const snap = held.snapshot;
    held.snapshot = null;
    if (snap === null) throw new AppError('SYNC_PLANNED_TWICE', 'applySync: the store ran the same update twice');
    const plan = planSync(view, snap, opts.now);
    const run: SyncRun = {
      id: opts.runId,
      vendor: snap.vendor,
      connectionId: snap.connectionId,
      trigger: opts.trigger ?? 'command',
      startedAt: opts.startedAt ?? opts.now,
      finishedAt: opts.now,
      status: 'ok',
      dryRun: opts.dryRun,
      pages: snap.stats.pages,
      requests: snap.stats.requests,
      retries: snap.stats.retries,
      summary: runSummary(plan.counts),
      error: null,
    };
    const changes = opts.dryRun ? [] : [...plan.changes, { type: 'syncRun.put' as const, run }];
    return { changes, result: { ...plan, run } };
  });
}

function runSummary(c: SyncCounts): NonNullable<SyncRun['summary']> {
  return {
    poolsAdded: c.poolsAdded,
    poolsUpdated: c.poolsUpdated,
    poolsRetired: c.poolsRetired,
    seatsAdded: c.seatsAdded,
    seatsEnded: c.seatsEnded,
    drift: c.driftOpen,
  };
}
