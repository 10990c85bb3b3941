import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { textBlocks } from '../cards/card-inspect.js';
import { HOSTILE, LONG, asRead, liveMarkup, shownAs } from '../cards/hostile-strings.js';
import { nameInText } from '../../src/domain/name-in-text.js';
import type { Reply } from '../../src/bot/chat-event.js';

/** Checks one reply: nothing live on either surface; no backslash the user did not type. */
function expectClean(reply: Reply, typed: string, label: string): void {
  for (const line of reply.markdown.split('\n')) expect(liveMarkup(line, 'message'), `${label}: ${line}`).toEqual([]);
  for (const t of reply.card ? textBlocks(reply.card) : []) expect(liveMarkup(t, 'card'), `${label}: ${t}`).toEqual([]);
  if (!typed.includes('\\')) {
    expect(reply.markdown, label).not.toContain('\\');
    expect(JSON.stringify(reply.card ?? {}), label).not.toContain('\\\\');
  }
}

describe('hostile text through the real bot: nothing injected, the bot\'s own words intact', () => {
  for (const [kind, name] of Object.entries({ ...HOSTILE, long: LONG })) {
    it(`${kind}: as a product name, a reason, a note and a display name`, async () => {
      const pool = makePool({ externalId: 'nasty', productName: name, totalSeats: 3, consumedSeats: 0 });
      const t = createTestBot([pool]);
      const cy = { ...PEOPLE.cy, displayName: name.slice(0, 300) };

      const [confirmation] = await t.click(cy, { action: 'seat.request', poolId: pool.id, reason: name.slice(0, 300) });
      expectClean(confirmation!, name, 'confirmation');
      // The bot's sentence is exactly as written around the product name, even around a 2,000-character one.
      expect(confirmation!.markdown).toMatch(/^Your request for .+ is waiting for an admin\. I asked the license admins; you will get a direct message with the decision\.$/);
      if (kind === 'long') expect(confirmation!.markdown).toContain(`Your request for ${nameInText(LONG)} is waiting`);
      else expect(asRead(confirmation!.markdown)).toContain(shownAs(name));

      const approval = t.sent.at(-1)!;
      expectClean(approval, name, 'approval card');
      expect(textBlocks(approval.card)[0]).toBe('Seat request');

      const seat = Object.values(t.store.read().data.assignments)[0]!;
      const decision = await t.click(PEOPLE.ada, { action: 'seat.deny', assignmentId: seat.id, note: name.slice(0, 300) }, { roomId: 'room-admins' });
      for (const r of [...decision, ...t.sent.slice(-1)]) {
        expectClean(r, name, 'decision');
        expect(r.markdown.split('\n')[0]).toBe('**🚫 Request denied**');
      }
      for (const [who, text] of [
        [cy, 'my seats'],
        [cy, 'licenses'],
        [cy, 'expiring 3650'],
        [PEOPLE.ada, 'pending'],
        [PEOPLE.ada, 'help'],
      ] as const) {
        for (const r of await t.say(who, text)) expectClean(r, name, text);
      }
      const [granted] = await t.say(PEOPLE.ada, `grant nasty to bob@example.com`);
      if (granted) expectClean(granted, name, 'grant');
    });
  }

  it('plain replies keep their snapshot: the bot\'s words as written, user text inert and readable', async () => {
    const name = Object.values(HOSTILE).slice(0, 5).join(' | ');
    const pool = makePool({ externalId: 'nasty', productName: name, totalSeats: 3, consumedSeats: 0 });
    const t = createTestBot([pool], { deliver: (r) => (r.card ? { ok: false, failure: 'not_found', status: 404, trackingId: 'tr-1' } : null) });
    const [confirmation] = await t.click(PEOPLE.cy, { action: 'seat.request', poolId: pool.id, reason: 'needed' });
    const [digest] = await t.say(PEOPLE.cy, 'digest on');
    expect([confirmation?.markdown, digest?.markdown]).toMatchSnapshot();
  });
});
