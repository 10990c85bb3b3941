import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import type createWebhookHandler from 'webex-node-bot-framework/webhook';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ChatEvent, ChatHandler, ChatPerson, Outbox, RoomType } from '../bot/chat-event.js';
import type { WebhookEnvelope } from './receiver.js';
import { createSendQueue } from './send-queue.js';
import { signBody } from './sign-body.js';
import { stripMention } from './strip-mention.js';

export interface FrameworkAdapterOptions {
  token: string;
  /** Public URL Webex posts to (the receiver's path); registered on the webhooks. */
  webhookUrl: string;
  /** Registered as the webhooks' secret (the receiver verifies with it). */
  webhookSecret: string;
  /** Webex REST base, e.g. https://webexapis.com/v1 or the fake's http://127.0.0.1:PORT/v1. */
  apiUrl: string;
  /** U2C discovery base; default: the SDK's for webexapis.com, else `<apiUrl origin>/u2c/api/v1`. */
  u2cUrl?: string;
  logger: Logger;
  handler: ChatHandler;
  /** Where replies go; default: a send queue on `apiUrl` with the global fetch. */
  outbox?: Outbox;
  /** For the default send queue. */
  fetch?: typeof fetch;
  /** Webex SDK people-lookup batch wait (default 5 ms instead of the SDK's 100 ms; batching stays on). */
  peopleBatcherWaitMs?: number;
  /** How long start waits for the framework to create its webhooks (default 10 s). */
  webhookSetupTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BotIdentity {
  id: string;
  email: string;
  displayName: string;
}

export interface FrameworkAdapter {
  /** Hands a verified envelope to the framework; resolves when the resulting ChatEvent is handled and replied to. */
  onEvent(envelope: WebhookEnvelope): Promise<void>;
  /** Stops the framework without deleting any webhook (the next start replaces ours by name). */
  stop(): Promise<void>;
  /** Resolves when no handler or reply is in flight. */
  idle(): Promise<void>;
  readonly bot: BotIdentity;
  /** The name our webhooks carry (events with another name are dropped by the framework). */
  readonly webhookName: string;
  /** The framework instance, for diagnostics and tests. */
  readonly framework: Framework;
}

const WEBEX_CLOUD_API = /^https:\/\/(webexapis\.com|api\.ciscospark\.com)\//;

/**
 * Environment variables for callers that prefer to point the Webex SDK at `apiUrl` through the environment
 * (it reads them once, at first import). Not needed with startFrameworkAdapter, which injects the same
 * values into the SDK's config at start; kept for scripts that import the framework directly.
 */
export function frameworkEnv(apiUrl: string, u2cUrl?: string): Record<string, string> {
  const u2c =
    u2cUrl ?? (WEBEX_CLOUD_API.test(`${apiUrl}/`) ? undefined : new URL('/u2c/api/v1', apiUrl).href);
  return {
    HYDRA_SERVICE_URL: apiUrl,
    ...(u2c === undefined ? {} : { U2C_SERVICE_URL: u2c }),
    WEBEX_LOG_LEVEL: 'silent',
  };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function chatPerson(p: Framework.Person | undefined, expectedId: string): ChatPerson | null {
  if (p === undefined || p.id !== expectedId) return null;
  const email = p.emails?.[0]?.trim().toLowerCase();
  if (email === undefined || email === '') return null;
  return { id: p.id, email, displayName: p.displayName ?? email };
}

function roomTypeOf(bot: Framework.Bot, fallback?: string): RoomType {
  const t = bot.room.type ?? fallback;
  return t === 'direct' ? 'direct' : 'group';
}

/**
 * Starts webex-node-bot-framework in webhook mode against `apiUrl` and turns its events into ChatEvents for
 * `handler`; replies go through `outbox`. Throws AppError WEBEX_START_FAILED / WEBEX_WEBHOOK_SETUP_FAILED.
 */
export async function startFrameworkAdapter(options: FrameworkAdapterOptions): Promise<FrameworkAdapter> {
  const log = options.logger.child({ component: 'framework-adapter' });
  const sleep = options.sleep ?? defaultSleep;
  const outbox =
    options.outbox ??
    createSendQueue({
      apiUrl: options.apiUrl,
      token: options.token,
      fetch: options.fetch ?? fetch,
      logger: options.logger,
    });
  const require = createRequire(import.meta.url);
  const FrameworkCtor = require('webex-node-bot-framework') as typeof Framework;
  const webhookHandlerFactory = require('webex-node-bot-framework/webhook') as typeof createWebhookHandler;
  const webexModule = require('webex') as { init: (attrs: Record<string, unknown>) => unknown };

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
    const elog = log.child({
      kind: event.kind,
      roomId: event.roomId,
      ...('id' in event ? { eventId: event.id } : {}),
    });
    const replies = await options.handler.handle(event);
    if (replies.length === 0) return;
    try {
      await outbox.send(replies);
    } catch (err) {
      elog.error({ err, replies: replies.length }, 'replies not (all) sent');
    }
  };

  framework.on('message', (bot: Framework.Bot, trigger: Framework.MessageTrigger) => {
    track(trigger.message.id, async () => {
      const me = self();
      const m = trigger.message;
      if (m.personId === me.id) return;
      const roomType = roomTypeOf(bot, m.roomType);
      const mentionedBot = (m.mentionedPeople ?? []).includes(me.id);
      if (roomType === 'group' && !mentionedBot) return;
      const person = chatPerson(trigger.person, m.personId);
      if (person === null) {
        log.warn({ messageId: m.id }, 'message ignored: sender has no usable person record');
        return;
      }
      const raw = m.text ?? '';
      const text = mentionedBot ? stripMention(raw, m.html, me) : raw.trim();
      await dispatch({
        kind: 'message',
        id: m.id,
        roomId: m.roomId,
        roomType,
        person,
        text,
        mentionedBot,
        parentId: m.parentId ?? null,
      });
    });
  });

  framework.on('attachmentAction', (bot: Framework.Bot, trigger: Framework.AttachmentActionTrigger) => {
    const a = trigger.attachmentAction;
    track(a.id, async () => {
      // The actor is the person Webex reports for the action, never anything from the inputs.
      const person = chatPerson(trigger.person, a.personId);
      if (person === null) {
        log.warn({ actionId: a.id }, 'card action ignored: actor has no usable person record');
        return;
      }
      await dispatch({
        kind: 'cardAction',
        id: a.id,
        messageId: a.messageId,
        roomId: a.roomId,
        roomType: roomTypeOf(bot),
        person,
        inputs: isRecord(a.inputs) ? a.inputs : {},
      });
    });
  });

  framework.on('spawn', (bot: Framework.Bot, _id: string, addedBy?: string) => {
    // Spawns without addedBy are (late) discoveries of existing spaces: never greet there.
    if (addedBy === undefined || addedBy === '') return;
    track(bot.membership.id, () =>
      dispatch({
        kind: 'botAdded',
        roomId: bot.room.id,
        roomType: roomTypeOf(bot),
        title: bot.room.title ?? null,
        addedBy,
      }),
    );
  });

  // Point the SDK at apiUrl and install the guards (people batcher, webhook listing) on the instance the
  // framework creates synchronously inside start().
  const u2cUrl = options.u2cUrl ?? frameworkEnv(options.apiUrl).U2C_SERVICE_URL;
  const originalInit = webexModule.init;
  webexModule.init = function patchedInit(this: unknown, attrs: Record<string, unknown>): unknown {
    const config = isRecord(attrs.config) ? attrs.config : {};
    attrs.config = {
      ...config,
      hydra: options.apiUrl,
      hydraServiceUrl: options.apiUrl,
      services: { discovery: { hydra: options.apiUrl, ...(u2cUrl === undefined ? {} : { u2c: u2cUrl }) } },
      device: { preDiscoveryServices: { hydra: options.apiUrl, hydraServiceUrl: options.apiUrl } },
      logger: { level: 'silent' },
    };
    const webex = originalInit.call(this, attrs);
    patchWebexSdk(webex, { logger: log, peopleBatcherWaitMs: options.peopleBatcherWaitMs ?? 5 });
    return webex;
  };
  let started: Promise<boolean>;
  try {
    started = framework.start();
  } finally {
    webexModule.init = originalInit;
  }
  try {
    await started;
  } catch (err) {
    throw new AppError(
      'WEBEX_START_FAILED',
      `Webex bot framework did not start: ${sdkErrorSummary(err).message}`,
      { cause: err },
    );
  }

  const deadline = performance.now() + (options.webhookSetupTimeoutMs ?? 10_000);
  for (;;) {
    const hook = framework.webhook;
    if (hook !== false && typeof hook.name === 'string' && typeof framework.cardsWebhook.id === 'string')
      break;
    if (hook === false || performance.now() > deadline) {
      await stopQuietly(framework, log);
      throw new AppError(
        'WEBEX_WEBHOOK_SETUP_FAILED',
        `Webex webhooks for ${options.webhookUrl} were not created${hook === false ? '' : ' in time'}: ` +
          'check the bot token and that the webhook URL is reachable by Webex; see the log for the API error',
      );
    }
    await sleep(10);
  }
  const webhookName = (framework.webhook as Framework.Webhook).name;
  log.info(
    { bot: self().email, webhookUrl: options.webhookUrl },
    'Webex framework started, webhooks registered',
  );

  const handleWebhook = webhookHandlerFactory(framework);
  const idle = async (): Promise<void> => {
    while (tasks.size > 0) await Promise.all([...tasks]);
  };

  return {
    async onEvent(envelope) {
      if (envelope.name !== webhookName) {
        // The framework drops these silently; say why (e.g. a leftover webhook of an older deployment URL).
        log.warn(
          { webhookId: envelope.id, resource: envelope.resource },
          'webhook event for another registration ignored',
        );
        return;
      }
      const key = envelope.data.id;
      const mine: Promise<void>[] = [];
      const owner = !waiting.has(key);
      if (owner) waiting.set(key, mine);
      try {
        // The receiver verified the raw bytes. The framework re-checks an HMAC over JSON.stringify(body), which
        // differs from what Webex signed when the sender's serialization differs (indentation, escaping), so
        // give it a signature over exactly that string.
        const body = JSON.stringify(envelope);
        await handleWebhook({
          body: envelope,
          headers: { 'x-spark-signature': signBody(body, options.webhookSecret) },
        });
      } finally {
        if (owner) waiting.delete(key);
      }
      await Promise.all(mine);
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
  };
}

/** framework.stop() without deleting webhooks: a rolling restart would otherwise delete the new instance's. */
async function stopQuietly(framework: Framework, log: Logger): Promise<void> {
  const sdk = framework.webex as { webhooks?: { remove?: unknown } } | undefined;
  const webhooks = sdk?.webhooks;
  const remove = webhooks?.remove;
  if (webhooks !== undefined) webhooks.remove = () => Promise.resolve(true);
  try {
    await framework.stop();
  } catch (err) {
    log.warn({ err: sdkErrorSummary(err) }, 'framework stop failed');
  } finally {
    if (webhooks !== undefined) webhooks.remove = remove;
  }
}

/** What may be logged of an SDK error: its request options carry the Authorization header. */
export function sdkErrorSummary(err: unknown): {
  name: string;
  message: string;
  statusCode?: number;
  trackingId?: string;
} {
  if (!isRecord(err) && !(err instanceof Error))
    return { name: 'Error', message: typeof err === 'string' ? err : 'unknown error' };
  const e = err as Record<string, unknown>;
  const headers = isRecord(e.headers) ? e.headers : {};
  const body = isRecord(e.body) ? e.body : {};
  const trackingId =
    typeof body.trackingId === 'string'
      ? body.trackingId
      : typeof headers.trackingid === 'string'
        ? headers.trackingid
        : undefined;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: (typeof e.message === 'string' ? e.message : 'unknown error').split('\n')[0] ?? '',
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(trackingId === undefined ? {} : { trackingId }),
  };
}

interface SdkDefer {
  promise: Promise<unknown>;
  reject(reason: unknown): void;
}
interface SdkBatcher {
  queue: unknown[];
  config: { batcherMaxCalls?: number };
  executeQueue: (...args: unknown[]) => Promise<unknown>;
  getDeferredForRequest: (item: unknown) => Promise<SdkDefer>;
  getDeferredForResponse: (item: unknown) => Promise<SdkDefer>;
}

const ignore = (): void => undefined;
interface SdkWebhooks {
  list: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Guards on a fresh Webex SDK instance (webex-platform.md 7.7.2, 7.7.6, 7.9):
 * - people batcher wait lowered (replies in tens of ms, not ~105 ms); batching stays on;
 * - a failed batched `GET /people?id=` (HTTP error, or ids that do not match) rejects the lookups waiting on
 *   it instead of leaving them pending and raising an unhandled rejection that exits the process;
 * - a failed `GET /webhooks` during start is logged and treated as "none of ours" instead of an unhandled rejection.
 */
function patchWebexSdk(webex: unknown, opts: { logger: Logger; peopleBatcherWaitMs: number }): void {
  if (!isRecord(webex)) return;
  const config = isRecord(webex.config) ? webex.config : undefined;
  if (config !== undefined && isRecord(config.people)) config.people.batcherWait = opts.peopleBatcherWaitMs;

  const people = isRecord(webex.people) ? webex.people : undefined;
  const batcher =
    people !== undefined && isRecord(people.batcher) ? (people.batcher as unknown as SdkBatcher) : undefined;
  if (batcher !== undefined && typeof batcher.executeQueue === 'function') {
    // Each pending lookup has a second, internal promise (cleanup chain) that nobody awaits: when the SDK rejects a
    // lookup (HTTP error, notFoundIds, network), that chain becomes an unhandled rejection. The caller still gets
    // the rejection through the promise it awaits; the internal chain is marked handled here.
    for (const name of ['getDeferredForRequest', 'getDeferredForResponse'] as const) {
      const original = batcher[name];
      batcher[name] = function markHandled(this: SdkBatcher, item: unknown): Promise<SdkDefer> {
        return original.call(this, item).then((defer) => {
          defer.promise.catch(ignore);
          return defer;
        });
      };
    }
    const executeQueue = batcher.executeQueue;
    batcher.executeQueue = function guardedExecuteQueue(
      this: SdkBatcher,
      ...args: unknown[]
    ): Promise<unknown> {
      const batch = this.queue.slice(0, this.config.batcherMaxCalls ?? 10);
      return executeQueue.apply(this, args).catch(async (err: unknown) => {
        opts.logger.error(
          { err: sdkErrorSummary(err), lookups: batch.length },
          'Webex people lookup failed; the events waiting on it are dropped',
        );
        await Promise.all(
          batch.map((item) =>
            this.getDeferredForRequest(item).then(
              (defer) => defer.reject(err),
              () => undefined, // already settled and removed: nothing is waiting on it
            ),
          ),
        );
      });
    };
  }

  const webhooks = isRecord(webex.webhooks) ? (webex.webhooks as unknown as SdkWebhooks) : undefined;
  if (webhooks !== undefined && typeof webhooks.list === 'function') {
    const list = webhooks.list.bind(webhooks);
    webhooks.list = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await list(...args);
      } catch (err) {
        opts.logger.error(
          { err: sdkErrorSummary(err) },
          'listing Webex webhooks failed; old webhooks of ours are not replaced',
        );
        return { items: [] };
      }
    };
  }
}
