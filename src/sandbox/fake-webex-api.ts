import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../log.js';
import {
  createFakeState,
  addPerson,
  type FakeAttachmentAction,
  type FakeMessage,
  type FakePersonSeed,
  type FakeRoom,
  type FakeWebexState,
  type FakeWebhook,
  type WebhookDisablePolicy,
} from './fake-webex/fake-state.js';
import { createFaultInjector, type FaultControls } from './fake-webex/fault-injector.js';
import {
  buildEnvelope,
  deliverWebhookEvent,
  webhooksFor,
  type WebhookEvent,
} from './fake-webex/deliver-webhook.js';
import {
  addBotToRoom,
  createRoom,
  FakeWebexInputError,
  userSays,
  userSubmits,
  type CreateRoomInput,
  type FakeWorld,
  type PersonRef,
  type UserSaysInput,
  type UserSubmitsInput,
} from './fake-webex/fake-world.js';
import { createRestRoutes } from './fake-webex/rest-routes.js';
import { createSandboxRoutes } from './fake-webex/sandbox-routes.js';
import { webexError } from './fake-webex/webex-error.js';
import { loopbackHostGuard } from './fake-webex/loopback-host-guard.js';
import { createWebhookTargetPolicy, type WebhookTargets } from './fake-webex/webhook-target-policy.js';

export type {
  FakeWebexState,
  FakeMessage,
  FakeRoom,
  FakeAttachmentAction,
  FakeWebhook,
  WebhookDisablePolicy,
} from './fake-webex/fake-state.js';
export type { FaultControls, FaultMatch } from './fake-webex/fault-injector.js';
export type { WebhookTargets } from './fake-webex/webhook-target-policy.js';

export interface FakeWebexOptions {
  /** 0 (default) = any free port on 127.0.0.1. */
  port?: number;
  bot: FakePersonSeed;
  people?: readonly FakePersonSeed[];
  logger?: Logger;
  /** Deliver the bot's own posts in direct spaces as messages:created, like Webex does (default true). */
  deliverOwnMessages?: boolean;
  /** Used to POST webhooks; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra routes (e.g. the chat page) mounted at / after /v1 and /_sandbox, before the JSON 404. */
  routes?: RequestHandler;
  /**
   * Where webhooks may point (POST/PUT /webhooks) and so where the fake will ever POST: a list of receiver
   * URLs (origin and path, loopback hosts only), or 'loopback' (default: any URL on 127.0.0.1, localhost or
   * [::1], for tests). The sandbox starts with [] and is told the bot's receiver once it listens.
   */
  allowedWebhookTargets?: WebhookTargets;
  /** When a webhook is switched off after failed deliveries (default: Webex's 100 within 5 minutes). */
  webhookDisable?: Partial<WebhookDisablePolicy>;
  /**
   * The U2C catalog's `serviceLinks` (default none). A real catalog lists `hydra`; list another host here to
   * prove the bot keeps every call on its configured API URL (the SDK prefers catalog entries to discovery).
   */
  u2cServiceLinks?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Path including /v1 and the query string. */
  url: string;
  status: number;
  body: unknown;
}

export interface FakeWebexApi {
  /** REST base, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Server origin, e.g. http://127.0.0.1:PORT (the sandbox routes live under /_sandbox). */
  origin: string;
  /** U2C base for the SDK, e.g. http://127.0.0.1:PORT/u2c/api/v1 */
  u2cUrl: string;
  state: FakeWebexState;
  requests: RecordedRequest[];
  faults: FaultControls;
  /** Replaces the allowed webhook targets (see FakeWebexOptions.allowedWebhookTargets). */
  allowWebhookTargets(targets: WebhookTargets): void;
  /**
   * The sandbox switch for "Webex switched the webhook off": sets every webhook matching `which` (default: all)
   * to `inactive`, so nothing is delivered to it until it is reactivated with `PUT /webhooks/{id}`. Returns them.
   */
  deactivateWebhooks(which?: (w: FakeWebhook) => boolean): FakeWebhook[];
  /** Replaces the U2C catalog's serviceLinks (see FakeWebexOptions.u2cServiceLinks). */
  setU2cServiceLinks(links: Record<string, string>): void;
  createRoom(input: CreateRoomInput): FakeRoom;
  addPerson(seed: FakePersonSeed): { id: string; email: string };
  addBotToRoom(roomId: string, byPersonId: string): Promise<void>;
  userSays(input: UserSaysInput & PersonRef): Promise<FakeMessage>;
  userSubmits(input: UserSubmitsInput & PersonRef): Promise<FakeAttachmentAction>;
  /** A signed-ready envelope for an event, addressed to the webhook that would receive it (tests). */
  envelopeFor(ev: WebhookEvent): Record<string, unknown>;
  /** Messages in a room, oldest first. */
  messagesIn(roomId: string): FakeMessage[];
  /** Polls until `predicate` holds for the messages posted so far; rejects after `timeoutMs`. */
  waitForMessages(predicate: (all: FakeMessage[]) => boolean, timeoutMs?: number): Promise<FakeMessage[]>;
  /** Resolves when every webhook POST the fake started has been answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A small, stateful Webex REST + webhook emulator on 127.0.0.1 (see webex-platform.md 7.8), able to behave like
 * Webex on a bad day:
 * - `faults`: per route (method + path) for the next N calls, 429 with Retry-After, any status (5xx, 423/503 with
 *   Retry-After, 404), dropped connections, or a delay; e.g. on `GET /messages/{id}`, `GET /attachment/actions/{id}`
 *   and the people lookups (`/people/{id}`, `/people?id=`), each answer carrying a tracking id;
 * - webhooks switched to `inactive` after failed deliveries (`webhookDisable`, Webex: 100 in 5 minutes; a webhook
 *   switched back on within the window goes off at its next failure) or by the sandbox switch
 *   (`deactivateWebhooks`, `POST /_sandbox/webhooks/deactivate`); an inactive webhook gets no deliveries;
 * - `PUT /webhooks/{id}` requires `name` and `targetUrl` (Webex's spec) and reactivates with `status: "active"`;
 * - a U2C catalog (`/u2c/api/v1/catalog`, `/limited/catalog`) that can list another `hydra` host
 *   (`u2cServiceLinks`), which the SDK would prefer to its discovery URL.
 */
export async function startFakeWebexApi(options: FakeWebexOptions): Promise<FakeWebexApi> {
  const now = (): string => new Date().toISOString();
  const state = createFakeState(options.bot, options.people ?? [], now);
  state.webhookDisable = { ...state.webhookDisable, ...options.webhookDisable };
  let serviceLinks: Record<string, string> = { ...options.u2cServiceLinks };
  const fetchImpl = options.fetch ?? fetch;
  const targets = createWebhookTargetPolicy(options.allowedWebhookTargets ?? 'loopback');
  let port = 0;
  const pending = new Set<Promise<unknown>>();
  const background = (p: Promise<unknown>): void => {
    const tracked = p.catch((err: unknown) =>
      options.logger?.warn({ err }, 'fake webex: background delivery failed'),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  const world: FakeWorld = {
    state,
    now,
    deliver: (ev) =>
      deliverWebhookEvent(
        state,
        ev,
        fetchImpl,
        (url) => targets.allows(url),
        () => Date.parse(now()),
      ),
  };
  const deliverOwn = options.deliverOwnMessages ?? true;
  const worldForRest: FakeWorld = deliverOwn ? world : { ...world, deliver: () => Promise.resolve([]) };

  const requests: RecordedRequest[] = [];
  const trackingId = (): string => `ROUTER_${randomUUID()}`;
  const faults = createFaultInjector(trackingId);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.setHeader('trackingid', trackingId());
    res.on('finish', () => {
      requests.push({
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        body: req.body as unknown,
      });
    });
    next();
  });
  app.use(loopbackHostGuard(() => port));
  app.use('/v1', faults.middleware);
  app.use('/v1', createRestRoutes(worldForRest, background, targets));
  // The SDK asks U2C for its service catalog with 3-part tokens (webex-platform.md 7.8); it prefers what this
  // lists to its discovery URLs, so a `hydra` here wins unless the bot pins hydra as an override.
  app.get(['/u2c/api/v1/limited/catalog', '/u2c/api/v1/catalog'], (_req, res) => {
    res.json({ serviceLinks, hostCatalog: {} });
  });
  app.use('/_sandbox', createSandboxRoutes(world));
  if (options.routes) app.use(options.routes);
  app.use((_req, res) => {
    webexError(res, 404, 'The requested resource could not be found.');
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) options.logger?.error({ err }, 'fake webex: route failed');
    webexError(res, status, status >= 500 ? 'Internal fake error' : 'Bad request');
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  ({ port } = server.address() as AddressInfo);
  const origin = `http://127.0.0.1:${port}`;

  const messagesIn = (roomId: string): FakeMessage[] =>
    [...state.messages.values()].filter((m) => m.roomId === roomId);
  const idle = async (): Promise<void> => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  return {
    url: `${origin}/v1`,
    origin,
    u2cUrl: `${origin}/u2c/api/v1`,
    state,
    requests,
    faults: faults.controls,
    allowWebhookTargets: (t) => targets.set(t),
    deactivateWebhooks: (which = () => true) => {
      const hit = [...state.webhooks.values()].filter((w) => which(w));
      for (const w of hit) w.status = 'inactive';
      return hit;
    },
    setU2cServiceLinks: (links) => {
      serviceLinks = { ...links };
    },
    createRoom: (input) => createRoom(world, input),
    addPerson: (seed) => {
      const p = addPerson(state, seed, now());
      return { id: p.id, email: p.emails[0] ?? seed.email };
    },
    addBotToRoom: async (roomId, byPersonId) => {
      await addBotToRoom(world, roomId, byPersonId);
    },
    userSays: async (input) => (await userSays(world, input)).message,
    userSubmits: async (input) => (await userSubmits(world, input)).action,
    envelopeFor: (ev) => {
      const [w] = webhooksFor(state, ev);
      if (!w) throw new FakeWebexInputError(400, `no webhook registered for ${ev.resource}`);
      return buildEnvelope(state, w, ev);
    },
    messagesIn,
    waitForMessages: async (predicate, timeoutMs = 5000) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const all = [...state.messages.values()];
        if (predicate(all)) return all;
        if (performance.now() > deadline)
          throw new Error(`fake webex: messages did not match within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    idle,
    close: async () => {
      await idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
