import { z } from 'zod';
import { AppError, VendorApiError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Reply, ReplyTarget } from '../bot/chat-event.js';
import type { NoticeOutbox } from '../bot/delivery.js';
import { truncateUtf8 } from './truncate-utf8.js';
import { createWebexCall, type WebexAnswer, type WebexCallOptions } from './webex-call.js';
import { createThreadRoots, type ParentLookup } from './thread-roots.js';
import { failedDelivery } from './failed-delivery.js';

/** Thread roots remembered (least recently used dropped first); a miss costs one `GET /messages/{id}`. */
const DEFAULT_MAX_THREAD_ROOTS = 10_000;
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface SendQueueOptions extends Omit<WebexCallOptions, 'log'> {
  logger: Logger;
  /** Size of the message -> thread root cache (default 10,000). */
  maxThreadRoots?: number;
}

export interface SentMessage {
  id: string;
  roomId: string | null;
  /** The top-level message it was posted under; null when top-level (also when Webex refused the parent). */
  parentId: string | null;
}

export interface SendQueue extends NoticeOutbox {
  /** Sends one reply after earlier replies to the same space; resolves with Webex's message. */
  post(reply: Reply): Promise<SentMessage>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
}

const sentSchema = z.object({ id: z.string(), roomId: z.string().optional() });
const messageSchema = z.object({ id: z.string(), parentId: z.string().optional() });

function queueKey(to: ReplyTarget): string {
  if ('roomId' in to) return `room:${to.roomId}`;
  if ('personId' in to) return `person:${to.personId}`;
  return `email:${to.personEmail.toLowerCase()}`;
}

function messageBody(reply: Reply, parentId: string | null): Record<string, unknown> {
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
    ...(parentId === null ? {} : { parentId }),
  };
}

/** Webex's answer to a POST with a parentId it will not take: the parent is gone, elsewhere or a reply. */
const refusesParent = (answer: WebexAnswer): answer is Extract<WebexAnswer, { ok: false }> =>
  !answer.ok && (answer.status === 400 || answer.status === 404);

/**
 * The only sender of bot messages: `POST {apiUrl}/messages` with per-space FIFO order (spaces run in parallel),
 * the retry policy of webex-call (429/423/503 `Retry-After`, bounded jittered retry of 5xx and network errors),
 * and the tracking id logged on final failure.
 *
 * Threads: a reply names any message of a thread (`Reply.parentId`, e.g. the card that was clicked) and is
 * posted under that thread's top-level message, as Webex requires. Roots come from a bounded cache filled by
 * our own posts and, on a miss (after a restart), by reading the message from Webex: nothing to persist, and
 * Webex stays the source of truth. When Webex refuses the parent (400/404) the reply is posted unthreaded
 * rather than lost, and the refusal is logged with its tracking id.
 */
export function createSendQueue(options: SendQueueOptions): SendQueue {
  const log = options.logger.child({ component: 'send-queue' });
  const call = createWebexCall({ ...options, log });
  /** Tail of each space's chain; removed when the space's queue drains. */
  const tails = new Map<string, Promise<void>>();

  const lookup: ParentLookup = async (messageId) => {
    const answer = await call({
      method: 'GET',
      path: `/messages/${encodeURIComponent(messageId)}`,
      what: 'thread parent lookup',
      context: { messageId },
    });
    if (!answer.ok) {
      log.warn(
        { err: answer.cause ?? undefined, messageId, status: answer.status, trackingId: answer.trackingId },
        'could not read a thread parent from Webex; replying to it as is',
      );
      return null;
    }
    const parsed = messageSchema.safeParse(answer.body);
    return parsed.success ? { parentId: parsed.data.parentId ?? null } : null;
  };
  const threads = createThreadRoots({ lookup, max: options.maxThreadRoots ?? DEFAULT_MAX_THREAD_ROOTS, log });

  const postMessage = (reply: Reply, parentId: string | null, target: string): Promise<WebexAnswer> =>
    call({
      method: 'POST',
      path: '/messages',
      body: messageBody(reply, parentId),
      what: 'message post',
      context: { target },
    });

  /** Logs a final failure with its tracking id and turns it into the caller's error. */
  function notSent(answer: Extract<WebexAnswer, { ok: false }>, target: string): VendorApiError {
    const { status, trackingId, webexMessage, failures, rateLimited } = answer;
    if (status === null) {
      log.error({ err: answer.cause, target, failures, rateLimited }, 'message not sent: network error');
      return new VendorApiError(
        'webex',
        'WEBEX_SEND_FAILED',
        `message not sent after ${failures} attempts: network error`,
        { cause: answer.cause },
      );
    }
    log.error(
      { target, status, trackingId, webexMessage, failures, rateLimited },
      'message not sent: Webex refused it',
    );
    return new VendorApiError(
      'webex',
      'WEBEX_SEND_FAILED',
      `message not sent: HTTP ${status} (tracking id ${trackingId ?? 'none'})`,
      { status, trackingId },
    );
  }

  async function deliver(reply: Reply, target: string): Promise<SentMessage> {
    let parentId = reply.parentId === undefined ? null : await threads.rootOf(reply.parentId);
    let answer = await postMessage(reply, parentId, target);
    if (parentId !== null && refusesParent(answer)) {
      log.warn(
        {
          target,
          parentId,
          status: answer.status,
          trackingId: answer.trackingId,
          webexMessage: answer.webexMessage,
        },
        'Webex refused the thread parent; posting the reply unthreaded',
      );
      threads.forget(parentId);
      if (reply.parentId !== undefined) threads.forget(reply.parentId);
      parentId = null;
      answer = await postMessage(reply, null, target);
    }
    if (!answer.ok) throw notSent(answer, target);
    const sent = sentSchema.safeParse(answer.body);
    if (!sent.success) {
      // Webex accepted the message; an odd body must not cause a duplicate post.
      log.warn(
        { target, status: answer.status, trackingId: answer.trackingId },
        'message sent, but the answer had no id',
      );
      return { id: '', roomId: null, parentId };
    }
    threads.remember(sent.data.id, parentId ?? sent.data.id);
    return { id: sent.data.id, roomId: sent.data.roomId ?? null, parentId };
  }

  function post(reply: Reply): Promise<SentMessage> {
    const key = queueKey(reply.to);
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(() => deliver(reply, key));
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
          { cause: failed[0]?.reason },
        );
      }
    },
    deliver(replies) {
      return Promise.all(
        replies.map((r) =>
          post(r).then(
            (sent) => ({ ok: true as const, messageId: sent.id }),
            (err: unknown) => failedDelivery(err),
          ),
        ),
      );
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
