import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const zoho = makePool(
  {
    externalId: 'zc',
    productName: 'Zoho CRM Enterprise',
    vendor: 'zoho_crm',
    totalSeats: 25,
    consumedSeats: 20,
  },
  'zoho_crm',
);
const figma = makePool({
  externalId: 'fg',
  productName: 'Figma Professional',
  totalSeats: 5,
  consumedSeats: 0,
  policy: { approval: 'auto', minFreeSeats: 1 },
});
const sketch = makePool({ externalId: 'sk', productName: 'Sketch Teams', totalSeats: 4, consumedSeats: 1 });
const pools = [zoho, figma, sketch];

describe('a message that names no license and fits no command', () => {
  it.each([
    'what is the weather today?',
    'can you book a meeting room for me tomorrow',
    'the coffee machine on the third floor is broken again',
    'why?',
  ])('"%s" gets a short pointer to help with examples, not "I know no license called"', async (message) => {
    const t = createTestBot(pools);
    const [reply] = await t.say(PEOPLE.cy, message);
    expect(reply?.card).toBeUndefined();
    expect(reply?.markdown).toMatch(
      /^I did not understand that\. Try "licenses", "how many Sketch Teams seats are left\?" or "I need Sketch Teams for 2 weeks", or say \*\*help\*\*/,
    );
    expect(reply?.markdown).not.toMatch(/no license called/i);
  });

  it('answers a greeting or only emoji with the same pointer, as a greeting', async () => {
    const t = createTestBot(pools);
    for (const message of ['hi', 'Thanks!', '👋', '?']) {
      const [reply] = await t.say(PEOPLE.cy, message);
      expect(reply?.markdown, message).toMatch(/^Hi! I manage software-license seats\. Try "licenses"/);
    }
  });

  it('still says "did you mean" for a near-miss product name, and "no license called" for a short unknown one', async () => {
    const t = createTestBot(pools);
    const [typo] = await t.say(PEOPLE.cy, 'figma profesional');
    expect(cardText(typo)).toContain('Figma Professional');
    const [typoInQuestion] = await t.say(PEOPLE.cy, 'how many Zoho CRN Enterprize seats are left?');
    expect(cardText(typoInQuestion)).toContain('Zoho CRM Enterprise');
    const [unknown] = await t.say(PEOPLE.cy, 'photoshp');
    expect(unknown?.markdown).toMatch(/no license called/i);
    expect(unknown?.markdown).toContain('photoshp');
  });

  it('offers the licenses a sentence names by one of its words, as "did you mean"', async () => {
    const t = createTestBot(pools);
    const [reply] = await t.say(PEOPLE.cy, 'is zoho any good for the sales team?');
    expect(cardText(reply)).toContain('Zoho CRM Enterprise');
    expect(cardText(reply)).toContain('pool.show');
    expect(cardText(reply)).not.toContain('Figma');
  });
});

describe('emoji and full-width text', () => {
  it('matches product names typed full-width or among emoji', async () => {
    const t = createTestBot(pools);
    for (const message of [
      'Ｆｉｇｍａ Ｐｒｏｆｅｓｓｉｏｎａｌ',
      'how many Ｚｏｈｏ ＣＲＭ seats are left？',
      '🎨 Figma Professional ✅',
      'how many 🎨 Figma seats are left? 🙏',
      '«Sketch» seats?',
    ]) {
      const [reply] = await t.say(PEOPLE.cy, message);
      expect(reply?.markdown, message).toMatch(/of \d+|seats? free|available/i);
      expect(reply?.card, message).toBeDefined();
    }
    expect(cardText((await t.say(PEOPLE.cy, 'ｈｏｗ ｍａｎｙ Ｚｏｈｏ seats are left？'))[0])).toContain(
      'Zoho CRM Enterprise',
    );
    expect(cardText((await t.say(PEOPLE.cy, '¿any free Sketch seats?'))[0])).toContain('Sketch Teams');
  });

  it('keeps a reason as written and turns "for 2 weeks" into days', async () => {
    const t = createTestBot(pools);
    await t.say(PEOPLE.cy, "I need Figma Professional for 2 weeks because I'm redesigning the App 🎨");
    const seat = Object.values(t.store.read().data.assignments)[0];
    expect(seat?.reason).toBe("I'm redesigning the App");
    const days = (Date.parse(seat?.expiresAt ?? '') - Date.parse('2026-03-02T09:00:00.000Z')) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(14);
    expect(days).toBeLessThan(15);
  });
});
