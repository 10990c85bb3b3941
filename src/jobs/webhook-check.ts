import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { BotNotices, Outbox, WebhookRepair } from '../bot/chat-event.js';
import type { Job } from './scheduler.js';

/** What the job needs from a webhook check (the Webex side, webex/webhook-doctor.ts, provides it). */
export interface WebhookCheckOutcome {
  /** Every webhook of the bot is active after the check. */
  ok: boolean;
  repairs: readonly WebhookRepair[];
  errors: readonly string[];
}

export interface WebhookCheckJobDeps {
  cron: string;
  check: () => Promise<WebhookCheckOutcome>;
  outbox: Outbox;
  notices: BotNotices;
  clock: Clock;
  logger: Logger;
}

/**
 * The webhook check: lists the bot's Webex webhooks, reactivates or recreates them (through `check`), and tells
 * the admins once per outage: the first check that has to repair sends one message; later checks that repair
 * again (Webex switching the webhook off again while the receiver still fails) only log, until a check finds
 * everything active without a repair.
 */
export function webhookCheckJob(deps: WebhookCheckJobDeps): Job {
  const log = deps.logger.child({ job: 'webhook-check' });
  /** An outage the admins have been told about and that has not been seen healthy since. */
  let toldAdmins = false;
  return {
    name: 'webhook-check',
    cron: deps.cron,
    run: async (): Promise<WebhookCheckOutcome> => {
      const outcome = await deps.check();
      if (outcome.repairs.length > 0) {
        log.warn({ repairs: outcome.repairs, errors: outcome.errors, toldAdmins }, 'Webex webhooks repaired');
        if (!toldAdmins) {
          await deps.outbox.send(
            deps.notices.webhooksRepaired(outcome.repairs, deps.clock.now().toISOString()),
          );
          toldAdmins = true;
        }
      } else if (outcome.ok) {
        toldAdmins = false;
      }
      if (!outcome.ok) log.error({ errors: outcome.errors }, 'Webex webhooks not all active after the check');
      return outcome;
    },
  };
}
