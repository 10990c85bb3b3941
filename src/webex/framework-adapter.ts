import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import type createWebhookHandler from 'webex-node-bot-framework/webhook';
import { systemClock, type Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ChatEvent, ChatHandler, Outbox } from '../bot/chat-event.js';
import { createEventIntake } from './event-intake.js';
import { createFrameworkHandOver } from './framework-hand-over.js';
import { createHydratedContent } from './hydrated-content.js';
import { createIntakeStats, type IntakeHealth } from './intake-stats.js';
import { mapFrameworkEvents } from './map-framework-events.js';
import type { EventOutcome, WebhookEnvelope } from './receiver.js';
import { DEFAULT_WEBEX_RETRY_POLICY, type WebexRetryPolicy } from './retry-policy.js';
import { createSendQueue } from './send-queue.js';
import { startFramework, type WebexModule } from './start-framework.js';
import { stopQuietly } from './stop-quietly.js';
import { waitForWebhooks } from './wait-for-webhooks.js';
import { createWebexCall, type WebexCall } from './webex-call.js';
import { createWebhookDoctor, type WebhookDoctor } from './webhook-doctor.js';
import { useSlimWebexSdk } from './slim-webex-sdk.js';

export interface FrameworkAdapterOptions {
  token: string;
  /** Public URL Webex posts to (the receiver's path); registered on the webhooks. */
  webhookUrl: string;
  /** Registered as the webhooks' secret (the receiver verifies with it). */
  webhookSecret: string;
  /** Webex REST base, e.g. https://webexapis.com/v1 or the fake's http://127.0.0.1:PORT/v1. */
  apiUrl: string;
  /** true: the framework gets the stock Webex SDK with all its plugins instead of the slim one (WEBEX_FULL_SDK). */
  fullSdk?: boolean;
  /** U2C discovery base; default: the SDK's for webexapis.com, else `<apiUrl origin>/u2c/api/v1`. */
  u2cUrl?: string;
  logger: Logger;
  handler: ChatHandler;
  /** Where replies go; default: a send queue on `apiUrl` (node:http keep-alive unless `fetch` is given). */
  outbox?: Outbox;
  /** For the default send queue. */
  fetch?: typeof fetch;
  /** Webex SDK people-lookup batch wait (default 5 ms instead of the SDK's 100 ms; batching stays on). */
  peopleBatcherWaitMs?: number;
  /** How long start waits for the framework to create its webhooks (default 10 s). */
  webhookSetupTimeoutMs?: number;
  /** Polls while waiting for the webhooks at start. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Retries of the event-path reads (message, card action, person, the framework's space lookups) and of the
   * webhook doctor's calls: the policy (default DEFAULT_WEBEX_RETRY_POLICY), the wait and the jitter source.
   */
  retry?: { policy?: WebexRetryPolicy; sleep?: (ms: number) => Promise<void>; random?: () => number };
  /** For the times in /healthz (default: the system clock). */
  clock?: Clock;
}

export interface BotIdentity {
  id: string;
  email: string;
  displayName: string;
}

export interface FrameworkAdapter {
  /**
   * Reads a verified event's content (with retries), hands it to the framework and resolves when the resulting
   * ChatEvent is handled and replied to: 'unread' when its content could not be read (logged, counted, a card
   * clicker told), so the receiver processes a replay of the delivery.
   */
  onEvent(envelope: WebhookEnvelope): Promise<EventOutcome>;
  /** Stops the framework without deleting any webhook (the next start replaces ours by name). */
  stop(): Promise<void>;
  /** Resolves when no handler or reply is in flight. */
  idle(): Promise<void>;
  readonly bot: BotIdentity;
  /** The name our webhooks carry (events with another name are dropped by the framework). */
  readonly webhookName: string;
  /** The framework instance, for diagnostics and tests. */
  readonly framework: Framework;
  /** Lists, reactivates and recreates our webhooks (the webhook-check job runs it); never touches others'. */
  readonly doctor: WebhookDoctor;
  /** Processed and unread events, for /healthz. */
  intakeHealth(): IntakeHealth;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts webex-node-bot-framework in webhook mode against `apiUrl` and turns its events into ChatEvents for
 * `handler`; replies go through `outbox`. Throws AppError WEBEX_WEBHOOK_URL_MISSING / WEBEX_START_FAILED /
 * WEBEX_WEBHOOK_SETUP_FAILED.
 */
export async function startFrameworkAdapter(options: FrameworkAdapterOptions): Promise<FrameworkAdapter> {
  const log = options.logger.child({ component: 'framework-adapter' });
  const sleep = options.sleep ?? defaultSleep;
  const outbox =
    options.outbox ??
    createSendQueue({
      apiUrl: options.apiUrl,
      token: options.token,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      logger: options.logger,
    });
  const retryPolicy = options.retry?.policy ?? DEFAULT_WEBEX_RETRY_POLICY;
  const retrySleep = options.retry?.sleep ?? defaultSleep;
  const random = options.retry?.random ?? Math.random;
  const call: WebexCall = createWebexCall({
    apiUrl: options.apiUrl,
    token: options.token,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    log,
    sleep: retrySleep,
    random,
    ...retryPolicy,
  });
  const hydrated = createHydratedContent();
  const stats = createIntakeStats(options.clock ?? systemClock);
  if (!options.webhookUrl) {
    // Without a webhook URL the framework falls back to websockets, which this bot does not support.
    throw new AppError(
      'WEBEX_WEBHOOK_URL_MISSING',
      'Webex framework needs a webhook URL (webhook mode only)',
    );
  }
  // Slim Webex SDK: the framework's `require('webex')` (lib/framework.js, at load) gets an SDK with only the
  // plugins it uses in webhook mode, ~0.45 s less start-up than the full one (slim-webex-sdk.ts). Must run
  // before the framework is first required. WEBEX_FULL_SDK=true (options.fullSdk) keeps the stock SDK.
  if (options.fullSdk === true) log.info('WEBEX_FULL_SDK: the framework uses the stock Webex SDK with all plugins');
  else if (!useSlimWebexSdk()) log.warn('the full Webex SDK was loaded before the framework adapter; using it');
  const require = createRequire(import.meta.url);
  const FrameworkCtor = require('webex-node-bot-framework') as typeof Framework;
  const webhookHandlerFactory = require('webex-node-bot-framework/webhook') as typeof createWebhookHandler;
  const webexModule = require('webex') as WebexModule;

  const framework = new FrameworkCtor({
    token: options.token,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    removeWebhooksOnStart: false,
    maxStartupSpaces: 0,
    messageFormat: 'markdown',
  });
  framework.debugger = (message) => log.trace({ framework: message }, 'framework debug');
  framework.on('log', (message: string) => log.debug({ framework: message }, 'framework log'));

  /** Tasks started by framework events, and the envelope each belongs to (by data.id) while it is dispatched. */
  const tasks = new Set<Promise<void>>();
  const waiting = new Map<string, Promise<void>[]>();
  const track = (key: string, run: () => Promise<void>): void => {
    const task = Promise.resolve()
      .then(run)
      .catch((err: unknown) => log.error({ err, key }, 'chat event handling failed'))
      .finally(() => tasks.delete(task));
    tasks.add(task);
    waiting.get(key)?.push(task);
  };

  const self = (): BotIdentity => ({
    id: framework.person.id,
    email: framework.email,
    displayName: framework.person.displayName ?? framework.email,
  });

  const dispatch = async (event: ChatEvent): Promise<void> => {
    const replies = await options.handler.handle(event);
    if (replies.length === 0) return;
    try {
      await outbox.send(replies);
    } catch (err) {
      // Event fields in the call, not a child per event: with redaction, each child re-runs its setup.
      log.error(
        {
          kind: event.kind,
          roomId: event.roomId,
          ...('id' in event ? { eventId: event.id } : {}),
          err,
          replies: replies.length,
        },
        'replies not (all) sent',
      );
    }
  };

  mapFrameworkEvents(framework, { self, track, dispatch, log });

  await startFramework(framework, webexModule, {
    apiUrl: options.apiUrl,
    u2cUrl: options.u2cUrl,
    peopleBatcherWaitMs: options.peopleBatcherWaitMs,
    hydrated,
    retry: { policy: retryPolicy, sleep: retrySleep, random },
    log,
  });

  const webhookName = await waitForWebhooks(framework, {
    webhookUrl: options.webhookUrl,
    timeoutMs: options.webhookSetupTimeoutMs ?? 10_000,
    sleep,
    log,
  });
  log.info(
    { bot: self().email, webhookUrl: options.webhookUrl },
    'Webex framework started, webhooks registered',
  );

  const handleWebhook = webhookHandlerFactory(framework);
  const idle = async (): Promise<void> => {
    while (tasks.size > 0) await Promise.all([...tasks]);
  };
  const handOver = createFrameworkHandOver({
    handleWebhook,
    webhookSecret: options.webhookSecret,
    waiting,
  });
  const intake = createEventIntake({
    call,
    hydrated,
    botId: () => framework.person.id,
    handOver,
    outbox,
    stats,
    policy: retryPolicy,
    sleep: retrySleep,
    random,
    log,
  });
  const doctor = createWebhookDoctor({
    call,
    webhookUrl: options.webhookUrl,
    botEmail: framework.email,
    secret: options.webhookSecret,
    clock: options.clock ?? systemClock,
    log,
  });

  return {
    async onEvent(envelope) {
      if (envelope.name !== webhookName) {
        // The framework drops these silently; say why (e.g. a leftover webhook of an older deployment URL).
        log.warn(
          { webhookId: envelope.id, resource: envelope.resource },
          'webhook event for another registration ignored',
        );
        return 'handled';
      }
      return intake.receive(envelope);
    },
    async stop() {
      await stopQuietly(framework, log);
      await idle();
    },
    idle,
    get bot() {
      return self();
    },
    webhookName,
    framework,
    doctor,
    intakeHealth: () => stats.snapshot(),
  };
}
