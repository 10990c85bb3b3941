import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { SyncRun } from '../../domain/ledger.js';
import type { VendorSnapshot } from '../../domain/vendor-snapshot.js';
import { AppError, VendorApiError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SeatStore } from '../../store/seat-store.js';
import { applySync, pruneSyncRuns } from './apply-sync.js';
import { compareRunStart } from '../../domain/compare-run-start.js';
import { nextRunSeq } from '../../domain/next-run-seq.js';
import { DEFAULT_BUDGETS } from '../default-budgets.js';
import { scrubSecrets } from '../http/scrub-secrets.js';
import type { SyncProgress, SyncReport, SyncRunner, SyncTrigger, VendorSyncResult } from './sync-runner-types.js';
import { syncTimeoutError } from './sync-timeout-error.js';
import type { TrackedVendorClient } from '../tracked-vendor-client.js';
import { untilAborted } from '../http/until-aborted.js';
import { vendorLabel } from '../../domain/vendor-label.js';

export interface SyncRunnerDeps {
  store: SeatStore;
  clients: readonly TrackedVendorClient[];
  clock: Clock;
  logger: Logger;
  newId?: () => string;
  /** Pass `config.budgets`; only `syncTimeoutMs` is the runner's (default 30 minutes, SYNC_TIMEOUT_MINUTES). */
  budgets?: Partial<Config['budgets']>;
}

export function createSyncRunner(deps: SyncRunnerDeps): SyncRunner {
  const { store, clients, clock, logger } = deps;
  const newId = deps.newId ?? randomUUID;
  const timeoutMs = deps.budgets?.syncTimeoutMs ?? DEFAULT_BUDGETS.syncTimeoutMs;
  let running: (SyncProgress & { done: Promise<SyncReport> }) | null = null;
  let lastSequence = 0;

  async function syncOne(client: TrackedVendorClient, trigger: SyncTrigger, dryRun: boolean, deadline: AbortSignal): Promise<VendorSyncResult> {
    const startedAt = clock.now().toISOString();
    const seq = (lastSequence = nextRunSeq(store.read(), lastSequence));
    const runId = `sync:${client.vendor}:${client.connectionId}:${startedAt}:${newId().slice(0, 8)}`;
    const log = logger.child({ job: 'sync', runId, vendor: client.vendor });
    const label = vendorLabel(client.vendor);
    let fetching = false;
    try {
      if (deadline.aborted) throw syncTimeoutError(label, timeoutMs, 'not_started', null);
      fetching = true;
      let snapshot: VendorSnapshot | null = await untilAborted(client.fetchSnapshot(deadline), deadline, () =>
        syncTimeoutError(label, timeoutMs, 'reading', client.progress?.() ?? null),
      );
      if (deadline.aborted) throw syncTimeoutError(label, timeoutMs, 'read', null);
      if (snapshot.vendor !== client.vendor || snapshot.connectionId !== client.connectionId) {
        throw new VendorApiError(client.vendor, 'VENDOR_SNAPSHOT_INVALID', `snapshot is for ${snapshot.vendor}/${snapshot.connectionId}, expected ${client.vendor}/${client.connectionId}`);
      }
      const applying = applySync(store, snapshot, { dryRun, now: clock.now().toISOString(), runId, seq, trigger, startedAt });
      snapshot = null; // let it be collected while the plan is written
      const applied = await applying;
      const { changes: _changes, run, ...plan } = applied;
      log.info({ counts: plan.counts, dryRun, pages: run.pages, requests: run.requests, retries: run.retries }, 'vendor sync done');
      return { vendor: client.vendor, connectionId: client.connectionId, status: 'ok', run, plan };
    } catch (err) {
      // What the failed fetch spent (a client that cannot tell, or was never asked, counts nothing).
      const spent = (fetching ? client.progress?.() : undefined) ?? { pages: 0, requests: 0, retries: 0 };
      const run: SyncRun = {
        id: runId, seq, vendor: client.vendor, connectionId: client.connectionId, trigger, startedAt,
        finishedAt: clock.now().toISOString(), status: 'failed', dryRun,
        pages: spent.pages, requests: spent.requests, retries: spent.retries,
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

  async function runAll(targets: readonly TrackedVendorClient[], trigger: SyncTrigger, dryRun: boolean, startedAt: string, deadline: AbortSignal): Promise<SyncReport> {
    const vendors: VendorSyncResult[] = [];
    for (const client of targets) {
      const result = await syncOne(client, trigger, dryRun, deadline);
      vendors.push(result);
      running?.vendorsDone.push({ vendor: result.vendor, status: result.status });
    }
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
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const progress: SyncProgress = { trigger, startedAt, vendors: targets.map((c) => c.vendor), vendorsDone: [] };
      const done = (async () => {
        try {
          return await runAll(targets, trigger, dryRun, startedAt, deadline.signal);
        } finally {
          clearTimeout(timer);
          running = null;
        }
      })();
      running = { ...progress, done };
      return done;
    },
    isRunning: () => running !== null,
    current: () =>
      running === null
        ? null
        : { startedAt: running.startedAt, trigger: running.trigger, vendors: [...running.vendors], vendorsDone: [...running.vendorsDone] },
    whenDone: () => (running === null ? Promise.resolve(null) : running.done),
    lastRuns() {
      const latest = new Map<string, SyncRun>();
      for (const run of Object.values(store.read().data.syncRuns)) {
        const key = `${run.vendor}\u0000${run.connectionId}`;
        const prev = latest.get(key);
        // By start sequence, not startedAt (see compareRunStart); on a tie the later-recorded run wins.
        if (prev === undefined || compareRunStart(run, prev) >= 0) latest.set(key, run);
      }
      return [...latest.values()].sort((a, b) => compareRunStart(b, a));
    },
  };
}

/** The stored error: its text scrubbed once more, so no credential-looking value reaches the ledger or chat. */
function describeError(err: unknown): NonNullable<SyncRun['error']> {
  if (err instanceof VendorApiError) {
    return { code: err.code, message: scrubSecrets(err.message), httpStatus: err.status, trackingId: err.trackingId };
  }
  return { code: err instanceof AppError ? err.code : 'SYNC_INTERNAL_ERROR', message: scrubSecrets(errorMessage(err)), httpStatus: null, trackingId: null };
}
