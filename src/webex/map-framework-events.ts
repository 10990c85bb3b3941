import type Framework from 'webex-node-bot-framework';
import type { Logger } from '../log.js';
import type { ChatEvent, ChatPerson, RoomType } from '../bot/chat-event.js';
import { isRecord } from './is-record.js';
import { stripMention, type MentionTarget } from './strip-mention.js';

export interface MapFrameworkEventsDeps {
  /** The bot itself, as known once the framework has started. */
  self: () => MentionTarget;
  /** Runs a task for the envelope whose data.id is `key`, logging its failure. */
  track: (key: string, run: () => Promise<void>) => void;
  /** Hands a ChatEvent to the bot and sends its replies. */
  dispatch: (event: ChatEvent) => Promise<void>;
  log: Logger;
}

function chatPerson(p: Framework.Person | undefined, expectedId: string): ChatPerson | null {
  if (p === undefined || p.id !== expectedId) return null;
  const email = p.emails?.[0]?.trim().toLowerCase();
  if (email === undefined || email === '') return null;
  return { id: p.id, email, displayName: p.displayName ?? email };
}

function roomTypeOf(bot: Framework.Bot, fallback?: string): RoomType {
  const t = bot.room.type ?? fallback;
  return t === 'direct' ? 'direct' : 'group';
}

/** Turns the framework's message, attachmentAction and spawn events into ChatEvents for `dispatch`. */
export function mapFrameworkEvents(framework: Framework, deps: MapFrameworkEventsDeps): void {
  const { self, track, dispatch, log } = deps;
  framework.on('message', (bot: Framework.Bot, trigger: Framework.MessageTrigger) => {
    track(trigger.message.id, async () => {
      const me = self();
      const m = trigger.message;
      if (m.personId === me.id) return;
      const roomType = roomTypeOf(bot, m.roomType);
      const mentionedBot = (m.mentionedPeople ?? []).includes(me.id);
      if (roomType === 'group' && !mentionedBot) return;
      const person = chatPerson(trigger.person, m.personId);
      if (person === null) {
        log.warn({ messageId: m.id }, 'message ignored: sender has no usable person record');
        return;
      }
      const raw = m.text ?? '';
      const text = mentionedBot ? stripMention(raw, m.html, me) : raw.trim();
      await dispatch({
        kind: 'message',
        id: m.id,
        roomId: m.roomId,
        roomType,
        person,
        text,
        mentionedBot,
        parentId: m.parentId ?? null,
      });
    });
  });

  framework.on('attachmentAction', (bot: Framework.Bot, trigger: Framework.AttachmentActionTrigger) => {
    const a = trigger.attachmentAction;
    track(a.id, async () => {
      // The actor is the person Webex reports for the action, never anything from the inputs.
      const person = chatPerson(trigger.person, a.personId);
      if (person === null) {
        log.warn({ actionId: a.id }, 'card action ignored: actor has no usable person record');
        return;
      }
      await dispatch({
        kind: 'cardAction',
        id: a.id,
        messageId: a.messageId,
        roomId: a.roomId,
        roomType: roomTypeOf(bot),
        person,
        inputs: isRecord(a.inputs) ? a.inputs : {},
      });
    });
  });

  framework.on('spawn', (bot: Framework.Bot, _id: string, addedBy?: string) => {
    // Spawns without addedBy are (late) discoveries of existing spaces: never greet there.
    if (addedBy === undefined || addedBy === '') return;
    track(bot.membership.id, () =>
      dispatch({
        kind: 'botAdded',
        roomId: bot.room.id,
        roomType: roomTypeOf(bot),
        title: bot.room.title ?? null,
        addedBy,
      }),
    );
  });
}
