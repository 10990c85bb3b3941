import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { verifySignature } from './verify-signature.js';
import { createWebhookDedupe, type WebhookDedupe } from './webhook-dedupe.js';

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

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverOptions {
  /** Route of the webhook POST, e.g. /webex/webhook. */
  path: string;
  /** Any of them verifies `X-Spark-Signature` (rotation: put the new one first). */
  secrets: readonly string[];
  maxBodyBytes?: number;
  logger: Logger;
  /** Called after the 200 for every verified, new event; rejections are logged, never thrown. */
  onEvent: (envelope: WebhookEnvelope, rawBody: Buffer) => Promise<void>;
  /** Body of GET /healthz. */
  health: () => unknown;
  dedupe?: WebhookDedupe;
}

export interface Receiver {
  /** Express app with `POST <path>` and `GET /healthz`; mount it or serve it. */
  app: Express;
  /** Resolves when every accepted event has been processed (including ones accepted while draining). */
  drain(): Promise<void>;
  /** Events accepted and still being processed. */
  readonly inFlight: number;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * The webhook endpoint: raw body (size-limited) -> signature over the raw bytes -> parse -> dedupe ->
 * 200 at once -> `onEvent` in the background, tracked for `drain()`.
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  if (options.secrets.filter((s) => s !== '').length === 0) {
    throw new TypeError('createReceiver: at least one webhook secret is required');
  }
  const log = options.logger.child({ component: 'receiver' });
  const dedupe = options.dedupe ?? createWebhookDedupe();
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rawParser = express.raw({ type: () => true, limit, inflate: true });
  const inFlight = new Set<Promise<void>>();

  const readRaw = (req: Request, res: Response): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      rawParser(req, res, (err?: unknown) => {
        if (err !== undefined)
          reject(err instanceof Error ? err : new Error('request body could not be read'));
        else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });

  const app = express();
  app.disable('x-powered-by');

  app.post(options.path, async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readRaw(req, res);
    } catch (err) {
      const type = (err as { type?: unknown }).type;
      const status = (err as { status?: unknown }).status;
      if (type === 'entity.too.large') {
        log.warn({ limit }, 'webhook rejected: body too large');
        return fail(res, 413, 'WEBHOOK_BODY_TOO_LARGE', `body exceeds ${limit} bytes`);
      }
      log.warn({ err }, 'webhook rejected: body could not be read');
      return fail(
        res,
        typeof status === 'number' && status >= 400 && status < 500 ? status : 400,
        'WEBHOOK_BODY_UNREADABLE',
        'body could not be read',
      );
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

  app.get('/healthz', async (_req, res) => {
    try {
      res.status(200).json((await options.health()) ?? {});
    } catch (err) {
      log.error({ err }, 'health check failed');
      fail(res, 500, 'HEALTH_CHECK_FAILED', 'health check failed');
    }
  });

  return {
    app,
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
