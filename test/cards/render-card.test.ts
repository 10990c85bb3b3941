import { describe, expect, it } from 'vitest';
import { parseCardAction } from '../../src/cards/card-actions.js';
import { safeMd } from '../../src/cards/safe-md.js';
import { CARD_NAMES, type CardDataMap, type CardName, type DecisionKind } from '../../src/cards/card-data.js';
import { MAX_MARKDOWN_BYTES } from '../../src/cards/fit-markdown.js';
import { PAGE_SIZE } from '../../src/cards/paginate.js';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { NASTY, NOW, manyPools, mixedPools, pool, usage } from './card-fixtures.js';
import { choiceValues, inputs, pressSubmit, submits, textBlocks, visibleText } from './card-inspect.js';

/** Realistic data for every card; several use long lists so that paging kicks in. */
const SAMPLES: { [N in CardName]: CardDataMap[N] } = {
  summary: { now: NOW, pools: [...mixedPools(), ...manyPools(14)], page: 0 },
  pool: {
    now: NOW,
    pool: pool(1, {
      productName: 'Webex Meetings Pro',
      autoRenew: true,
      renewalDate: '2026-01-31T00:00:00.000Z',
    }),
    usage: usage(10, 5, 2, 1),
    viewerSeat: null,
  },
  'my-seats': {
    now: NOW,
    page: 0,
    seats: Array.from({ length: 11 }, (_, i) => ({
      assignmentId: `seat-${i}`,
      pool: {
        id: `webex:conn-1:lic-${i}`,
        productName: i === 0 ? NASTY : `Product ${i}`,
        vendor: 'webex' as const,
      },
      status: i % 3 === 2 ? ('pending' as const) : ('active' as const),
      origin: 'ledger' as const,
      seats: 1,
      since: '2025-03-01T10:00:00.000Z',
      expiresAt: i === 1 ? '2025-04-03T10:00:00.000Z' : null,
      requestedDays: i === 2 ? 10 : null,
    })),
  },
  holders: {
    now: NOW,
    pool: pool(1, { productName: 'Webex Meetings Pro' }),
    usage: usage(20, 9, 3, 2),
    page: 0,
    holders: Array.from({ length: 14 }, (_, i) => ({
      assignmentId: `a-${i}`,
      person: {
        name: i === 0 ? NASTY : `Person ${String(i).padStart(2, '0')}`,
        email: `person_${i}@example.com`,
      },
      status: i >= 12 ? ('pending' as const) : ('active' as const),
      origin: i < 9 ? ('vendor' as const) : ('ledger' as const),
      seats: 1,
      since: '2025-02-01T00:00:00.000Z',
      expiresAt: null,
      requestedDays: i === 13 ? 14 : null,
    })),
  },
  'approval-request': {
    now: NOW,
    assignmentId: 'req-42',
    requester: { name: 'Ana "Ani" Díaz 🚀', email: 'ana_diaz@example.com' },
    pool: pool(1, { productName: 'Webex Meetings Pro' }),
    usage: usage(10, 5, 1, 1),
    seats: 1,
    reason: NASTY,
    days: 30,
    requestedAt: '2025-04-01T08:55:00.000Z',
  },
  pending: {
    now: NOW,
    page: 0,
    requests: Array.from({ length: 10 }, (_, i) => ({
      assignmentId: `req-${i}`,
      requester: { name: `Requester ${i}`, email: `r${i}@example.com` },
      pool: { id: `webex:conn-1:lic-${i}`, productName: `Product ${i}`, vendor: 'webex' as const },
      seats: 1,
      reason: i === 0 ? NASTY : null,
      requestedAt: `2025-03-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`,
      requestedDays: i === 1 ? 10 : null,
      mine: false,
    })),
    invitations: [],
  },
  decision: {
    kind: 'denied',
    pool: { id: 'webex:conn-1:lic-1', productName: 'Webex Meetings Pro', vendor: 'webex' },
    holder: { name: 'Ana Díaz', email: 'ana@example.com' },
    actor: { name: 'Bob Admin', email: 'bob@example.com' },
    at: '2025-04-01T09:30:00.000Z',
    seats: 1,
    note: NASTY,
    expiresAt: null,
  },
  expiring: {
    now: NOW,
    withinDays: 30,
    page: 0,
    pools: Array.from({ length: 6 }, (_, i) => ({
      pool: pool(i, { expiryDate: `2025-04-${String(5 + i).padStart(2, '0')}T00:00:00.000Z` }),
      usage: usage(10, 4, 0, 0),
    })),
    seats: Array.from({ length: 5 }, (_, i) => ({
      assignmentId: `s-${i}`,
      holder: { name: `Holder ${i}`, email: `h${i}@example.com` },
      pool: { id: 'webex:conn-1:lic-1', productName: 'Webex Meetings Pro', vendor: 'webex' as const },
      seats: 1,
      expiresAt: `2025-04-0${2 + i}T12:00:00.000Z`,
    })),
    othersHidden: 0,
    ended: { pools: 0, seats: 0 },
    viewerIsAdmin: true,
  },
  help: {
    viewerIsAdmin: false,
    commands: [
      { usage: 'licenses', description: 'List every license and how many seats are free.', adminOnly: false },
      { usage: 'request <product> [days]', description: 'Ask for a seat.', adminOnly: false },
      { usage: 'who has <product>', description: 'List holders.', adminOnly: true },
    ],
  },
  error: {
    title: 'No license matches',
    message: `I could not find "${NASTY}".`,
    suggestions: mixedPools().map((p) => p.pool),
    referenceId: 'ref-7f3a',
  },
  digest: {
    now: NOW,
    spaceTitle: 'IT *admins*',
    pools: mixedPools(),
    pendingCount: 3,
    invitations: [],
    sync: [
      { vendor: 'webex', status: 'ok', at: '2025-04-01T06:00:00.000Z', error: null },
      {
        vendor: 'meraki',
        status: 'failed',
        at: '2025-04-01T06:01:00.000Z',
        error: 'HTTP 503 from api.meraki.com [retry](x)',
      },
      { vendor: 'cpod', status: 'never', at: null, error: null },
    ],
  },
  waitlist: {
    kind: 'queue',
    pool: { id: 'cpod:conn-1:figma', productName: 'Figma *Pro*', vendor: 'cpod' },
    message: 'You are number 2 on the waitlist for Figma *Pro*.',
    timeZone: 'UTC',
    places: [
      { position: 1, person: { name: 'Ana Díaz', email: 'ana@example.com' }, you: false, offeredUntil: '2025-04-02T09:30:00.000Z' },
      { position: 2, person: { name: 'Bob', email: 'bob@example.com' }, you: true, offeredUntil: null },
      { position: 3, person: null, you: false, offeredUntil: null },
    ],
    join: false,
    claim: false,
    leave: true,
  },
  history: {
    title: safeMd`**History of ${'Figma *Pro*'}**, newest first:`,
    lines: [safeMd`- 1 Apr 2025 · seat released · ${'Ana [x](y)'} · by Ana`],
    more: { poolId: 'cpod:conn-1:figma', before: 'evt-9#0' },
  },
};

function render<N extends CardName>(name: N, data: CardDataMap[N] = SAMPLES[name]) {
  return renderCard(name, data);
}

/** A markdown link, image or mention whose brackets are not backslash-escaped. */
const UNESCAPED_LINK = /(^|[^\\])\[[^\]]*(^|[^\\])\]\(|(^|[^\\])<@/;

describe('every card', () => {
  for (const name of CARD_NAMES) {
    describe(name, () => {
      it('validates for Webex (1.3, ≤5 actions, known actions, no leftovers)', () => {
        expect(validateCard(render(name).card)).toEqual([]);
      });

      it('has a markdown fallback under the Webex byte limit', () => {
        const { markdown } = render(name);
        expect(markdown.length).toBeGreaterThan(10);
        expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
      });

      it('submits data that parseCardAction accepts, with the ids the card carries', () => {
        const { card } = render(name);
        for (const s of submits(card)) {
          const merged = pressSubmit(card, s.title);
          const parsed = parseCardAction(merged);
          expect(parsed, `${name} / ${s.title}`).toMatchObject({
            ok: true,
            action: { action: s.data['action'] },
          });
          if (parsed.ok)
            for (const key of ['poolId', 'assignmentId', 'page'] as const)
              if (key in s.data) expect(parsed.action).toHaveProperty(key, s.data[key]);
        }
      });

      it('never lets submit data and an input share a key (Webex merges them into one object)', () => {
        const { card } = render(name);
        const ids = new Set(inputs(card).map((i) => String(i['id'])));
        for (const s of submits(card))
          for (const key of Object.keys(s.data))
            expect(ids.has(key), `${name} / ${s.title} / ${key}`).toBe(false);
      });

      it('renders a fresh object each time: mutating one render does not leak into the next', () => {
        const first = render(name).card;
        const pristine = JSON.stringify(render(name).card);
        (first['body'] as unknown[]).length = 0;
        first['version'] = '9.9';
        first['actions'] = [{ type: 'Action.Submit', title: 'x', data: { action: 'nope' } }];
        expect(JSON.stringify(render(name).card)).toBe(pristine);
      });

      it('shares no object or array between two renders (the parsed template is cached, the card is not)', () => {
        const objects = (value: unknown, into = new Set<object>()): Set<object> => {
          if (typeof value === 'object' && value !== null) {
            into.add(value);
            for (const v of Object.values(value)) objects(v, into);
          }
          return into;
        };
        const first = objects(render(name).card);
        const shared = [...objects(render(name).card)].filter((o) => first.has(o));
        expect(shared).toEqual([]);
      });

      it('keeps user text from injecting links, mentions or template expressions', () => {
        const { card, markdown } = render(name);
        for (const text of [...textBlocks(card), ...markdown.split('\n')]) {
          expect(text).not.toMatch(UNESCAPED_LINK);
          expect(text).not.toContain('${');
        }
        expect(JSON.stringify(card)).not.toContain('${');
      });
    });
  }
});

describe('summary card', () => {
  it('shows per pool availability, unlimited, pending and the low / retired / expiring markers', () => {
    const { card, markdown } = render('summary', { now: NOW, pools: mixedPools(), page: 0 });
    const text = visibleText(card);
    expect(text).toContain('**Webex Meetings Pro** · Webex');
    expect(text).toContain('3 of 10 free · 1 pending');
    expect(text).toContain('unlimited · 0 pending');
    expect(text).toContain('2 of 5 free · 0 pending');
    expect(text).toContain('⚠️ Low on seats');
    expect(text).toContain('🗄️ Retired');
    expect(text).toContain('⏳ Expires 2025-04-06 (in 5 days)');
    expect(text).toContain('6 licenses · 1 low on seats');
    expect(markdown).toContain('3 of 10 free · 1 pending');
    expect(markdown).toContain('⚠️ Low on seats');
    expect(submits(card).map((s) => s.title)).toEqual(['Show seats']);
  });

  it('pages long lists: at most PAGE_SIZE rows, More carries the next page, the last page has only Previous', () => {
    const pools = manyPools(20);
    const first = render('summary', { now: NOW, pools, page: 0 });
    expect(textBlocks(first.card).filter((t) => t.startsWith('**Product'))).toHaveLength(PAGE_SIZE);
    expect(visibleText(first.card)).toContain('page 1 of 3');
    expect(submits(first.card).map((s) => [s.title, s.data['page']])).toEqual([
      ['Show seats', undefined],
      ['More', 1],
    ]);
    const last = render('summary', { now: NOW, pools, page: 2 });
    expect(textBlocks(last.card).filter((t) => t.startsWith('**Product'))).toHaveLength(4);
    expect(submits(last.card).map((s) => [s.title, s.data['page']])).toEqual([
      ['Show seats', undefined],
      ['Previous', 1],
    ]);
    expect(render('summary', { now: NOW, pools, page: 99 }).markdown).toContain('page 3 of 3');
  });

  it('lists the pools of the page in the choice set and Show seats parses to pool.show with the chosen id', () => {
    const { card } = render('summary', { now: NOW, pools: mixedPools(), page: 0 });
    expect(choiceValues(card, 'poolId')).toEqual(
      ['lic-006', 'lic-005', 'lic-003', 'lic-002', 'lic-001', 'lic-004'].map((l) => `webex:conn-1:${l}`),
    );
    const parsed = parseCardAction(
      pressSubmit(card, 'Show seats', { values: { poolId: 'webex:conn-1:lic-003' } }),
    );
    expect(parsed).toEqual({ ok: true, action: { action: 'pool.show', poolId: 'webex:conn-1:lic-003' } });
    expect(parseCardAction(pressSubmit(card, 'Show seats', { blank: true }))).toMatchObject({
      ok: false,
      error: 'Choose a license first.',
    });
  });

  it('says so when there are no pools, with no actions', () => {
    const { card, markdown } = render('summary', { now: NOW, pools: [], page: 0 });
    expect(visibleText(card)).toContain('No licenses yet');
    expect(markdown).toContain('No licenses yet');
    expect(submits(card)).toEqual([]);
    expect(validateCard(card)).toEqual([]);
  });
});

describe('pool card', () => {
  it('shows the counts with the vendor / bot breakdown, dates, state, approval policy and sync time', () => {
    const { card, markdown } = render('pool');
    const facts = textBlocks(card);
    expect(facts).toContain('Available: 2 of 10 free');
    expect(facts).toContain('Total: 10');
    expect(facts).toContain('Used: 7 (5 reported by the vendor, 2 granted by the bot)');
    expect(facts).toContain('Pending: 1');
    expect(facts).toContain('State: active');
    expect(facts).toContain('Approval: required: an admin approves each request');
    expect(facts).toContain('Expires: 2026-01-31 (in 305 days)');
    expect(facts).toContain('Renews: 2026-01-31 (in 305 days) · auto-renews');
    expect(facts).toContain('Last synced: 2025-04-01 06:00 UTC');
    expect(visibleText(card)).toContain('Webex · SKU SKU-1 · per user');
    expect(markdown).toContain('- Available: 2 of 10 free');
    expect(markdown).toContain('- Used: 7 (5 reported by the vendor, 2 granted by the bot)');
  });

  it('offers Request a seat with optional days and reason (≤300) inputs; days are checked by the bot, which answers', () => {
    const { card } = render('pool');
    const days = (card['body'] as Record<string, unknown>[])
      .flatMap((b) => (b['items'] ?? []) as Record<string, unknown>[])
      .find((i) => i['id'] === 'days');
    // No min/max: a client that enforces them blocks the submit without a word; the bot answers instead.
    expect(days).toEqual({
      type: 'Input.Number',
      id: 'days',
      label: 'For how many days (optional, 1 to 365)',
      placeholder: 'Leave empty for no end date',
    });
    const parsed = parseCardAction(pressSubmit(card, 'Request a seat'));
    expect(parsed).toEqual({
      ok: true,
      action: {
        action: 'seat.request',
        poolId: 'webex:conn-1:lic-001',
        days: 30,
        reason: 'Needed for the Q3 launch',
      },
    });
    expect(parseCardAction(pressSubmit(card, 'Request a seat', { blank: true }))).toEqual({
      ok: true,
      action: { action: 'seat.request', poolId: 'webex:conn-1:lic-001' },
    });
  });

  const blocked: [string, Partial<CardDataMap['pool']>, string][] = [
    ['retired', { pool: pool(1, { retired: true }) }, 'retired at the vendor'],
    ['expired', { pool: pool(1, { expiryDate: '2025-03-01T00:00:00.000Z' }) }, 'expired on 2025-03-01'],
    ['full', { usage: usage(10, 8, 1, 1) }, 'No free seat right now (0 of 10 free, 1 pending)'],
    ['already held', { viewerSeat: { assignmentId: 'a1', status: 'active' } }, 'You already hold a seat'],
    ['already requested', { viewerSeat: { assignmentId: 'a1', status: 'pending' } }, 'waiting for approval'],
  ];
  for (const [why, patch, reason] of blocked) {
    it(`hides Request and says why when the pool is ${why}`, () => {
      const { card, markdown } = render('pool', { ...SAMPLES.pool, ...patch });
      expect(submits(card)).toEqual([]);
      expect(visibleText(card)).toContain(reason);
      expect(visibleText(card)).not.toContain('For how many days');
      expect(markdown).toContain(reason);
      expect(validateCard(card)).toEqual([]);
    });
  }

  it('shows unlimited pools as unlimited and still allows requests', () => {
    const { card } = render('pool', { ...SAMPLES.pool, usage: usage(null, 40, 2, 0) });
    expect(textBlocks(card)).toContain('Available: unlimited');
    expect(textBlocks(card)).toContain('Total: unlimited');
    expect(submits(card).map((s) => s.title)).toEqual(['Request a seat']);
  });

  it('says a pool the vendor does not meter is not metered, rather than unlimited or full', () => {
    const { card, markdown } = render('pool', { ...SAMPLES.pool, usage: usage(null, 0, 3, 0, false) });
    expect(textBlocks(card)).toContain('Available: not metered by the vendor');
    expect(textBlocks(card)).toContain('Total: not metered');
    expect(markdown).toContain('not metered by the vendor');
    expect(submits(card).map((s) => s.title)).toEqual(['Request a seat']);
  });

  it('matches the snapshot', () => {
    expect(render('pool').card).toMatchSnapshot();
  });
});

describe('my-seats card', () => {
  it('lists active seats first and pages; Release offers only the active seats of the page', () => {
    const { card, markdown } = render('my-seats');
    expect(visibleText(card)).toContain('8 active · 3 pending · page 1 of 2');
    // Calendar days: 2025-04-01 09:00 to 2025-04-03 10:00 is two days, whatever the hours.
    expect(visibleText(card)).toContain('Active · since 2025-03-01 · expires 2025-04-03 (in 2 days)');
    expect(choiceValues(card, 'assignmentId')).toEqual([
      'seat-0',
      'seat-1',
      'seat-10',
      'seat-3',
      'seat-4',
      'seat-6',
      'seat-7',
      'seat-9',
    ]);
    expect(choiceValues(card, 'pendingAssignmentId')).toEqual([]);
    const release = parseCardAction(
      pressSubmit(card, 'Release seat', { values: { assignmentId: 'seat-7' } }),
    );
    expect(release).toEqual({ ok: true, action: { action: 'seat.release', assignmentId: 'seat-7' } });
    expect(markdown).toContain('8 active · 3 pending');
    expect(submits(card).map((s) => s.title)).toEqual(['Release seat', 'More']);
  });

  it('offers Release for active and Cancel for pending seats on the same page, each reading its own input', () => {
    const seats = SAMPLES['my-seats'].seats.slice(0, 3);
    const { card } = render('my-seats', { now: NOW, seats, page: 0 });
    expect(choiceValues(card, 'assignmentId')).toEqual(['seat-0', 'seat-1']);
    expect(choiceValues(card, 'pendingAssignmentId')).toEqual(['seat-2']);
    expect(parseCardAction(pressSubmit(card, 'Cancel request'))).toEqual({
      ok: true,
      action: { action: 'seat.cancel', assignmentId: 'seat-2' },
    });
    expect(parseCardAction(pressSubmit(card, 'Release seat'))).toEqual({
      ok: true,
      action: { action: 'seat.release', assignmentId: 'seat-0' },
    });
    expect(validateCard(card)).toEqual([]);
  });

  it('shows the pending requests on page 2 with Previous', () => {
    const { card } = render('my-seats', { ...SAMPLES['my-seats'], page: 1 });
    expect(submits(card).map((s) => [s.title, s.data['page']])).toEqual([
      ['Cancel request', undefined],
      ['Previous', 0],
    ]);
  });
});

describe('holders card', () => {
  it('shows counts, source and status; vendor seats are never offered for Revoke', () => {
    const { card, markdown } = render('holders');
    const text = visibleText(card);
    expect(text).toContain('Who has Webex Meetings Pro (Webex)');
    expect(text).toContain('14 holders: 12 active, 2 pending · 9 from Webex, 5 through the bot');
    expect(text).toContain('6 of 20 free · 12 used · 2 pending · page 1 of 2');
    expect(text).toContain('Person 01 (person_1@example.com)');
    expect(text).toContain('Active · at Webex · since 2025-02-01 · no end date');
    expect(text).toContain('Seats and invitations at Webex are changed at Webex, not here.');
    expect(markdown).toContain('14 holders: 12 active, 2 pending');
    // Page 1 holds only seats assigned at Webex: nothing to revoke here.
    expect(submits(card).map((s) => s.title)).toEqual(['More']);
    const page2 = render('holders', { ...SAMPLES.holders, page: 1 }).card;
    expect(choiceValues(page2, 'assignmentId')).toEqual(['a-9', 'a-10', 'a-11']);
    expect(visibleText(page2)).toContain('Request pending · through the bot · since 2025-02-01 · for 14 days once approved');
    const revoke = parseCardAction(pressSubmit(page2, 'Revoke seat'));
    expect(revoke).toMatchObject({
      ok: true,
      action: { action: 'seat.revoke', poolId: 'webex:conn-1:lic-001', assignmentId: 'a-9', note: 'Needed for the Q3 launch' },
    });
    const more = parseCardAction(pressSubmit(card, 'More'));
    expect(more).toEqual({
      ok: true,
      action: { action: 'holders.page', poolId: 'webex:conn-1:lic-001', page: 1 },
    });
  });
});

describe('approval-request card', () => {
  it('shows requester, product, seats, reason, duration and availability; Approve/Deny carry the request id', () => {
    const { card, markdown } = render('approval-request');
    const facts = textBlocks(card);
    expect(facts).toContain('Requested by: Ana "Ani" Díaz 🚀 (ana_diaz@example.com)');
    expect(facts).toContain('License: **Webex Meetings Pro** · Webex');
    expect(facts).toContain('Seats: 1');
    // A request's end is a term that starts at approval, not a date the request itself expires.
    expect(facts).toContain('For: 30 days from approval');
    expect(facts).toContain('Availability: 3 of 10 free · 6 used · 1 pending (this request included)');
    expect(markdown).toContain('For: 30 days from approval');
    expect(parseCardAction(pressSubmit(card, 'Approve'))).toEqual({
      ok: true,
      action: { action: 'seat.approve', assignmentId: 'req-42', note: 'Needed for the Q3 launch' },
    });
    expect(parseCardAction(pressSubmit(card, 'Deny', { blank: true }))).toEqual({
      ok: true,
      action: { action: 'seat.deny', assignmentId: 'req-42' },
    });
  });
});

describe('pending card', () => {
  it('lists the oldest requests first, pages, and Approve/Deny take the id from the choice set', () => {
    const { card, markdown } = render('pending');
    expect(visibleText(card)).toContain('10 requests waiting · page 1 of 2');
    expect(markdown).toContain('Requester 0 (r0@example.com) → **Product 0** · Webex');
    expect(parseCardAction(pressSubmit(card, 'Approve'))).toMatchObject({
      ok: true,
      action: { action: 'seat.approve', assignmentId: 'req-0' },
    });
    expect(parseCardAction(pressSubmit(card, 'Deny', { blank: true }))).toMatchObject({ ok: false });
    expect(submits(card).map((s) => s.title)).toEqual(['Approve', 'Deny', 'More']);
  });
});

describe('decision card', () => {
  it('shows who, what, when and the note, with no actions', () => {
    const { card, markdown } = render('decision');
    expect(visibleText(card)).toContain('🚫 Request denied');
    expect(textBlocks(card)).toContain('By: Bob Admin (bob@example.com)');
    expect(textBlocks(card)).toContain('When: 2025-04-01 09:30 UTC');
    expect(markdown).toContain('- For: Ana Díaz (ana@example.com)');
    expect(submits(card)).toEqual([]);
  });

  for (const kind of ['approved', 'released', 'revoked', 'granted', 'expired', 'cancelled'] as const) {
    it(`renders a valid ${kind} card; the bot is the actor when none is given`, () => {
      const { card } = render('decision', { ...SAMPLES.decision, kind, actor: null, note: null });
      expect(validateCard(card)).toEqual([]);
      expect(textBlocks(card)).toContain('By: the bot');
    });
  }
});

describe('expiring card', () => {
  it('shows pools with expiry date, days left and seats, then time-bound seats, paged together', () => {
    const { card, markdown } = render('expiring');
    const text = visibleText(card);
    expect(text).toContain('Expiring within 30 days');
    expect(text).toContain('Expires 2025-04-05 (in 4 days) · 6 of 10 free · 4 used');
    expect(text).toContain('Holder 0 (h0@example.com) · **Webex Meetings Pro** · Webex');
    expect(text).toContain('6 licenses · 5 time-bound seats · page 1 of 2');
    expect(markdown).toContain('Time-bound seats:');
    const page2 = render('expiring', { ...SAMPLES.expiring, page: 1 });
    expect(visibleText(page2.card)).toContain('Holder 4');
    expect(visibleText(page2.card)).not.toContain('Licenses');
    expect(text).not.toContain('Already ended');
  });

  it('says how many licenses and seats have already ended instead of listing them, and labels renewals', () => {
    const renewing = { pool: pool(9, { renewalDate: '2025-04-20T00:00:00.000Z', expiryDate: null }), usage: usage(10, 4, 0, 0) };
    const { card, markdown } = render('expiring', { ...SAMPLES.expiring, pools: [renewing], seats: [], ended: { pools: 3, seats: 1 } });
    const note = 'Already ended and not listed here: 3 licenses and 1 time-bound seat (see "licenses" and "who has").';
    expect(visibleText(card)).toContain(note);
    expect(markdown).toContain(note);
    expect(visibleText(card)).toContain('Renews 2025-04-20 (in 19 days)');
    expect(validateCard(card)).toEqual([]);
  });
});

describe('help card', () => {
  it('lists commands, hiding admin-only ones from non-admins', () => {
    const user = render('help');
    expect(visibleText(user.card)).toContain('**request <product> [days]**');
    expect(user.markdown).toContain('**request <\u200Bproduct> [days]**');
    expect(user.markdown).not.toContain('\\');
    expect(visibleText(user.card)).not.toContain('who has');
    const admin = render('help', { ...SAMPLES.help, viewerIsAdmin: true });
    expect(visibleText(admin.card)).toContain('**who has <product>** (admin)');
    expect(admin.markdown).toContain('who has');
  });

  it('keeps a huge command list under the markdown byte limit with a note', () => {
    const commands = Array.from({ length: 400 }, (_, i) => ({
      usage: `cmd${i} 🎉`,
      description: 'ü'.repeat(40),
      adminOnly: false,
    }));
    const { markdown } = render('help', { viewerIsAdmin: false, commands });
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(markdown).toMatch(/more lines not shown/);
  });
});

describe('error card', () => {
  it('offers several candidates as a list of full names with one Show seats button, and the reference', () => {
    const { card, markdown } = render('error');
    expect(submits(card)).toEqual([{ title: 'Show seats', data: { action: 'pool.show' } }]);
    const list = inputs(card)[0]!;
    expect(list).toMatchObject({ type: 'Input.ChoiceSet', id: 'poolId', style: 'expanded', wrap: true, isRequired: true });
    expect((list['choices'] as { title: string }[]).map((c) => c.title)).toEqual([
      'Webex Meetings Pro (Webex)',
      'Webex Calling (Webex)',
      'Meraki MR (Meraki)',
      'Old CRM (Zoho CRM)',
    ]);
    expect(parseCardAction(pressSubmit(card, 'Show seats'))).toEqual({ ok: true, action: { action: 'pool.show', poolId: 'webex:conn-1:lic-001' } });
    expect(visibleText(card)).toContain('⚠️ No license matches');
    expect(visibleText(card)).toContain('Reference: ref-7f3a');
    expect(markdown).toContain('Did you mean: **Webex Meetings Pro** · Webex, **Webex Calling** · Webex');
  });

  it('asks about a single candidate by its full name, with one button', () => {
    const long = pool(8, { productName: 'Figma Professional Enterprise Edition for Design Teams', vendor: 'cpod' });
    const { card, markdown } = render('error', { title: 'Unknown license', message: 'I know no license called exactly "figma".', suggestions: [long] });
    expect(visibleText(card)).toContain('Did you mean **Figma Professional Enterprise Edition for Design Teams** · cPod?');
    expect(submits(card)).toEqual([{ title: 'Show its seats', data: { action: 'pool.show', poolId: long.id } }]);
    expect(inputs(card)).toEqual([]);
    expect(markdown).toContain('Did you mean **Figma Professional Enterprise Edition for Design Teams** · cPod?');
    expect(validateCard(card)).toEqual([]);
  });

  it('renders without suggestions or reference', () => {
    const { card } = render('error', { title: 'Oops', message: 'Something went wrong.' });
    expect(submits(card)).toEqual([]);
    expect(visibleText(card)).not.toContain('Reference');
    expect(validateCard(card)).toEqual([]);
  });
});

describe('digest card', () => {
  it('shows availability, low-seat alerts, pending count, expiring soon and sync status per vendor', () => {
    const { card, markdown } = render('digest');
    const text = visibleText(card);
    expect(text).toContain('3 requests waiting for approval');
    expect(text).toContain('⚠️ **Meraki MR** · Meraki: 2 of 5 free');
    expect(text).toContain('⏳ **CPOD Lab** · cPod: 2025-04-06 (in 5 days)');
    expect(text).toContain('**Webex Meetings Pro** · Webex: 3 of 10 free · 1 pending');
    expect(text).toContain('✅ Webex: synced · 2025-04-01 06:00 UTC');
    expect(text).toContain(
      '❌ Meraki: failed · 2025-04-01 06:01 UTC: HTTP 503 from api.meraki.com [retry]\u200B(x)',
    );
    expect(text).toContain('➖ cPod: never synced');
    expect(text).not.toContain('Old CRM');
    expect(text).toContain('IT ∗admins∗');
    expect(markdown).toContain('3 requests waiting for approval');
    expect(submits(card)).toEqual([
      { title: 'Show all licenses', data: { action: 'summary.page', page: 0 } },
    ]);
  });

  it('caps long sections with a note instead of growing without bound', () => {
    const { card, markdown } = render('digest', { ...SAMPLES.digest, pools: manyPools(40) });
    expect(visibleText(card)).toContain('… and 28 more');
    expect(markdown).toContain('… and 28 more');
    expect(validateCard(card)).toEqual([]);
  });
});

describe('renderCard', () => {
  it('is typed per card name: pool data is required for the pool card', () => {
    // @ts-expect-error summary data is not what the pool card takes
    expect(() => renderCard('pool', SAMPLES.summary)).toThrow(TypeError);
  });

  it('refuses to return a card with template leftovers (a field the data lacks)', () => {
    const bogus = { ...SAMPLES.decision, kind: 'teleported' as DecisionKind };
    expect(() => renderCard('decision', bogus)).toThrow(
      expect.objectContaining({
        code: 'CARD_TEMPLATE_LEFTOVER',
        message: expect.stringContaining('$.body[0].text'),
      }),
    );
  });

  it('does not flag ids that legitimately contain `${` (inserted verbatim into choice values and submit data)', () => {
    // eslint-disable-next-line no-template-curly-in-string -- a vendor id with template syntax is the input under test
    const odd = pool(9, { id: 'cpod:c1:${weird}' });
    const { card } = renderCard('pool', { ...SAMPLES.pool, pool: odd });
    expect(submits(card)[0]?.data).toEqual({ action: 'seat.request', poolId: odd.id });
  });
});

describe('user text', () => {
  it('reads as typed, with no backslash: links and mentions broken invisibly, emphasis as look-alikes, `${` neutralised', () => {
    const { card, markdown } = render('approval-request');
    const reason = textBlocks(card).find((t) => t.startsWith('Reason: '));
    expect(reason).toBe(
      'Reason: [click me]\u200B(https\u200B://evil\u200B.example) ∗∗bold∗∗ <\u200B@all> $\u200B{$root.title} "quoted" 🎉 ＿x＿ `code`',
    );
    // The message side also defuses what Webex messages render: code spans.
    expect(markdown).toContain(
      '- Reason: [click me]\u200B(https\u200B://evil\u200B.example) ∗∗bold∗∗ <\u200B@all> $\u200B{$root.title} "quoted" 🎉 ＿x＿ ˋcodeˋ',
    );
  });
});
