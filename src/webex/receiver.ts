import type { Server } from 'node:http';
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { createReceiverServer } from './create-receiver-server.js';
import { healthRoute, type HealthReport } from './health-route.js';
import { createIntakeQueue, type IntakeQueueStats } from './intake-queue.js';
import { BODY_READ_STATUS, readLimitedBody } from './read-limited-body.js';
import { receiverLimits, type ReceiverLimits } from './receiver-limits.js';
import { verifySignature } from './verify-signature.js';
import { createWebhookDedupe, type WebhookDedupe } from './webhook-dedupe.js';

export type { HealthReport, HealthStatus } from './health-route.js';
export type { ReceiverLimits } from './receiver-limits.js';
export type { IntakeQueueStats } from './intake-queue.js';

/**
 * How processing an event ended: 'handled' (or nothing) = its content was read, so a replay is a duplicate;
 * 'unread' = its content could not be fetched from Webex (reported already), so a replay is processed.
 */
export type EventOutcome = 'handled' | 'unread';

/** Seconds a refused delivery is told to wait (Webex does not document redelivery; see README). */
const BUSY_RETRY_AFTER_SECONDS = 5;

/** A verified, parsed webhook envelope (doc 1.1); unknown fields are kept. */
export const webhookEnvelopeSchema = z
  .object({
    id: z.string().optional(),
    name: z.string(),
    resource: z.string().min(1),
    event: z.string().min(1),
    actorId: z.string().optional(),
    data: z.object({ id: z.string().min(1) }).loose(),
  })
  .loose();
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export interface ReceiverOptions {
  /** Route of the webhook POST, e.g. /webex/webhook. */
  path: string;
  /** Any of them verifies `X-Spark-Signature` (rotation: put the new one first). */
  secrets: readonly string[];
  /** Body, timeout and connection limits; defaults in DEFAULT_RECEIVER_LIMITS (64 KiB, 5 s/10 s/5 s, 256). */
  limits?: Partial<ReceiverLimits>;
  /** @deprecated Use `limits.maxBodyBytes`; used only when that is not set. */
  maxBodyBytes?: number;
  logger: Logger;
  /**
   * Called after the 200 for every verified, new event, at most `limits.maxInFlightEvents` at once (the rest
   * wait in a bounded queue); rejections are logged, never thrown. Resolve 'unread' when the event's content
   * could not be read, so that a replay of the delivery is processed instead of ignored as a duplicate.
   */
  onEvent: (envelope: WebhookEnvelope, rawBody: Buffer) => Promise<EventOutcome | void>;
  /** GET /healthz: `status` for everyone, the rest of the report only with `healthToken`. */
  health: () => HealthReport | Promise<HealthReport>;
  /** Bearer token that unlocks the detailed /healthz; null or absent = never served. */
  healthToken?: string | null;
  /** Replay filter: in memory by default (one instance); several instances share one (shared-webhook-dedupe.ts). */
  dedupe?: WebhookDedupe;
}

export interface Receiver {
  /** Express app with `POST <path>` and `GET /healthz`; mount it or serve it. */
  app: Express;
  /** Resolves when every accepted event has been processed (including ones accepted while draining). */
  drain(): Promise<void>;
  /** Events accepted and still being processed or waiting for a slot. */
  readonly inFlight: number;
  /** The event queue: running, waiting, peak, accepted and refused (503) counts, for /healthz. */
  readonly intake: IntakeQueueStats;
  /** The limits in force (defaults filled in). */
  readonly limits: ReceiverLimits;
  /** Serves `app` on a server that enforces `limits` (timeouts, connection cap); resolves once listening. */
  listen(port: number, host: string): Promise<Server>;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function bodyReadCode(err: unknown): keyof typeof BODY_READ_STATUS {
  return err instanceof AppError && err.code in BODY_READ_STATUS
    ? (err.code as keyof typeof BODY_READ_STATUS)
    : 'WEBHOOK_BODY_UNREADABLE';
}

interface QueuedEvent {
  envelope: WebhookEnvelope;
  raw: Buffer;
  key: string;
}

/** The log fields of one event (a child logger is made only when there is something to log: ~1 KB less per queued event). */
const eventFields = (e: WebhookEnvelope): Record<string, unknown> => ({
  webhookId: e.id,
  resource: e.resource,
  event: e.event,
  dataId: e.data.id,
});

/**
 * The webhook endpoint: raw body (size-limited) -> signature over the raw bytes -> parse -> dedupe ->
 * 200 at once -> `onEvent` in the background, tracked for `drain()`. A body that is refused unread (too
 * large, encoded) is answered with `Connection: close`, so the client cannot keep the socket busy with it.
 *
 * Back-pressure: accepted events run `maxInFlightEvents` at a time and a burst waits in a bounded queue
 * (`maxQueuedEvents`, `maxQueuedBytes`); only when that is full is a delivery answered 503 with Retry-After
 * (logged once per busy spell, counted in `intake.refused`). Webex does not document redelivery, so the queue,
 * not the 503, is what absorbs a burst.
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  if (options.secrets.filter((s) => s !== '').length === 0) {
    throw new TypeError('createReceiver: at least one webhook secret is required');
  }
  const log = options.logger.child({ component: 'receiver' });
  const dedupe = options.dedupe ?? createWebhookDedupe();
  const limits = receiverLimits({
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...options.limits,
  });
  const limit = limits.maxBodyBytes;
  let busySpell: { refused: number } | null = null;
  const queue = createIntakeQueue<QueuedEvent>({
    concurrency: limits.maxInFlightEvents,
    maxQueued: limits.maxQueuedEvents,
    maxQueuedBytes: limits.maxQueuedBytes,
    run: async (event) => {
      const outcome = await options.onEvent(event.envelope, event.raw);
      // Not read: forget the delivery, so that a replay of it is processed, not dropped as a duplicate.
      if (outcome === 'unread') await dedupe.forget(event.key);
    },
    onError: (err, event) => log.error({ err, ...eventFields(event.envelope) }, 'webhook handler failed'),
  });

  const app = express();
  app.disable('x-powered-by');

  app.post(options.path, async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readLimitedBody(req, limit);
    } catch (err) {
      const code = bodyReadCode(err);
      if (req.socket.destroyed) {
        log.warn({ err, code }, 'webhook dropped: the connection closed before the body was complete');
        return;
      }
      if (code === 'WEBHOOK_BODY_UNREADABLE') {
        log.warn({ err }, 'webhook rejected: body could not be read');
      } else {
        log.warn(
          { limit, code, declaredBytes: req.get('content-length') },
          'webhook rejected before reading the body',
        );
        // The rest of the body stays unread: close the connection instead of draining it.
        res.setHeader('Connection', 'close');
      }
      const message =
        err instanceof AppError && code !== 'WEBHOOK_BODY_UNREADABLE'
          ? err.message
          : 'body could not be read';
      return fail(res, BODY_READ_STATUS[code], code, message);
    }

    const signature = req.get('x-spark-signature');
    if (signature === undefined || signature === '') {
      log.warn({ bytes: raw.length }, 'webhook rejected: missing X-Spark-Signature');
      return fail(res, 401, 'WEBHOOK_SIGNATURE_MISSING', 'X-Spark-Signature header is required');
    }
    if (!verifySignature(raw, signature, options.secrets)) {
      log.warn({ bytes: raw.length }, 'webhook rejected: signature does not match');
      return fail(res, 401, 'WEBHOOK_SIGNATURE_INVALID', 'X-Spark-Signature does not match the body');
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ bytes: raw.length }, 'webhook rejected: malformed JSON');
      return fail(res, 400, 'WEBHOOK_MALFORMED_JSON', 'body is not valid JSON');
    }
    const parsed = webhookEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      log.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.')) },
        'webhook rejected: not a webhook envelope',
      );
      return fail(res, 400, 'WEBHOOK_INVALID_ENVELOPE', 'body is not a Webex webhook envelope');
    }
    const envelope = parsed.data;
    const key = `${envelope.resource}:${envelope.event}:${envelope.data.id}`;
    // Event fields go in the log call, not a child logger: with redaction, each child re-runs its setup.
    // Awaited: the shared (PostgreSQL) dedupe asks the database; it fails open, never rejects.
    if (await dedupe.seen(key)) {
      log.info(eventFields(envelope), 'webhook replay ignored');
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }

    if (!queue.offer({ envelope, raw, key }, raw.length)) {
      // Not accepted: a redelivery must not be taken for a duplicate.
      await dedupe.forget(key);
      if (busySpell === null) {
        busySpell = { refused: 0 };
        log.warn(
          {
            ...eventFields(envelope),
            ...queue.stats,
            limits: { maxInFlightEvents: limits.maxInFlightEvents, maxQueuedEvents: limits.maxQueuedEvents },
          },
          'webhook refused with 503: the event queue is full (logged once until it drains)',
        );
      }
      busySpell.refused += 1;
      res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
      return fail(res, 503, 'WEBHOOK_BUSY', 'too many events waiting; retry later');
    }
    if (busySpell !== null && queue.stats.queued === 0) {
      log.warn(
        { ...eventFields(envelope), refused: busySpell.refused },
        'webhook queue has room again; deliveries accepted',
      );
      busySpell = null;
    }
    res.status(200).json({ ok: true });
  });

  app.get(
    '/healthz',
    healthRoute({ health: options.health, token: options.healthToken ?? null, logger: log }),
  );

  return {
    app,
    drain() {
      return queue.drain();
    },
    get inFlight() {
      const { running, queued } = queue.stats;
      return running + queued;
    },
    get intake() {
      return queue.stats;
    },
    limits,
    listen(port, host) {
      const server = createReceiverServer(app, limits, log);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server);
        });
      });
    },
  };
}
