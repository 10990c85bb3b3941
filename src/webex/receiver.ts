import type { Server } from 'node:http';
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { createReceiverServer } from './create-receiver-server.js';
import { healthRoute, type HealthReport } from './health-route.js';
import { BODY_READ_STATUS, readLimitedBody } from './read-limited-body.js';
import { receiverLimits, type ReceiverLimits } from './receiver-limits.js';
import { verifySignature } from './verify-signature.js';
import { createWebhookDedupe, type WebhookDedupe } from './webhook-dedupe.js';

export type { HealthReport, HealthStatus } from './health-route.js';
export type { ReceiverLimits } from './receiver-limits.js';

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
  /** Called after the 200 for every verified, new event; rejections are logged, never thrown. */
  onEvent: (envelope: WebhookEnvelope, rawBody: Buffer) => Promise<void>;
  /** GET /healthz: `status` for everyone, the rest of the report only with `healthToken`. */
  health: () => HealthReport | Promise<HealthReport>;
  /** Bearer token that unlocks the detailed /healthz; null or absent = never served. */
  healthToken?: string | null;
  dedupe?: WebhookDedupe;
}

export interface Receiver {
  /** Express app with `POST <path>` and `GET /healthz`; mount it or serve it. */
  app: Express;
  /** Resolves when every accepted event has been processed (including ones accepted while draining). */
  drain(): Promise<void>;
  /** Events accepted and still being processed. */
  readonly inFlight: number;
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

/**
 * The webhook endpoint: raw body (size-limited) -> signature over the raw bytes -> parse -> dedupe ->
 * 200 at once -> `onEvent` in the background, tracked for `drain()`. A body that is refused unread (too
 * large, encoded) is answered with `Connection: close`, so the client cannot keep the socket busy with it.
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
  const inFlight = new Set<Promise<void>>();

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
    const elog = log.child({
      webhookId: envelope.id,
      resource: envelope.resource,
      event: envelope.event,
      dataId: envelope.data.id,
    });
    if (dedupe.seen(key)) {
      elog.info('webhook replay ignored');
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }

    res.status(200).json({ ok: true });
    const task = Promise.resolve()
      .then(() => options.onEvent(envelope, raw))
      .catch((err: unknown) => {
        elog.error({ err }, 'webhook handler failed');
      })
      .finally(() => {
        inFlight.delete(task);
      });
    inFlight.add(task);
  });

  app.get(
    '/healthz',
    healthRoute({ health: options.health, token: options.healthToken ?? null, logger: log }),
  );

  return {
    app,
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    get inFlight() {
      return inFlight.size;
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
