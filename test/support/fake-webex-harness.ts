// Boots the fake Webex API, the real receiver (express on 127.0.0.1) and the real framework adapter with a
// given ChatHandler, wired like main.ts wires them. Helpers wait by bounded polling, never fixed sleeps.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';
import type { ChatHandler, Outbox } from '../../src/bot/chat-event.js';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { createReceiver, type Receiver } from '../../src/webex/receiver.js';
import { startFrameworkAdapter, type FrameworkAdapter } from '../../src/webex/framework-adapter.js';
import { createSendQueue, type SendQueue } from '../../src/webex/send-queue.js';

export const BOT = { displayName: 'Seat Bot', email: 'seatbot@webex.bot' } as const;
export const ALICE = { displayName: 'Alice Able', email: 'alice@example.com' } as const;
export const BOB = { displayName: 'Bob Baker', email: 'bob@example.com' } as const;
export const TOKEN = 'FAKE_TOKEN';
export const SECRET = 'test-webhook-secret-0123456789';
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
  maxBodyBytes?: number;
  /** Wraps the send queue given to the adapter (e.g. to time replies). */
  wrapOutbox?: (queue: SendQueue) => Outbox;
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
  const fake = await startFakeWebexApi({ bot: BOT, people: options.people ?? [ALICE, BOB], logger });
  const newSendQueue = (): SendQueue =>
    createSendQueue({
      apiUrl: fake.url,
      token: TOKEN,
      fetch,
      logger,
      sleep: options.sleep ?? (() => Promise.resolve()),
    });
  let sendQueue = newSendQueue();
  const ref: { adapter?: FrameworkAdapter } = {};
  const receiver = createReceiver({
    path: WEBHOOK_PATH,
    secrets: [SECRET],
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    logger,
    onEvent: async (envelope) => {
      if (!ref.adapter) throw new Error('event before the adapter started');
      await ref.adapter.onEvent(envelope);
    },
    health: () => ({ ok: true, webhook: ref.adapter?.webhookName ?? null }),
  });
  const server: Server = createServer(receiver.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const receiverOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhookUrl = `${receiverOrigin}${WEBHOOK_PATH}`;

  const startAdapter = async (handler: ChatHandler): Promise<FrameworkAdapter> => {
    const adapter = await startFrameworkAdapter({
      token: TOKEN,
      webhookUrl,
      webhookSecret: SECRET,
      apiUrl: fake.url,
      logger,
      handler,
      outbox: options.wrapOutbox ? options.wrapOutbox(sendQueue) : sendQueue,
      ...(options.peopleBatcherWaitMs === undefined
        ? {}
        : { peopleBatcherWaitMs: options.peopleBatcherWaitMs }),
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
