// Boots the fake Webex API, the real receiver (express on 127.0.0.1) and the real framework adapter with a
// given ChatHandler, wired like main.ts wires them. Helpers wait by bounded polling, never fixed sleeps.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';
import type { ChatHandler, Outbox } from '../../src/bot/chat-event.js';
import type { Clock } from '../../src/clock.js';
import {
  startFakeWebexApi,
  type FakeMessage,
  type FakeWebexApi,
  type FakeWebexOptions,
} from '../../src/sandbox/fake-webex-api.js';
import { createReceiver, type Receiver, type ReceiverLimits } from '../../src/webex/receiver.js';
import { startFrameworkAdapter, type FrameworkAdapter } from '../../src/webex/framework-adapter.js';
import { createSendQueue, type SendQueue } from '../../src/webex/send-queue.js';

export const BOT = { displayName: 'Seat Bot', email: 'seatbot@webex.bot' } as const;
export const ALICE = { displayName: 'Alice Able', email: 'alice@example.com' } as const;
export const BOB = { displayName: 'Bob Baker', email: 'bob@example.com' } as const;
export const TOKEN = 'FAKE_TOKEN';
export const SECRET = 'test-webhook-secret-0123456789';
/** Unlocks the detailed /healthz of the harness's receiver. */
export const HEALTH_TOKEN = 'test-health-token-0123456789';
export const WEBHOOK_PATH = '/webex/webhook';

export interface LogRecord {
  level: number;
  msg?: string;
  err?: { message?: string; type?: string; stack?: string };
  [key: string]: unknown;
}

export interface FakeWebexHarness {
  fake: FakeWebexApi;
  receiver: Receiver;
  adapter: FrameworkAdapter;
  sendQueue: SendQueue;
  /** http://127.0.0.1:PORT<WEBHOOK_PATH> */
  webhookUrl: string;
  /** Origin of the receiver app (for /healthz). */
  receiverOrigin: string;
  logs: LogRecord[];
  /** POSTs raw bytes to the webhook route with the given headers. */
  postWebhook(
    body: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown }>;
  /** GET /healthz with the health token: the detailed report (intake counts, webhooks), and its HTTP status. */
  health(): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Waits until the fake is idle, the receiver drained and the adapter has nothing in flight. */
  settle(): Promise<void>;
  /**
   * A bot restart: stops the adapter (keeping webhooks), then starts a new send queue and framework adapter on
   * the same receiver URL and fake; `adapter` and `sendQueue` then name the new ones. Nothing in memory survives.
   */
  restart(handler?: ChatHandler): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  handler: ChatHandler;
  people?: readonly { displayName: string; email: string }[];
  peopleBatcherWaitMs?: number;
  /** Send-queue waits; default: no real waiting (the queue's delays are recorded only). */
  sleep?: (ms: number) => Promise<void>;
  /** Waits between retries of event reads and webhook repairs; default: no real waiting. */
  retrySleep?: (ms: number) => Promise<void>;
  /** Backoff jitter source for those retries (default Math.random). */
  random?: () => number;
  /** Receiver limits (body size, in-flight and queued events...). */
  limits?: Partial<ReceiverLimits>;
  /** Bot token (default FAKE_TOKEN; a 3-part token makes the SDK read the fake's U2C catalog). */
  token?: string;
  /** Options for the fake Webex API (webhook switch-off policy, U2C catalog). */
  fake?: Pick<FakeWebexOptions, 'webhookDisable' | 'u2cServiceLinks'>;
  clock?: Clock;
  /** Wraps the send queue given to the adapter (e.g. to time replies). */
  wrapOutbox?: (queue: SendQueue) => Outbox;
  /** The stock Webex SDK instead of the slim one (WEBEX_FULL_SDK). */
  fullSdk?: boolean;
}

/** A pino logger whose records are parsed into `logs` (level >= debug). */
export function capturingLogger(): { logger: Logger; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as LogRecord);
      }
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug' }, stream), logs };
}

/** Polls `check` every few ms until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function startFakeWebexHarness(options: HarnessOptions): Promise<FakeWebexHarness> {
  const { logger, logs } = capturingLogger();
  const fake = await startFakeWebexApi({
    bot: BOT,
    people: options.people ?? [ALICE, BOB],
    logger,
    ...options.fake,
  });
  const token = options.token ?? TOKEN;
  const newSendQueue = (): SendQueue =>
    createSendQueue({
      apiUrl: fake.url,
      token,
      fetch,
      logger,
      sleep: options.sleep ?? (() => Promise.resolve()),
    });
  let sendQueue = newSendQueue();
  const ref: { adapter?: FrameworkAdapter } = {};
  const receiver = createReceiver({
    path: WEBHOOK_PATH,
    secrets: [SECRET],
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    logger,
    healthToken: HEALTH_TOKEN,
    onEvent: (envelope) => {
      if (!ref.adapter) throw new Error('event before the adapter started');
      return ref.adapter.onEvent(envelope);
    },
    // Shaped like main.ts's report: intake counts and queue, each webhook's status and the last check.
    health: () => {
      const webhooks = ref.adapter?.doctor.health() ?? null;
      return {
        status: (webhooks?.lastCheck?.ok ?? true) ? 'ok' : 'degraded',
        webhook: ref.adapter?.webhookName ?? null,
        intake: { queue: receiver.intake, ...ref.adapter?.intakeHealth() },
        webhooks,
      };
    },
  });
  const server: Server = createServer(receiver.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const receiverOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhookUrl = `${receiverOrigin}${WEBHOOK_PATH}`;

  const startAdapter = async (handler: ChatHandler): Promise<FrameworkAdapter> => {
    const adapter = await startFrameworkAdapter({
      token,
      webhookUrl,
      webhookSecret: SECRET,
      apiUrl: fake.url,
      ...(options.fullSdk === undefined ? {} : { fullSdk: options.fullSdk }),
      logger,
      handler,
      outbox: options.wrapOutbox ? options.wrapOutbox(sendQueue) : sendQueue,
      ...(options.peopleBatcherWaitMs === undefined
        ? {}
        : { peopleBatcherWaitMs: options.peopleBatcherWaitMs }),
      retry: {
        sleep: options.retrySleep ?? (() => Promise.resolve()),
        ...(options.random === undefined ? {} : { random: options.random }),
      },
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    ref.adapter = adapter;
    // start() verified both webhooks exist; the fake must hold exactly ours.
    await waitUntil(() => fake.state.webhooks.size === 2, 'both webhooks registered');
    return adapter;
  };
  let started = await startAdapter(options.handler);

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await fake.idle();
      await receiver.drain();
      await started.idle();
      await sendQueue.idle();
    }
  };

  return {
    fake,
    receiver,
    get adapter() {
      return started;
    },
    get sendQueue() {
      return sendQueue;
    },
    webhookUrl,
    receiverOrigin,
    logs,
    async postWebhook(body, headers = {}) {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, json };
    },
    async health() {
      const res = await fetch(`${receiverOrigin}/healthz`, {
        headers: { authorization: `Bearer ${HEALTH_TOKEN}` },
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    settle,
    async restart(handler = options.handler) {
      await settle();
      await started.stop();
      sendQueue = newSendQueue();
      started = await startAdapter(handler);
    },
    async close() {
      await settle();
      await started.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await fake.close();
    },
  };
}

/** The Adaptive Card a message carries (its first attachment's content), as the fake API stored it. */
export const cardOf = (m: FakeMessage | undefined): unknown => (m?.attachments?.[0] as { content?: unknown } | undefined)?.content;
