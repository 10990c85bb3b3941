import type { Logger } from '../log.js';
import type { SyncReport, SyncRunner } from '../sync/runner/sync-runner-types.js';
import type { Job } from './scheduler.js';

/**
 * The scheduled vendor sync: the same runner the chat `sync` command calls, with trigger 'schedule'.
 * Vendor failures are recorded by the runner; the job logs the outcome and does not throw for them.
 */
export function vendorSyncJob(deps: { runner: Pick<SyncRunner, 'run'>; cron: string; logger: Logger }): Job {
  return {
    name: 'vendor-sync',
    cron: deps.cron,
    run: async (): Promise<SyncReport> => {
      const report = await deps.runner.run({ trigger: 'schedule' });
      const log = deps.logger.child({ job: 'vendor-sync' });
      const fields = { status: report.status, vendors: report.vendors.map((v) => ({ vendor: v.vendor, status: v.status, runId: v.run.id })) };
      if (report.status === 'ok' || report.status === 'not_configured' || report.status === 'already_running') {
        log.info(fields, report.message);
      } else {
        log.warn(fields, report.message);
      }
      return report;
    },
  };
}
