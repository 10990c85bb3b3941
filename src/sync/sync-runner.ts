import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { SyncRun, Vendor } from '../domain/ledger.js';
import type { VendorClient, VendorSnapshot } from '../domain/vendor-snapshot.js';
import { AppError, VendorApiError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { SeatStore } from '../store/seat-store.js';
import { applySync, pruneSyncRuns } from './apply-sync.js';
import type { SyncPlanSummary } from './plan-sync.js';
import { vendorLabel } from '../domain/vendor-label.js';

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
   */
  run(opts: { vendor?: Vendor; dryRun?: boolean; trigger: SyncTrigger }): Promise<SyncReport>;
  isRunning(): boolean;
  /** The latest recorded (non-dry) run per vendor connection, newest first; for /healthz and `sync status`. */
  lastRuns(): SyncRun[];
}

export interface SyncRunnerDeps {
  store: SeatStore;
  clients: readonly VendorClient[];
  clock: Clock;
  logger: Logger;
  newId?: () => string;
}

export function createSyncRunner(deps: SyncRunnerDeps): SyncRunner {
  const { store, clients, clock, logger } = deps;
  const newId = deps.newId ?? randomUUID;
  let running: { trigger: SyncTrigger; startedAt: string } | null = null;

  async function syncOne(client: VendorClient, trigger: SyncTrigger, dryRun: boolean): Promise<VendorSyncResult> {
    const startedAt = clock.now().toISOString();
    const runId = `sync:${client.vendor}:${client.connectionId}:${startedAt}:${newId().slice(0, 8)}`;
    const log = logger.child({ job: 'sync', runId, vendor: client.vendor });
    try {
      let snapshot: VendorSnapshot | null = await client.fetchSnapshot();
      if (snapshot.vendor !== client.vendor || snapshot.connectionId !== client.connectionId) {
        throw new VendorApiError(client.vendor, 'VENDOR_SNAPSHOT_INVALID', `snapshot is for ${snapshot.vendor}/${snapshot.connectionId}, expected ${client.vendor}/${client.connectionId}`);
      }
      const applying = applySync(store, snapshot, { dryRun, now: clock.now().toISOString(), runId, trigger, startedAt });
      snapshot = null; // let it be collected while the plan is written
      const applied = await applying;
      const { changes: _changes, run, ...plan } = applied;
      log.info({ counts: plan.counts, dryRun, pages: run.pages, requests: run.requests, retries: run.retries }, 'vendor sync done');
      return { vendor: client.vendor, connectionId: client.connectionId, status: 'ok', run, plan };
    } catch (err) {
      const run: SyncRun = {
        id: runId, vendor: client.vendor, connectionId: client.connectionId, trigger, startedAt,
        finishedAt: clock.now().toISOString(), status: 'failed', dryRun, pages: 0, requests: 0, retries: 0,
        summary: null, error: describeError(err),
      };
      log.error({ err, code: run.error?.code }, 'vendor sync failed; its ledger data is left as it was');
      if (!dryRun) {
        try {
          await store.update((view) => ({ changes: [{ type: 'syncRun.put', run }, ...pruneSyncRuns(view, run)], result: undefined }));
        } catch (recordErr) {
          log.error({ err: recordErr }, 'could not record the failed sync run');
        }
      }
      return { vendor: client.vendor, connectionId: client.connectionId, status: 'failed', run, plan: null };
    }
  }

  async function runAll(targets: readonly VendorClient[], trigger: SyncTrigger, dryRun: boolean, startedAt: string): Promise<SyncReport> {
    const vendors: VendorSyncResult[] = [];
    for (const client of targets) vendors.push(await syncOne(client, trigger, dryRun));
    const failed = vendors.filter((v) => v.status === 'failed');
    const status = failed.length === 0 ? 'ok' : failed.length === vendors.length ? 'failed' : 'partial';
    const names = (list: VendorSyncResult[]): string => list.map((v) => vendorLabel(v.vendor)).join(', ');
    const message =
      status === 'ok'
        ? `${dryRun ? 'Dry run of' : 'Synced'} ${names(vendors)}`
        : `${dryRun ? 'Dry run' : 'Sync'} failed for ${failed.map((v) => `${vendorLabel(v.vendor)} (${v.run.error?.code ?? 'error'}: ${v.run.error?.message ?? ''})`).join('; ')}` +
          (status === 'partial' ? `; ${names(vendors.filter((v) => v.status === 'ok'))} synced` : '');
    return { status, message, trigger, dryRun, startedAt, finishedAt: clock.now().toISOString(), vendors };
  }

  return {
    async run({ vendor, dryRun = false, trigger }) {
      const startedAt = clock.now().toISOString();
      const empty = (status: SyncReport['status'], message: string): SyncReport => ({
        status, message, trigger, dryRun, startedAt, finishedAt: startedAt, vendors: [],
      });
      if (running !== null) {
        return empty('already_running', `A sync is already running (started ${running.startedAt} by ${running.trigger}); try again when it is done.`);
      }
      const targets = clients.filter((c) => vendor === undefined || c.vendor === vendor);
      if (targets.length === 0) {
        return empty('not_configured', vendor === undefined ? 'No vendor is configured to sync.' : `${vendor} is not configured.`);
      }
      running = { trigger, startedAt };
      try {
        return await runAll(targets, trigger, dryRun, startedAt);
      } finally {
        running = null;
      }
    },
    isRunning: () => running !== null,
    lastRuns() {
      const latest = new Map<string, SyncRun>();
      for (const run of Object.values(store.read().data.syncRuns)) {
        const key = `${run.vendor}\u0000${run.connectionId}`;
        const prev = latest.get(key);
        // On a tie the later-recorded run wins (records keep insertion order).
        if (prev === undefined || run.startedAt >= prev.startedAt) {
          latest.set(key, run);
        }
      }
      return [...latest.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    },
  };
}

function describeError(err: unknown): NonNullable<SyncRun['error']> {
  if (err instanceof VendorApiError) {
    return { code: err.code, message: err.message, httpStatus: err.status, trackingId: err.trackingId };
  }
  return { code: err instanceof AppError ? err.code : 'SYNC_INTERNAL_ERROR', message: errorMessage(err), httpStatus: null, trackingId: null };
}
