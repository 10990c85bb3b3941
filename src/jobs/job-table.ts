import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SyncRunner } from '../sync/sync-runner.js';
import type { Job } from './scheduler.js';
import { vendorSyncJob } from './vendor-sync.js';

export interface JobTableDeps {
  schedule: Config['schedule'];
  syncRunner: Pick<SyncRunner, 'run'>;
  logger: Logger;
}

/**
 * Every scheduled job, as data: [{ name, cron, run }]. Add a job by adding one entry (its deps to
 * JobTableDeps); the scheduler validates every expression at startup.
 */
export function jobTable(deps: JobTableDeps): Job[] {
  return [vendorSyncJob({ runner: deps.syncRunner, cron: deps.schedule.syncCron, logger: deps.logger })];
}
