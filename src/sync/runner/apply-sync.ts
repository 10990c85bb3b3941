import type { Change, Iso, SyncRun } from '../../domain/ledger.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import type { VendorSnapshot } from '../../domain/vendor-snapshot.js';
import { AppError } from '../../errors.js';
import type { SeatStore } from '../../store/seat-store.js';
import { compareRunStart } from '../../domain/compare-run-start.js';
import { planSync } from '../plan/plan-sync.js';
import type { SyncCounts, SyncPlan } from '../plan/sync-plan-types.js';

export interface ApplySyncOptions {
  dryRun: boolean;
  /** The sync's instant: stamped on every record it writes and the run's finishedAt. */
  now: Iso;
  runId: string;
  /** The run's start sequence (SyncRun.seq). */
  seq?: number;
  trigger?: SyncRun['trigger'];
  /** When the run began (before the fetch); defaults to `now`. */
  startedAt?: Iso;
}

/** The plan plus the SyncRun record written with it (a dry run's record is not written). */
export interface AppliedSync extends SyncPlan {
  run: SyncRun;
}

/** Sync runs kept per vendor connection; older ones are deleted in the write that records a new one. */
export const SYNC_RUNS_KEPT = 200;

/**
 * Plans the snapshot against the store's latest state inside `store.update`, and commits every change of the
 * plan together with its SyncRun record, and the deletes that bound the connection's run history, in that one
 * update (one write). A dry run plans the same way and commits nothing.
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
      ...(opts.seq === undefined ? {} : { seq: opts.seq }),
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
    const changes = opts.dryRun ? [] : [...plan.changes, { type: 'syncRun.put' as const, run }, ...pruneSyncRuns(view, run)];
    return { changes, result: { ...plan, run } };
  });
}

/**
 * The deletes that keep `run`'s vendor connection at `keep` recorded runs once `run` is recorded: `run` counts
 * as the newest; of the others, the oldest go (by start sequence, see compareRunStart, then recording order;
 * never by wall clock, so a clock stepped back does not prune the newest runs). Call inside the same
 * `store.update` that puts `run`.
 */
export function pruneSyncRuns(view: LedgerView, run: SyncRun, keep = SYNC_RUNS_KEPT): Change[] {
  const others = Object.values(view.data.syncRuns).filter(
    (r) => r.vendor === run.vendor && r.connectionId === run.connectionId && r.id !== run.id,
  );
  const excess = others.length - Math.max(0, keep - 1);
  if (excess <= 0) return [];
  // sort is stable: runs that compare equal stay in recording order, oldest first.
  others.sort(compareRunStart);
  return others.slice(0, excess).map((r) => ({ type: 'syncRun.delete', id: r.id }));
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
