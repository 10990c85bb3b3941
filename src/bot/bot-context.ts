import type { Iso } from '../domain/ledger.js';
import type { LedgerCommand, LedgerResult, PersonActor } from '../domain/ledger-command.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { ChatPerson, Reply, ReplyTarget, RoomType } from './chat-event.js';
import type { BotDeps } from './bot-deps.js';

/** Everything a command or card action needs about the event it answers. */
export interface BotContext {
  deps: BotDeps;
  person: ChatPerson;
  actor: PersonActor;
  isAdmin: boolean;
  now: Iso;
  /** The zone dates are shown and days counted in (the schedule's). */
  timeZone: string;
  roomId: string;
  roomType: RoomType;
  /** Where the answer goes. */
  here: ReplyTarget;
  /** Thread to answer in: the card's message for card actions. */
  parentId: string | null;
  /** The Webex message or attachment-action id: the idempotency key of what this event changes. */
  eventId: string;
  source: 'chat' | 'card';
  /** Background work (e.g. a sync) the bot started; tests and shutdown await it. */
  track(work: Promise<unknown>): void;
  /** The ledger's words for each change this event committed (or replayed): what the actor must be told is done. */
  committed: string[];
}

export async function ledger(ctx: BotContext, command: LedgerCommand, keySuffix = ''): Promise<LedgerResult> {
  const result = await runLedgerCommand(ctx.deps.store, ctx.deps.clock, {
    command,
    actor: ctx.actor,
    source: ctx.source,
    idempotencyKey: `${ctx.eventId}${keySuffix}`,
  });
  if (result.ok && command.op !== 'noteRefusal') ctx.committed.push(result.message);
  return result;
}

export type Handler = (ctx: BotContext) => Promise<Reply[]>;
