import { randomUUID } from 'node:crypto';
import type { PersonActor } from '../domain/ledger-command.js';
import { parseCardAction } from '../cards/card-actions.js';
import type { ChatEvent, ChatHandler, Reply } from './chat-event.js';
import type { BotDeps } from './bot-deps.js';
import { ledger, type BotContext } from './bot-context.js';
import { COMMANDS } from './command-table.js';
import { normalizeText } from './command.js';
import { routeCardAction } from './card-routes.js';
import { answerError, answerFailure } from './answer-failure.js';
import { replyCard, replyText } from './reply-card.js';
import { poolSeats } from './commands/pool-seats.js';
import { safeMd } from '../cards/safe-md.js';
import { isAllowedEmail } from '../domain/is-allowed-email.js';
import { MAX_MESSAGE_CHARS, tooLong } from '../domain/input-limits.js';
import { DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';

export interface Bot extends ChatHandler {
  /** Resolves when background work the bot started (syncs) has finished. */
  drain(): Promise<void>;
}

/** The bot: a chat event in, replies out. Knows nothing of HTTP or the Webex SDK. */
export function createBot(deps: BotDeps): Bot {
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const guarded = work.catch((err: unknown) => deps.logger.error({ err }, 'background work failed'));
    background.add(guarded);
    void guarded.finally(() => background.delete(guarded));
  };

  async function handle(event: ChatEvent): Promise<Reply[]> {
    if (event.kind === 'botAdded') {
      return [replyText({ roomId: event.roomId }, safeMd`Hi! I manage software-license seats. Say **help** to see what I can do${event.roomType === 'group' ? safeMd` (mention me in this space).` : safeMd`.`}`)];
    }
    const person = { ...event.person, email: event.person.email.toLowerCase() };
    const isAdmin = deps.access.adminEmails.includes(person.email);
    const actor: PersonActor = { kind: 'person', personId: person.id, email: person.email, name: person.displayName, isAdmin };
    const ctx: BotContext = {
      deps,
      person,
      actor,
      isAdmin,
      now: deps.clock.now().toISOString(),
      timeZone: deps.timeZone ?? DEFAULT_TIME_ZONE,
      roomId: event.roomId,
      roomType: event.roomType,
      here: { roomId: event.roomId },
      parentId: event.kind === 'cardAction' ? event.messageId : null,
      eventId: event.id,
      source: event.kind === 'cardAction' ? 'card' : 'chat',
      track,
      committed: [],
    };
    // Event fields go in the log calls, not a child per event: with redaction, each child re-runs its setup.
    const fields = { eventId: event.id, kind: event.kind };
    if (!isAllowedEmail(person.email, deps.access.allowedEmailDomains)) {
      deps.logger.warn({ ...fields, domain: person.email.split('@')[1] }, 'refused a person outside the allowed email domains');
      return answerError(ctx, 'Not available', 'This bot serves only people of its own organization.');
    }
    try {
      return event.kind === 'message' ? await onMessage(ctx, event.text, event.roomType === 'direct' || event.mentionedBot) : await onCard(ctx, event.inputs);
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      deps.logger.error({ ...fields, err, ref, committed: ctx.committed.length }, 'handler failed');
      // A change already in the ledger is reported as done: asking to try again would invite a second one.
      if (ctx.committed.length > 0) return [replyText(ctx.here, safeMd`${ctx.committed.join(' ')} That is done and recorded. Something went wrong on my side after it, so this answer is short (reference ${ref}).`, ctx.parentId)];
      return [replyCard(ctx.here, 'error', { title: 'Something went wrong', message: 'Something went wrong on my side. Please try again; if it keeps failing, give an admin the reference below.', referenceId: ref }, ctx.parentId)];
    }
  }

  return {
    handle,
    async drain() {
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}

async function onMessage(ctx: BotContext, rawText: string, addressed: boolean): Promise<Reply[]> {
  if (!addressed) return [];
  // The budget comes before any matching: every pattern and the product search see at most this much.
  if (rawText.length > MAX_MESSAGE_CHARS) return answerError(ctx, 'Too long', tooLong('That message', MAX_MESSAGE_CHARS));
  const text = normalizeText(rawText);
  if (text === '') return [replyText(ctx.here, safeMd`Hi! Say **help** to see what I can do.`)];
  for (const command of COMMANDS) {
    const args = command.match(text);
    if (!args) continue;
    if (command.adminOnly && !ctx.isAdmin) {
      const result = await ledger(ctx, { op: 'noteRefusal', attempted: `use "${command.name}"` });
      if (!result.ok) return answerFailure(ctx, result);
    }
    return command.run(ctx, args);
  }
  // Not reached while the table ends with `seats`, which takes anything as a product name; kept so a table
  // without that catch-all still answers rather than staying silent.
  return poolSeats.run(ctx, { product: text });
}

async function onCard(ctx: BotContext, inputs: Record<string, unknown>): Promise<Reply[]> {
  const parsed = parseCardAction(inputs);
  if (!parsed.ok) return answerError(ctx, parsed.title, parsed.error);
  return routeCardAction(ctx, parsed.action);
}
