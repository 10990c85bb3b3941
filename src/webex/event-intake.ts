import { z } from 'zod';
import type { Logger } from '../log.js';
import type { Outbox } from '../bot/chat-event.js';
import type { HydratedContent } from './hydrated-content.js';
import type { IntakeStats, UnreadStep } from './intake-stats.js';
import type { EventOutcome, WebhookEnvelope } from './receiver.js';
import { backoffMs, type WebexRetryPolicy } from './retry-policy.js';
import { unreadClickReply } from './unread-click-reply.js';
import type { WebexAnswer, WebexCall } from './webex-call.js';

/** Extra tries of a 404 on the follow-up GET: REST can lag the event (webex-platform.md 1.4). */
const NOT_FOUND_RETRIES = 2;

const messageSchema = z
  .object({ id: z.string(), roomId: z.string(), personId: z.string(), text: z.string().optional() })
  .loose();
const actionSchema = z
  .object({ id: z.string(), messageId: z.string(), personId: z.string(), roomId: z.string() })
  .loose();
const personSchema = z.object({ id: z.string(), emails: z.array(z.string()) }).loose();
type Content = Record<string, unknown>;

type Read<T> =
  | { ok: true; value: T & Content }
  | { ok: false; status: number | null; trackingId: string | null; cause: unknown };

export interface EventIntakeOptions {
  /** Webex GETs with the send queue's policy: Retry-After on 429/423/503, jittered backoff on 5xx/network. */
  call: WebexCall;
  hydrated: HydratedContent;
  /** The bot's own person id (its posts come back as messages:created and need no reading). */
  botId: () => string;
  /**
   * Hands a verified envelope to the framework; resolves, once the framework has dispatched it, with the tasks it
   * started for this event (none: the framework dropped it).
   */
  handOver: (envelope: WebhookEnvelope) => Promise<Promise<void>[]>;
  /** Where the note to a clicker whose click could not be read goes (the send queue). */
  outbox: Outbox;
  stats: IntakeStats;
  policy: WebexRetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Logger;
}

export interface EventIntake {
  /** Reads, hands over and waits for one event; 'unread' when its content could not be read (reported). */
  receive(envelope: WebhookEnvelope): Promise<EventOutcome>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Lossless intake of messages and card actions. The framework fetches a message or card action after the 200
 * and swallows a failed fetch (lib/process-event.js), losing the event. So the intake reads the message or card
 * action and its author first, with retries; a read that fails for good is logged with Webex's tracking id,
 * counted, answered 'unread' (a replay of the delivery is then processed) and, for a card click, the clicker is
 * told in the card's thread. What was read is served to the framework's own reads (serveHydratedContent), and
 * an event the framework still did not dispatch is reported the same way: never silently dropped.
 */
export function createEventIntake(options: EventIntakeOptions): EventIntake {
  const { call, hydrated, stats, log } = options;

  async function read<S extends z.ZodType<Content>>(
    what: string,
    path: string,
    schema: S,
    context: Content,
  ): Promise<Read<z.infer<S>>> {
    let answer: WebexAnswer;
    for (let lag = 0; ; lag++) {
      answer = await call({ method: 'GET', path, what, context });
      if (answer.ok || answer.status !== 404 || lag >= NOT_FOUND_RETRIES) break;
      await options.sleep(backoffMs(options.policy, lag + 1, options.random));
    }
    if (!answer.ok)
      return { ok: false, status: answer.status, trackingId: answer.trackingId, cause: answer.cause };
    const parsed = schema.safeParse(answer.body);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      status: answer.status,
      trackingId: answer.trackingId,
      cause: new Error(
        `unexpected ${path} body: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      ),
    };
  }

  function unread(
    envelope: WebhookEnvelope,
    step: UnreadStep,
    failure: { status: number | null; trackingId: string | null; cause?: unknown },
  ): 'unread' {
    const recorded = stats.unread({
      resource: envelope.resource,
      event: envelope.event,
      dataId: envelope.data.id,
      step,
      status: failure.status,
      trackingId: failure.trackingId,
    });
    log.error(
      { err: failure.cause ?? undefined, webhookId: envelope.id, ...recorded },
      step === 'framework'
        ? 'webhook event lost: the framework did not dispatch it (see earlier warnings); a replay of the delivery will be processed'
        : `webhook event lost: its ${step === 'person' ? 'author' : step === 'cardAction' ? 'card action' : 'message'} could not be read from Webex after retries; a replay of the delivery will be processed`,
    );
    return 'unread';
  }

  async function tellClicker(envelope: WebhookEnvelope): Promise<void> {
    const roomId = str(envelope.data.roomId);
    if (roomId === null) return;
    try {
      await options.outbox.send([unreadClickReply(roomId, str(envelope.data.messageId))]);
      stats.clickerTold();
    } catch (err) {
      log.error(
        { err, dataId: envelope.data.id, roomId },
        'could not tell the clicker that their click was not read',
      );
    }
  }

  /** Primes what was read, hands the event over, and waits for the bot; 'unread' if nothing was dispatched. */
  async function handOver(envelope: WebhookEnvelope, primes: (() => void)[]): Promise<EventOutcome> {
    let tasks: Promise<void>[];
    try {
      tasks = await options.handOver(envelope);
    } finally {
      for (const release of primes) release();
    }
    if (tasks.length === 0) return unread(envelope, 'framework', { status: null, trackingId: null });
    await Promise.all(tasks);
    stats.processed();
    return 'handled';
  }

  async function message(envelope: WebhookEnvelope): Promise<EventOutcome> {
    const id = envelope.data.id;
    // The bot's own posts come back in direct spaces: nothing to read or answer.
    if (str(envelope.data.personId) === options.botId()) return 'handled';
    const m = await read('message read', `/messages/${encodeURIComponent(id)}`, messageSchema, {
      messageId: id,
    });
    if (!m.ok) return unread(envelope, 'message', m);
    if (m.value.personId === options.botId()) return 'handled';
    if ((m.value.text ?? '').trim() === '') {
      log.debug({ messageId: id }, 'message without text (files only) ignored');
      return 'handled';
    }
    const p = await read('person read', `/people/${encodeURIComponent(m.value.personId)}`, personSchema, {
      personId: m.value.personId,
    });
    if (!p.ok) return unread(envelope, 'person', p);
    return handOver(envelope, [
      hydrated.prime('message', id, m.value),
      hydrated.prime('person', p.value.id, p.value),
    ]);
  }

  async function cardAction(envelope: WebhookEnvelope): Promise<EventOutcome> {
    const id = envelope.data.id;
    const a = await read('card action read', `/attachment/actions/${encodeURIComponent(id)}`, actionSchema, {
      actionId: id,
    });
    if (!a.ok) {
      const outcome = unread(envelope, 'cardAction', a);
      await tellClicker(envelope);
      return outcome;
    }
    const p = await read('person read', `/people/${encodeURIComponent(a.value.personId)}`, personSchema, {
      personId: a.value.personId,
    });
    if (!p.ok) {
      const outcome = unread(envelope, 'person', p);
      await tellClicker(envelope);
      return outcome;
    }
    const outcome = await handOver(envelope, [
      hydrated.prime('attachmentAction', id, a.value),
      hydrated.prime('person', p.value.id, p.value),
    ]);
    if (outcome === 'unread') await tellClicker(envelope);
    return outcome;
  }

  return {
    async receive(envelope) {
      const kind = `${envelope.resource}:${envelope.event}`;
      if (kind === 'messages:created') return message(envelope);
      if (kind === 'attachmentActions:created') return cardAction(envelope);
      // Memberships and rooms: the framework reads them (retried by retrySdkReads) and spawns bots.
      await Promise.all(await options.handOver(envelope));
      return 'handled';
    },
  };
}
