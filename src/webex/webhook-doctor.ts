import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { frameworkWebhookName } from './framework-webhook-name.js';
import type { WebexAnswer, WebexCall } from './webex-call.js';
import type { WebhookCheckReport, WebhookHealth, WebhookState } from './webhook-check-report.js';

export type {
  WebhookCheckReport,
  WebhookHealth,
  WebhookRepair,
  WebhookState,
} from './webhook-check-report.js';

/** The two webhooks the framework registers (webex-platform.md 7.3): the firehose and card submits. */
export const FRAMEWORK_WEBHOOKS: readonly { resource: string; event: string }[] = [
  { resource: 'all', event: 'all' },
  { resource: 'attachmentActions', event: 'created' },
];

/** Webhooks asked for per listing; a bot token normally holds only its own two. */
const PAGE = 100;

const webhookSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    targetUrl: z.string(),
    resource: z.string(),
    event: z.string(),
    status: z.string().optional(),
  })
  .loose();
const listSchema = z.object({ items: z.array(webhookSchema) });
type Webhook = z.infer<typeof webhookSchema>;

export interface WebhookDoctor {
  readonly name: string;
  /** Lists the token's webhooks; reactivates ours that are inactive and recreates missing ones. Never throws. */
  check(): Promise<WebhookCheckReport>;
  health(): WebhookHealth;
}

export interface WebhookDoctorOptions {
  /** The same HTTP and retry policy as the send queue (Retry-After, jittered backoff). */
  call: WebexCall;
  webhookUrl: string;
  botEmail: string;
  /** Registered as the secret of a reactivated or recreated webhook (the receiver verifies with it). */
  secret: string;
  clock: Clock;
  log: Logger;
}

function failure(what: string, answer: Extract<WebexAnswer, { ok: false }>): string {
  const status = answer.status === null ? 'network error' : `HTTP ${answer.status}`;
  return `${what}: ${status}${answer.webexMessage === null ? '' : ` (${answer.webexMessage})`}, tracking id ${answer.trackingId ?? 'none'}`;
}

const stateOf = (w: Webhook): WebhookState => ({
  id: w.id,
  resource: w.resource,
  event: w.event,
  status: w.status ?? 'active',
  targetUrl: w.targetUrl,
});

/**
 * Self-healing webhooks. Webex switches a webhook off after 100 failed deliveries in 5 minutes and never back on
 * (webex-platform.md 1.4), and the framework only sets webhooks up at start. The doctor finds ours by the
 * framework's name (frameworkWebhookName) and, for each of the framework's two, reactivates an inactive one
 * (`PUT /webhooks/{id}` with the same name, target URL and secret, `status: "active"`) or recreates a missing one
 * (`POST /webhooks`). Webhooks with any other name belong to someone else and are never changed.
 */
export function createWebhookDoctor(options: WebhookDoctorOptions): WebhookDoctor {
  const { call, clock } = options;
  const log = options.log;
  const name = frameworkWebhookName(options.webhookUrl, options.botEmail);
  let checks = 0;
  let repairsTotal = 0;
  let lastCheck: WebhookCheckReport | null = null;
  let lastRepair: WebhookHealth['lastRepair'] = null;
  let running: Promise<WebhookCheckReport> | null = null;

  const body = (resource: string, event: string): Record<string, unknown> => ({
    name,
    targetUrl: options.webhookUrl,
    resource,
    event,
    secret: options.secret,
  });

  async function repair(
    wanted: { resource: string; event: string },
    ours: Webhook[],
    report: WebhookCheckReport,
  ): Promise<void> {
    const same = ours.filter((w) => w.resource === wanted.resource && w.event === wanted.event);
    const active = same.find((w) => (w.status ?? 'active') === 'active');
    if (active !== undefined) {
      report.webhooks.push(stateOf(active));
      return;
    }
    const inactive = same[0];
    const context = { resource: wanted.resource, event: wanted.event };
    const answer =
      inactive === undefined
        ? await call({
            method: 'POST',
            path: '/webhooks',
            body: body(wanted.resource, wanted.event),
            what: 'webhook create',
            context,
          })
        : await call({
            method: 'PUT',
            path: `/webhooks/${encodeURIComponent(inactive.id)}`,
            // Webex requires name and targetUrl; the secret is sent so that it is kept.
            body: { name, targetUrl: options.webhookUrl, secret: options.secret, status: 'active' },
            what: 'webhook reactivation',
            context: { ...context, webhookId: inactive.id },
          });
    const action = inactive === undefined ? 'recreated' : 'reactivated';
    if (!answer.ok) {
      const why = failure(
        `${action === 'recreated' ? 'creating' : 'reactivating'} the ${wanted.resource}:${wanted.event} webhook`,
        answer,
      );
      report.errors.push(why);
      log.error(
        { ...context, status: answer.status, trackingId: answer.trackingId, err: answer.cause ?? undefined },
        `webhook not repaired: ${why}`,
      );
      if (inactive !== undefined) report.webhooks.push(stateOf(inactive));
      return;
    }
    const parsed = webhookSchema.safeParse(answer.body);
    const webhookId = parsed.success ? parsed.data.id : (inactive?.id ?? '');
    report.webhooks.push(
      parsed.success
        ? stateOf(parsed.data)
        : { ...context, id: webhookId, status: 'active', targetUrl: options.webhookUrl },
    );
    report.repairs.push({ action, ...context, webhookId });
    log.warn(
      { ...context, webhookId, trackingId: answer.trackingId },
      `Webex webhook ${action}: ${wanted.resource}:${wanted.event} was ${inactive === undefined ? 'missing' : 'inactive'}`,
    );
  }

  async function run(): Promise<WebhookCheckReport> {
    const report: WebhookCheckReport = {
      ok: false,
      at: clock.now().toISOString(),
      webhooks: [],
      repairs: [],
      others: 0,
      errors: [],
    };
    const listed = await call({
      method: 'GET',
      path: `/webhooks?max=${PAGE}`,
      what: 'webhook listing',
      context: { check: 'webhooks' },
    });
    const list = listed.ok ? listSchema.safeParse(listed.body) : null;
    if (!listed.ok || list === null || !list.success) {
      report.errors.push(
        listed.ok
          ? 'listing the webhooks: unexpected answer from Webex'
          : failure('listing the webhooks', listed),
      );
      log.error({ errors: report.errors }, 'webhook check failed: could not list the webhooks');
      return report;
    }
    const items = list.data.items;
    const ours = items.filter((w) => w.name === name);
    report.others = items.length - ours.length;
    const missing = FRAMEWORK_WEBHOOKS.filter(
      (f) => !ours.some((w) => w.resource === f.resource && w.event === f.event),
    );
    if (missing.length > 0 && items.length >= PAGE) {
      // A full page may hide ours on the next one: creating it again would double every delivery.
      report.errors.push(
        `listing the webhooks: ${items.length} or more webhooks on the token, ours not among the first ${PAGE}; not recreating`,
      );
      log.error({ listed: items.length }, 'webhook check: listing may be incomplete; nothing recreated');
      ours.forEach((w) => report.webhooks.push(stateOf(w)));
      return report;
    }
    for (const wanted of FRAMEWORK_WEBHOOKS) await repair(wanted, ours, report);
    report.ok = report.errors.length === 0 && report.webhooks.every((w) => w.status === 'active');
    return report;
  }

  return {
    name,
    check() {
      // One check at a time; a second caller shares the running one.
      running ??= run()
        .catch((err: unknown): WebhookCheckReport => {
          log.error({ err }, 'webhook check failed');
          return {
            ok: false,
            at: clock.now().toISOString(),
            webhooks: [],
            repairs: [],
            others: 0,
            errors: ['webhook check failed; see the log'],
          };
        })
        .then((report) => {
          checks += 1;
          repairsTotal += report.repairs.length;
          lastCheck = report;
          const last = report.repairs.at(-1);
          if (last !== undefined) lastRepair = { ...last, at: report.at };
          return report;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },
    health() {
      return { name, checks, repairs: repairsTotal, lastCheck, lastRepair };
    },
  };
}
