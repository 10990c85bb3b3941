// People chatting with the bot through the fake Webex API: say, click a card button, read cards. Waits are
// bounded polls of the fake and the harness's drains, never fixed sleeps.
import type { FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import type { FakeWebexHarness } from '../support/fake-webex-harness.js';

export type Submit = { title: string; data: Record<string, unknown> };

/** Every Action.Submit in a card (actions, ActionSets, ShowCards), with its data. */
export function submitsOf(node: unknown, out: Submit[] = []): Submit[] {
  if (Array.isArray(node)) for (const n of node) submitsOf(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Submit')
      out.push({ title: String(o['title']), data: (o['data'] ?? {}) as Record<string, unknown> });
    for (const v of Object.values(o)) submitsOf(v, out);
  }
  return out;
}

export interface ChatDriver {
  /** Says `text` in `room` and returns the bot's messages there that followed, once they stop coming. */
  say(room: FakeRoom, who: { email: string }, text: string): Promise<FakeMessage[]>;
  /** Clicks the card's button whose data.action is `action` (with extra inputs) and returns the bot's messages in the card's room. */
  click(
    card: FakeMessage,
    who: { email: string },
    action: string,
    inputs?: Record<string, unknown>,
  ): Promise<FakeMessage[]>;
  /** The bot's messages in a room, oldest first. */
  botMessagesIn(roomId: string): FakeMessage[];
}

export function chatDriver(h: FakeWebexHarness): ChatDriver {
  const botMessagesIn = (roomId: string): FakeMessage[] =>
    h.fake.messagesIn(roomId).filter((m) => m.personId === h.adapter.bot.id);
  const after = async (roomId: string, act: () => Promise<unknown>): Promise<FakeMessage[]> => {
    const before = botMessagesIn(roomId).length;
    await act();
    await h.fake.waitForMessages(() => botMessagesIn(roomId).length > before, 8000);
    await h.settle();
    return botMessagesIn(roomId).slice(before);
  };
  return {
    botMessagesIn,
    say: (room, who, text) =>
      after(room.id, () => h.fake.userSays({ roomId: room.id, personEmail: who.email, text })),
    click: (card, who, action, inputs = {}) => {
      const button = submitsOf(card.attachments).find((s) => s.data['action'] === action);
      if (!button) throw new Error(`no ${action} button on the card`);
      return after(card.roomId, () =>
        h.fake.userSubmits({
          messageId: card.id,
          personEmail: who.email,
          inputs: { ...button.data, ...inputs },
        }),
      );
    },
  };
}
