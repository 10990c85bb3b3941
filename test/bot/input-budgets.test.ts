import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import type { LicensePool } from '../../src/domain/ledger.js';
import {
  MAX_CARD_INPUT_CHARS,
  MAX_CARD_INPUTS,
  MAX_ID_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_PRODUCT_QUERY_CHARS,
} from '../../src/domain/input-limits.js';
import { MAX_TEXT } from '../../src/domain/ledger-command.js';
import { findProduct } from '../../src/bot/find-product.js';

const figma = makePool({
  externalId: 'fg',
  productName: 'Figma Professional',
  totalSeats: 5,
  consumedSeats: 0,
});
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

/** The error card's message line of a reply's markdown fallback. */
const messageLine = (markdown: string | undefined): string | undefined => markdown?.split('\n')[1];

describe('budgets on chat input', () => {
  it(`refuses a message over ${MAX_MESSAGE_CHARS} characters before matching anything, in the bot's own words`, async () => {
    const t = createTestBot([figma]);
    const [reply] = await t.say(PEOPLE.cy, `seats ${'x'.repeat(MAX_MESSAGE_CHARS)}`);
    expect(reply?.markdown).toBe(
      `**⚠️ Too long**\nThat message is too long (at most ${MAX_MESSAGE_CHARS} characters).`,
    );
    expect(reply?.markdown).not.toContain('\\');
    // Exactly at the budget the message is read (and its product name is then too long).
    const [atLimit] = await t.say(PEOPLE.cy, 'x'.repeat(MAX_MESSAGE_CHARS));
    expect(messageLine(atLimit?.markdown)).toBe(
      `That product name is too long (at most ${MAX_PRODUCT_QUERY_CHARS} characters).`,
    );
  });

  it(`refuses a product name over ${MAX_PRODUCT_QUERY_CHARS} characters in every command that takes one`, async () => {
    const t = createTestBot([figma]);
    const long = `${'figma '.repeat(33)}prof`; // 202 characters, all of them plausible words
    expect(long.length).toBeGreaterThan(MAX_PRODUCT_QUERY_CHARS);
    for (const [who, text] of [
      [PEOPLE.cy, `seats ${long}`],
      [PEOPLE.cy, long],
      [PEOPLE.cy, `request ${long} for 3 days`],
      [PEOPLE.cy, `release ${long}`],
      [PEOPLE.ada, `who has ${long}`],
      [PEOPLE.ada, `grant ${long} to cy@example.com`],
      [PEOPLE.ada, `revoke ${long} from cy@example.com`],
    ] as const) {
      const [reply] = await t.say(who, text);
      expect(messageLine(reply?.markdown), text.slice(0, 20)).toBe(
        `That product name is too long (at most ${MAX_PRODUCT_QUERY_CHARS} characters).`,
      );
      expect(reply?.markdown).not.toContain('\\');
    }
    expect(Object.keys(t.store.read().data.assignments)).toHaveLength(0);
    // Exactly at the budget the name is looked up as usual.
    const [atLimit] = await t.say(PEOPLE.cy, `seats ${'q'.repeat(MAX_PRODUCT_QUERY_CHARS)}`);
    expect(atLimit?.markdown).toMatch(/I know no license called/);
  });
});

describe('budgets on card input', () => {
  it('refuses a submit with too many inputs or an over-long value before reading its action', async () => {
    const t = createTestBot([figma]);
    const many = Object.fromEntries(Array.from({ length: MAX_CARD_INPUTS + 1 }, (_, i) => [`k${i}`, 'v']));
    const [tooMany] = await t.click(PEOPLE.cy, { ...many, action: 'pool.show', poolId: figma.id });
    expect(tooMany?.markdown).toMatch(/That card sent more than a card of mine can/);
    const [tooLong] = await t.click(PEOPLE.cy, {
      action: 'pool.show',
      poolId: figma.id,
      stray: 'x'.repeat(MAX_CARD_INPUT_CHARS + 1),
    });
    expect(tooLong?.markdown).toMatch(/That card sent more than a card of mine can/);
    const [nested] = await t.click(PEOPLE.cy, { action: 'pool.show', poolId: { id: figma.id } });
    expect(nested?.markdown).toMatch(/That card sent more than a card of mine can/);
    const [fine] = await t.click(PEOPLE.cy, { action: 'pool.show', poolId: figma.id });
    expect(cardText(fine)).toContain('Figma Professional');
  });

  it(`caps ids at ${MAX_ID_CHARS} and reasons and notes at ${MAX_TEXT} characters`, async () => {
    const t = createTestBot([figma]);
    const [longId] = await t.click(PEOPLE.cy, { action: 'pool.show', poolId: 'p'.repeat(MAX_ID_CHARS + 1) });
    expect(longId?.markdown).toMatch(/This card sent something I cannot read/);
    const [longReason] = await t.click(PEOPLE.cy, {
      action: 'seat.request',
      poolId: figma.id,
      reason: 'r'.repeat(MAX_TEXT + 1),
    });
    expect(longReason?.markdown).toMatch(new RegExp(`The reason is too long \\(at most ${MAX_TEXT} characters\\)`));
    const [longNote] = await t.click(PEOPLE.ada, {
      action: 'seat.deny',
      assignmentId: 'seat_x',
      note: 'n'.repeat(MAX_TEXT + 1),
    });
    expect(longNote?.markdown).toMatch(new RegExp(`The note is too long \\(at most ${MAX_TEXT} characters\\)`));
    expect(Object.keys(t.store.read().data.assignments)).toHaveLength(0);
  });
});

const WORDS = [
  'Adobe',
  'Acrobat',
  'Pro',
  'Slack',
  'Jira',
  'Confluence',
  'Meetings',
  'Calling',
  'Enterprise',
  'Standard',
  'Team',
  'Cloud',
  'Suite',
  'Studio',
  'Design',
  'Premium',
];

/** 20,000 pools with realistic, overlapping names, and three real products among them. */
function bigLedger(): LicensePool[] {
  const pools = Array.from({ length: 20_000 }, (_, i) =>
    makePool({
      externalId: `p${i}`,
      productName: `${WORDS[i % 16]} ${WORDS[(i * 7) % 16]} ${WORDS[(i * 13) % 16]} ${i}`,
      sku: i % 3 === 0 ? `SKU-${i}` : null,
    }),
  );
  return [
    ...pools,
    figma,
    zoho,
    makePool({ externalId: 'wm', productName: 'Webex Meetings', vendor: 'webex' }, 'webex'),
  ];
}

/** Event-loop time of one bot.handle (the bot is synchronous up to the memory store): median of three runs. */
async function loopMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

describe('product search cost, whatever the number of pools', () => {
  const pools = bigLedger();
  const t = createTestBot(pools);

  it('builds its lookup index once per set of pools (after each sync), then answers ordinary questions', async () => {
    const start = performance.now();
    const [first] = await t.say(PEOPLE.cy, 'seats zoho crm');
    const buildMs = performance.now() - start;
    expect(cardText(first)).toContain('Zoho CRM Enterprise');
    expect(buildMs).toBeLessThan(2000);
  });

  it('answers a 7,000-character product name within 100 ms of event-loop time with 20,000 pools', async () => {
    const query = 'Photoshop Creative Cloud '.repeat(280).slice(0, 7000);
    let reply: string | undefined;
    const ms = await loopMs(async () => {
      reply = (await t.say(PEOPLE.cy, query))[0]?.markdown;
    });
    expect(reply).toMatch(/too long/);
    expect(ms).toBeLessThan(100);
    // Bounded also when called directly, without the bot's budget in front of it.
    const inStore = t.store.read().pools();
    let kind: string | undefined;
    const directMs = await loopMs(() => {
      kind = findProduct(inStore, query).kind;
      return Promise.resolve();
    });
    expect(kind).not.toBe('one');
    expect(directMs).toBeLessThan(100);
  });

  it('answers a 200-character realistic name that matches nothing within 100 ms with 20,000 pools', async () => {
    const query =
      'Adobe Acrobt Prfessional Entreprise Licence for the design tem in Berlin and the Munich ofice, plus a few Confluense and Jirra seats for the Q3 contractors who join next week from the Lisbon hub, thanks'.slice(
        0,
        200,
      );
    expect(query.length).toBe(200);
    let reply: string | undefined;
    const ms = await loopMs(async () => {
      reply = (await t.say(PEOPLE.cy, `seats ${query}`))[0]?.markdown;
    });
    expect(reply).toMatch(/no license called|more than one license/);
    expect(ms).toBeLessThan(100);
  });

  it('keeps every command pattern cheap on a hostile message at the budget', async () => {
    for (const prefix of [
      'request ',
      'grant ',
      'revoke ',
      'how many ',
      'who has ',
      'release ',
      'sync ',
      'expiring ',
      '',
    ]) {
      for (const filler of ['a for ', 'a to b ', 'seats ', '!', 'x']) {
        const text = (prefix + filler.repeat(MAX_MESSAGE_CHARS)).slice(0, MAX_MESSAGE_CHARS);
        const ms = await loopMs(() => t.say(PEOPLE.ada, text));
        expect(ms, `${prefix}${filler}…`).toBeLessThan(100);
      }
    }
  });

  it('still finds misspelt product names among 20,000 pools', async () => {
    expect(cardText((await t.say(PEOPLE.cy, 'seats zoho crn enterprize'))[0])).toContain(
      'Zoho CRM Enterprise',
    );
    expect(cardText((await t.say(PEOPLE.cy, 'how many figma profesional seats are left?'))[0])).toContain(
      'Figma Professional',
    );
    expect(cardText((await t.say(PEOPLE.cy, 'webex meetngs'))[0])).toContain('Webex Meetings');
  });
});
