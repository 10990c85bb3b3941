import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SeatStore } from '../store/seat-store.js';
import type { SyncRunner } from '../sync/runner/sync-runner-types.js';
import type { BotNotices, JobOutbox } from '../bot/chat-event.js';
import type { Job } from './scheduler.js';
import { vendorSyncJob } from './vendor-sync.js';
import { runDailyDigest } from './daily-digest.js';
import { runReminders } from './reminders.js';
import { expireSeats } from './expire-seats.js';
import { webhookCheckJob, type WebhookCheckOutcome } from './webhook-check.js';

export interface JobTableDeps {
  schedule: Config['schedule'];
  syncRunner: Pick<SyncRunner, 'run'>;
  store: SeatStore;
  clock: Clock;
  /** The send queue: `deliver` tells the digest which spaces the bot was removed from. */
  outbox: JobOutbox;
  notices: BotNotices;
  logger: Logger;
  /** Checks and repairs the bot's Webex webhooks (webex/webhook-doctor); without it there is no webhook-check job. */
  webhookCheck?: () => Promise<WebhookCheckOutcome>;
  /** The write-back outbox worker's backstop pass (provisioning/provisioning-worker.ts); without it no such job. */
  provisioning?: { runDue(): Promise<unknown> };
}

/** The write-back backstop: every minute, carry out provisioning intents a kick missed (commits run it at once). */
export const PROVISIONING_CRON = '* * * * *';

/**
 * Every scheduled job, as data: [{ name, cron, run }]. Add a job by adding one entry (its deps to
 * JobTableDeps); the scheduler validates every expression at startup and logs each run's outcome.
 */
export function jobTable(deps: JobTableDeps): Job[] {
  const { store, clock, outbox, notices } = deps;
  const timeZone = deps.schedule.timezone;
  return [
    vendorSyncJob({ runner: deps.syncRunner, cron: deps.schedule.syncCron, logger: deps.logger }),
    { name: 'daily-digest', cron: deps.schedule.digestCron, run: () => runDailyDigest({ store, clock, outbox, notices, timeZone }) },
    {
      name: 'reminders',
      cron: deps.schedule.reminderCron,
      run: () =>
        runReminders({
          store, clock, outbox, notices, timeZone, requestTtlDays: deps.schedule.requestTtlDays,
          ...(deps.schedule.reclaimAfterDays === undefined ? {} : { reclaimAfterDays: deps.schedule.reclaimAfterDays }),
        }),
    },
    { name: 'seat-expiry', cron: deps.schedule.seatExpiryCron, run: () => expireSeats({ store, clock, outbox, notices }) },
    ...(deps.webhookCheck === undefined
      ? []
      : [webhookCheckJob({ cron: deps.schedule.webhookCheckCron, check: deps.webhookCheck, outbox, notices, clock, logger: deps.logger })]),
    ...(deps.provisioning === undefined ? [] : [{ name: 'provisioning', cron: PROVISIONING_CRON, run: async () => void (await deps.provisioning?.runDue()) }]),
  ];
}
