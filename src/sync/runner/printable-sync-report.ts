import type { SyncReport } from './sync-runner-types.js';

/** A sync report as the CLI prints it (and the bot hands it to the CLI): per vendor its status, run numbers, counts, per-pool diff and error. */
export function printableSyncReport(report: SyncReport): unknown {
  return {
    status: report.status,
    message: report.message,
    dryRun: report.dryRun,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    vendors: report.vendors.map((v) => ({
      vendor: v.vendor,
      connectionId: v.connectionId,
      status: v.status,
      runId: v.run.id,
      pages: v.run.pages,
      requests: v.run.requests,
      retries: v.run.retries,
      counts: v.plan?.counts ?? null,
      pools: v.plan?.pools ?? [],
      error: v.run.error,
    })),
  };
}
