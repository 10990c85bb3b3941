import { describe, expect, it } from 'vitest';
import { CARD_NAMES, type CardDataMap, type CardName } from '../../src/cards/card-data.js';
import { MAX_MARKDOWN_BYTES } from '../../src/cards/fit-markdown.js';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { NOW, pool, usage } from './card-fixtures.js';
import { textBlocks, visibleText, walk } from './card-inspect.js';
import { safeMd, userText } from '../../src/cards/safe-md.js';
import { HOSTILE, LONG, asRead, liveMarkup, shownAs } from './hostile-strings.js';

/** Every card's data, with `u` wherever vendor or user text goes. */
function dataWith(u: string): { [N in CardName]: CardDataMap[N] } {
  const p = pool(1, { productName: u, sku: u });
  const ref = { id: p.id, productName: u, vendor: 'zoho_crm' as const };
  const person = { name: u, email: 'ana@example.com' };
  return {
    summary: { now: NOW, page: 0, pools: [{ pool: p, usage: usage(10, 3, 1, 1, true, 1) }] },
    pool: { now: NOW, pool: p, usage: usage(10, 3, 1, 1, true, 1), viewerSeat: null },
    'my-seats': {
      now: NOW,
      page: 0,
      seats: [
        { assignmentId: 's1', pool: ref, status: 'active', origin: 'ledger', seats: 1, since: NOW, expiresAt: null, requestedDays: null },
        { assignmentId: 's2', pool: ref, status: 'pending', origin: 'ledger', seats: 1, since: NOW, expiresAt: null, requestedDays: 10 },
      ],
    },
    holders: {
      now: NOW,
      page: 0,
      pool: p,
      usage: usage(10, 3, 1, 1),
      holders: [
        { assignmentId: 'h1', person, status: 'active', origin: 'ledger', seats: 1, since: NOW, expiresAt: null, requestedDays: null },
        { assignmentId: 'h2', person: { name: null, email: u }, status: 'active', origin: 'vendor', seats: 1, since: NOW, expiresAt: null, requestedDays: null },
      ],
    },
    'approval-request': { now: NOW, assignmentId: 'r1', requester: person, pool: p, usage: usage(10, 3, 1, 1), seats: 1, reason: u, days: 30, requestedAt: NOW },
    pending: {
      now: NOW,
      page: 0,
      requests: [{ assignmentId: 'r1', requester: person, pool: ref, seats: 1, reason: u, requestedAt: NOW, requestedDays: null, mine: false }],
      invitations: [{ pool: ref, count: 1 }],
    },
    decision: { kind: 'denied', pool: ref, holder: person, actor: { name: u, email: 'bob@example.com' }, at: NOW, seats: 1, note: u, expiresAt: null },
    expiring: {
      now: NOW,
      page: 0,
      withinDays: 30,
      viewerIsAdmin: true,
      pools: [{ pool: pool(2, { productName: u, expiryDate: '2025-04-10T00:00:00.000Z' }), usage: usage(10, 3, 0, 0) }],
      seats: [{ assignmentId: 'e1', holder: person, pool: ref, seats: 1, expiresAt: '2025-04-05T00:00:00.000Z' }],
      othersHidden: 0,
      ended: { pools: 0, seats: 0 },
    },
    help: { intro: u, viewerIsAdmin: true, commands: [{ usage: 'request <product> [days]', description: u, adminOnly: false }] },
    error: { title: 'Unknown license', message: `I know no license called "${u}".`, suggestions: [ref, { ...ref, id: 'other' }], referenceId: u },
    digest: {
      now: NOW,
      spaceTitle: u,
      pools: [{ pool: p, usage: usage(10, 10, 0, 0) }],
      pendingCount: 1,
      invitations: [{ pool: ref, count: 1 }],
      sync: [{ vendor: 'cpod', status: 'failed', at: NOW, error: u }],
    },
    waitlist: {
      kind: 'queue',
      pool: ref,
      message: `You are number 2 on the waitlist for ${u}.`,
      places: [
        { position: 1, person, you: false, offeredUntil: NOW },
        { position: 2, person: { name: u, email: u }, you: false, offeredUntil: null },
      ],
      join: false,
      claim: true,
      leave: true,
    },
    // History lines are composed by the bot (history-reply.ts), names cut as there.
    history: { title: safeMd`**History of ${userText(u, 120)}**`, lines: [safeMd`- seat released · ${userText(u, 120)} · by ${userText(u, 80)}`], more: { poolId: ref.id, before: 'e1' } },
  };
}

const BENIGN = dataWith('Zoho CRM Enterprise');

const count = (s: string, c: string): number => s.split(c).length - 1;

/** Every string a person reads on the card (TextBlocks, facts, labels, choice and button titles). */
function cardStrings(card: Record<string, unknown>): string[] {
  const out = [...textBlocks(card)];
  walk(card, (n) => {
    if (n['type'] === 'Action.Submit' && typeof n['title'] === 'string') out.push(n['title']);
    if (Array.isArray(n['choices'])) for (const c of n['choices'] as { title: string }[]) out.push(c.title);
  });
  return out;
}

describe('hostile and unusual text on every card and its fallback', () => {
  for (const [kind, u] of Object.entries(HOSTILE)) {
    describe(kind, () => {
      for (const name of CARD_NAMES) {
        it(`${name}: valid, nothing injected, reads as typed, and the bot's own text carries no escape`, () => {
          const { card, markdown } = renderCard(name, dataWith(u)[name]);
          const benign = renderCard(name, BENIGN[name]);
          expect(validateCard(card)).toEqual([]);
          const texts = textBlocks(card);
          for (const t of texts) expect(liveMarkup(t, 'card'), t).toEqual([]);
          for (const line of markdown.split('\n')) expect(liveMarkup(line, 'message'), line).toEqual([]);
          // The bot's own markup is all there is: as many asterisks as with a plain product name.
          expect(count(texts.join('\n'), '*')).toBe(count(textBlocks(benign.card).join('\n'), '*'));
          expect(count(markdown, '*')).toBe(count(benign.markdown, '*'));
          // No backslash is ever added: any backslash shown is one the user typed.
          if (!u.includes('\\')) {
            expect(JSON.stringify(cardStrings(card))).not.toContain('\\\\');
            expect(markdown).not.toContain('\\');
          }
          // The user's text reads exactly as typed, on the card and in the fallback.
          if (name !== 'help' || kind !== 'blocks') {
            expect(asRead(cardStrings(card).join('\n'))).toContain(shownAs(u));
            expect(asRead(markdown)).toContain(shownAs(u));
          }
        });
      }
    });
  }

  it('drops bidi overrides but keeps right-to-left script, emoji sequences and joiners', () => {
    const { card } = renderCard('pool', dataWith(HOSTILE.rtl).pool);
    expect(textBlocks(card)[0]).toBe('مرحبا بالعالم gnp.exe שלום x');
    const emoji = renderCard('pool', dataWith(HOSTILE.zeroWidth).pool);
    expect(textBlocks(emoji.card)[0]).toBe('zero\u200Bwidth \u200Cjoin\u200D 👩‍💻');
  });

  for (const name of CARD_NAMES) {
    it(`${name} with 2,000-character names: valid, under the message limit, names cut at a word with an ellipsis`, () => {
      const { card, markdown } = renderCard(name, dataWith(LONG)[name]);
      expect(validateCard(card)).toEqual([]);
      expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      for (const t of cardStrings(card)) {
        expect(t.length, t.slice(0, 40)).toBeLessThan(1300);
        // A cut name ends on a whole word: "…Design…" or "…Teams…", never "…Desi…".
        for (const cut of t.match(/\S+…/g) ?? []) expect(LONG.split(' ')).toContain(cut.replace(/^\**|…$/g, ''));
      }
    });
  }
});

describe('snapshots with hostile text', () => {
  const ALL = Object.values(HOSTILE).join(' | ');
  for (const name of ['approval-request', 'pool', 'decision'] as const) {
    it(`${name}: card and fallback`, () => {
      const { card, markdown } = renderCard(name, dataWith(ALL)[name]);
      expect({ text: visibleText(card).split('\n'), markdown: markdown.split('\n') }).toMatchSnapshot();
    });
  }
});
