import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createBot } from '../../src/bot/bot.js';
import { emptyLedger } from '../../src/domain/ledger.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import type { Reply } from '../../src/bot/chat-event.js';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const figma = makePool({ externalId: 'fg', productName: 'Figma Professional', totalSeats: 5 });
const text = (replies: readonly Reply[]): string => replies.map((r) => r.markdown).join('\n');
const toEmail = (r: Reply, email: string): boolean => 'personEmail' in r.to && r.to.personEmail === email;

describe('honest outcomes', () => {
  it('tells the requester which admins were not reached and that the others have the request', async () => {
    const t = createTestBot([figma], {
      adminSpaceId: null,
      deliver: (r) =>
        toEmail(r, 'bob@example.com')
          ? { ok: false, failure: 'forbidden', status: 403, trackingId: 'T1' }
          : null,
    });
    const replies = await t.say(PEOPLE.cy, 'request figma');
    expect(text(replies)).toBe(
      'Your request for Figma Professional is waiting for an admin. I could not notify bob@example.com: the bot is not allowed to message them. The other admins have it. You will get a direct message with the decision.',
    );
    expect(t.sent.filter((r) => toEmail(r, 'ada@example.com'))).toHaveLength(1);
  });

  it('lists every missed notice and words other refusals with their status', async () => {
    const t = createTestBot([figma], {
      adminSpaceId: null,
      deliver: () => ({ ok: false, failure: 'refused', status: 400, trackingId: null }),
    });
    const replies = await t.say(PEOPLE.cy, 'request figma');
    expect(text(replies)).toContain(
      'I could not notify:\n- ada@example.com: Webex refused the message (HTTP 400)\n- bob@example.com: Webex refused the message (HTTP 400)\n\nThe admins still find it in their list of pending requests. You will get a direct message with the decision.',
    );
  });

  it('reports a committed change as done when the bot fails after the commit, without "try again"', async () => {
    const data = emptyLedger();
    data.pools[figma.id] = figma;
    const inner = createMemorySeatStore(data);
    let committed = false;
    // A store that breaks on the first read after a committed write: the change is in, the answer cannot be built.
    const store: SeatStore = {
      read: () => {
        if (committed) throw new Error('read failed after the commit');
        return inner.read();
      },
      update: async (fn) => {
        const result = await inner.update(fn);
        committed = true;
        return result;
      },
      close: () => inner.close(),
      health: () => inner.health(),
    };
    const bot = createBot({
      store,
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      logger: createLogger({ level: 'silent' }),
      access: { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] },
      outbox: {
        send: () => Promise.resolve(),
        deliver: (r) => Promise.resolve(r.map(() => ({ ok: true as const, messageId: 'm' }))),
      },
      sync: null,
    });
    const [reply, ...rest] = await bot.handle({
      kind: 'message',
      id: 'msg-1',
      roomId: 'room-cy',
      roomType: 'direct',
      person: PEOPLE.cy,
      text: 'request figma',
      mentionedBot: true,
      parentId: null,
    });
    expect(rest).toEqual([]);
    expect(reply?.markdown).toMatch(
      /^Your request for Figma Professional is waiting for an admin\. That is done and recorded\. Something went wrong on my side after it, so this answer is short \(reference [0-9a-f]{8}\)\.$/,
    );
    expect(reply?.markdown).not.toMatch(/try again/i);
    expect(Object.values(inner.read().data.assignments)).toHaveLength(1);
  });
});
