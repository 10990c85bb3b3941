import { z } from 'zod';
import { AppError, VendorApiError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox, Reply, ReplyTarget } from '../bot/chat-event.js';

/** Webex's limit for `text`/`markdown`/`html`, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 7439;
/** Threaded messages whose root the queue remembers. */
const MAX_THREAD_ROOTS = 10_000;
const TRUNCATION_MARK = '\n\n… (truncated)';
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Answers retried after their `Retry-After` (or backoff when absent). */
const RETRY_AFTER_STATUSES = new Set([423, 429, 503]);

export interface SendQueueOptions {
  apiUrl: string;
  token: string;
  fetch: typeof fetch;
  logger: Logger;
  /** Waits between attempts; inject a fake in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 <= random() < 1, for backoff jitter. */
  random?: () => number;
  /** Attempts per message for 5xx/network errors, first one included (default 5). */
  maxAttempts?: number;
  /** Rate-limit answers (429/423/503) tolerated per message, on top of maxAttempts (default 8). */
  maxRateLimitRetries?: number;
  /** First backoff ceiling for 5xx/network errors (default 500 ms), doubled per retry up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured; longer asks are capped (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout (default 15 s). */
  timeoutMs?: number;
}

export interface SentMessage {
  id: string;
  roomId: string | null;
}

export interface SendQueue extends Outbox {
  /** Sends one reply after earlier replies to the same space; resolves with Webex's message. */
  post(reply: Reply): Promise<SentMessage>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
}

const sentSchema = z.object({ id: z.string(), roomId: z.string().optional() });
const errorBodySchema = z
  .object({ message: z.string().optional(), trackingId: z.string().optional() })
  .loose();

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, marking the cut. */
export function truncateUtf8(text: string, maxBytes: number = MAX_MESSAGE_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATION_MARK, 'utf8');
  let used = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > budget) break;
    used += n;
    out += ch;
  }
  return out + TRUNCATION_MARK;
}

function queueKey(to: ReplyTarget): string {
  if ('roomId' in to) return `room:${to.roomId}`;
  if ('personId' in to) return `person:${to.personId}`;
  return `email:${to.personEmail.toLowerCase()}`;
}

function messageBody(reply: Reply): Record<string, unknown> {
  const to = reply.to;
  const target =
    'roomId' in to
      ? { roomId: to.roomId }
      : 'personId' in to
        ? { toPersonId: to.personId }
        : { toPersonEmail: to.personEmail };
  return {
    ...target,
    markdown: truncateUtf8(reply.markdown),
    ...(reply.card === undefined
      ? {}
      : { attachments: [{ contentType: CARD_CONTENT_TYPE, content: reply.card }] }),
    ...(reply.parentId === undefined ? {} : { parentId: reply.parentId }),
  };
}

function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return null;
  return Math.round(Number(header) * 1000);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The only sender of bot messages: `POST {apiUrl}/messages` with per-space FIFO order (spaces run in
 * parallel), 429/423/503 `Retry-After`, bounded jittered retry of 5xx and network errors, and the tracking id
 * logged on final failure.
 */
export function createSendQueue(options: SendQueueOptions): SendQueue {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxRateLimitRetries = Math.max(0, options.maxRateLimitRetries ?? 8);
  const baseBackoff = options.baseBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const url = `${options.apiUrl.replace(/\/+$/, '')}/messages`;
  const log = options.logger.child({ component: 'send-queue' });
  /** Tail of each space's chain; removed when the space's queue drains. */
  const tails = new Map<string, Promise<void>>();

  const backoff = (retry: number): number => {
    const ceiling = Math.min(maxBackoff, baseBackoff * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  };

  async function deliver(reply: Reply): Promise<SentMessage> {
    const body = JSON.stringify(messageBody(reply));
    const target = queueKey(reply.to);
    /** Failed attempts (5xx, network) and rate-limit answers so far: separate budgets. */
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      let res: Response;
      try {
        res = await options.fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        failures += 1;
        if (failures >= maxAttempts) {
          log.error({ err, target, failures, rateLimited }, 'message not sent: network error');
          throw new VendorApiError(
            'webex',
            'WEBEX_SEND_FAILED',
            `message not sent after ${failures} attempts: network error`,
            {
              cause: err,
            },
          );
        }
        const wait = backoff(failures);
        log.warn({ err, target, failures, waitMs: wait }, 'message post failed (network), retrying');
        await sleep(wait);
        continue;
      }
      const text = await res.text().catch(() => '');
      if (res.ok) {
        const sent = sentSchema.safeParse(safeJson(text));
        if (!sent.success) {
          // Webex accepted the message; an odd body must not cause a duplicate post.
          log.warn(
            { target, status: res.status, trackingId: res.headers.get('trackingid') },
            'message sent, but the answer had no id',
          );
          return { id: '', roomId: null };
        }
        return { id: sent.data.id, roomId: sent.data.roomId ?? null };
      }
      const parsedError = errorBodySchema.safeParse(safeJson(text));
      const trackingId =
        (parsedError.success ? parsedError.data.trackingId : undefined) ?? res.headers.get('trackingid');
      const webexMessage = parsedError.success ? parsedError.data.message : undefined;
      // Rate limits are Webex asking us to wait, not errors: they have their own budget.
      const isRateLimit = RETRY_AFTER_STATUSES.has(res.status) && rateLimited < maxRateLimitRetries;
      if (isRateLimit) rateLimited += 1;
      else failures += 1;
      const retryable = isRateLimit || res.status >= 500;
      if (!retryable || failures >= maxAttempts) {
        log.error(
          { target, status: res.status, trackingId, webexMessage, failures, rateLimited },
          'message not sent: Webex refused it',
        );
        throw new VendorApiError(
          'webex',
          'WEBEX_SEND_FAILED',
          `message not sent: HTTP ${res.status} (tracking id ${trackingId ?? 'none'})`,
          {
            status: res.status,
            trackingId: trackingId ?? null,
          },
        );
      }
      const asked = RETRY_AFTER_STATUSES.has(res.status)
        ? retryAfterMs(res.headers.get('retry-after'))
        : null;
      const wait =
        asked === null
          ? backoff(Math.max(1, isRateLimit ? rateLimited : failures))
          : Math.min(asked, maxRetryAfter);
      log.warn(
        { target, status: res.status, trackingId, failures, rateLimited, waitMs: wait },
        'message post answered with a retryable status, retrying',
      );
      await sleep(wait);
    }
  }

  // Webex threads are one level deep: a reply to a reply must name the top-level message. We remember the
  // root of every threaded message we posted (bounded), so answering a click on a threaded card still works.
  const threadRoots = new Map<string, string>();
  const rememberRoot = (id: string, root: string): void => {
    threadRoots.set(id, root);
    if (threadRoots.size > MAX_THREAD_ROOTS) threadRoots.delete(threadRoots.keys().next().value as string);
  };

  function post(reply: Reply): Promise<SentMessage> {
    const key = queueKey(reply.to);
    const prev = tails.get(key) ?? Promise.resolve();
    const root = reply.parentId === undefined ? undefined : (threadRoots.get(reply.parentId) ?? reply.parentId);
    const run = prev.then(async () => {
      const sent = await deliver(root === undefined ? reply : { ...reply, parentId: root });
      if (root !== undefined) rememberRoot(sent.id, root);
      return sent;
    });
    // The chain continues after a failure: the failure is logged in deliver() and returned to the caller via `run`.
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  }

  return {
    post,
    async send(replies) {
      const results = await Promise.allSettled(replies.map((r) => post(r)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) {
        throw new AppError(
          'WEBEX_SEND_FAILED',
          `${failed.length} of ${replies.length} replies were not sent`,
          {
            cause: failed[0]?.reason,
          },
        );
      }
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
