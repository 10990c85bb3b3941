import type { SyncRun, Vendor } from '../../domain/ledger.js';
import type { SyncPlanSummary } from '../plan/sync-plan-types.js';

/** What a sync run reports and the runner's contract, apart so the report's readers (printable-sync-report, jobs) need not import the runner. */
export type SyncTrigger = SyncRun['trigger'];

/** One vendor connection's part of a run. `plan` is the counts and per-pool diff (null when it failed). */
export interface VendorSyncResult {
  vendor: Vendor;
  connectionId: string;
  status: 'ok' | 'failed';
  run: SyncRun;
  plan: SyncPlanSummary | null;
}

export interface SyncReport {
  /**
   * ok: every vendor synced; partial: some failed; failed: all failed; already_running: another run was in
   * progress, nothing was started; not_configured: no (matching) vendor is configured.
   */
  status: 'ok' | 'partial' | 'failed' | 'already_running' | 'not_configured';
  /** One line for people (chat reply, CLI, log). */
  message: string;
  trigger: SyncTrigger;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  vendors: VendorSyncResult[];
}

export interface SyncRunner {
  /**
   * Syncs every configured vendor (or just `vendor`), one after another; a failing vendor is recorded and
   * the others still sync. Never runs twice at once: a call while a run is in progress starts nothing and
   * resolves at once with status 'already_running' (naming the running trigger), for the caller to show.
   *
   * The whole run (all its vendors together, not each one) has one deadline, `syncTimeoutMs`: every vendor
   * request gets its AbortSignal. Past it the vendor being read fails with SYNC_TIMEOUT (naming the page it
   * was on), the vendors not yet read fail the same way without a request, nothing of theirs is written
   * (plan-then-apply: a vendor's changes are written only after its complete snapshot, and not at all once
   * the deadline has passed), and the run ends at once, freeing the slot for the next `sync`. Vendors synced
   * before the deadline keep their results; a write already under way when it passes completes (one atomic
   * store update).
   */
  run(opts: { vendor?: Vendor; dryRun?: boolean; trigger: SyncTrigger }): Promise<SyncReport>;
  isRunning(): boolean;
  /** The run in progress (since when, who started it, its vendors and those done), or null. */
  current(): SyncProgress | null;
  /** The report of the run in progress once it ends; null at once when none is in progress. */
  whenDone(): Promise<SyncReport | null>;
  /**
   * The latest recorded (non-dry) run per vendor connection, newest first; for /healthz and `sync status`.
   * "Latest" is by start sequence, never by wall clock: after the clock is stepped back the newest run still
   * comes first.
   */
  lastRuns(): SyncRun[];
}

export interface SyncProgress {
  startedAt: string;
  trigger: SyncTrigger;
  vendors: Vendor[];
  vendorsDone: { vendor: Vendor; status: 'ok' | 'failed' }[];
}
