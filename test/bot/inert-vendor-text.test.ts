import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { textBlocks } from '../cards/card-inspect.js';
import { messageText } from '../../src/cards/escape-markdown.js';
import type { Reply } from '../../src/bot/chat-event.js';
import type { SyncOutcome, SyncTrigger } from '../../src/bot/bot-deps.js';
import type { SyncRun } from '../../src/domain/ledger.js';

/** Vendor product names that try a phishing link, a mention of everyone, markup and a bare URL. */
const NAMES = [
  'Alpha <@all> [Reset your SSO password](https://evil.example/sso)',
  '**bold** Suite',
  'Beta <@personEmail:x@y.z> Tool',
  'Gamma https://evil.example',
] as const;

/**
 * Text Webex would turn into a live link, a mention or markup: a mention opener, a URL scheme not broken by
 * the zero-width space, a markdown link or image whose brackets are not escaped, raw bold.
 */
function liveParts(text: string): string[] {
  const found: string[] = [];
  if (/<@/.test(text)) found.push('mention');
  if (/(?<!\u200B):\/\//.test(text)) found.push('url');
  if (/(^|[^\\])\[[^\]]*[^\\]\]\(/.test(text)) found.push('link');
  if (text.includes('**bold**')) found.push('bold');
  if (/(^|[^\\])<a\b/i.test(text)) found.push('html');
  return found;
}

/** Every text a reply shows: the markdown (plain reply or card fallback) and the card's text and facts. */
function shown(reply: Reply): string[] {
  return [reply.markdown, ...(reply.card ? textBlocks(reply.card) : [])];
}

function expectInert(replies: readonly Reply[], label: string): void {
  expect(replies.length, label).toBeGreaterThan(0);
  for (const r of replies)
    for (const text of shown(r)) expect(liveParts(text), `${label}: ${text}`).toEqual([]);
}

const run = (over: Partial<SyncRun>): SyncRun => ({
  id: 'run-1',
  vendor: 'cpod',
  connectionId: 'default',
  trigger: 'command',
  startedAt: '2026-03-02T09:00:00.000Z',
  finishedAt: '2026-03-02T09:00:01.000Z',
  status: 'failed',
  dryRun: false,
  pages: 0,
  requests: 1,
  retries: 0,
  summary: null,
  error: null,
  ...over,
});

describe('vendor and user text is inert in every reply', () => {
  for (const productName of NAMES) {
    it(`through request, approval, decision DMs, grant and release: ${productName}`, async () => {
      const pool = makePool({ externalId: 'nasty', productName, totalSeats: 5, consumedSeats: 0 });
      const t = createTestBot([pool]);
      const nastyCy = { ...PEOPLE.cy, displayName: 'Cy <@all> [win](https://evil.example/cy)' };

      // The requester's confirmation (plain text) and the approval request to the admin space (a card).
      const confirmation = await t.click(nastyCy, {
        action: 'seat.request',
        poolId: pool.id,
        reason: `${productName} **now** <@all>`,
      });
      expectInert(confirmation, 'request confirmation');
      expect(confirmation[0]?.card).toBeUndefined();
      // The bot's own words read as written (no escape backslash); only the product name is escaped.
      expect(confirmation[0]!.markdown).toBe(
        `Your request for ${messageText(productName)} is waiting for an admin. I asked the license admins; you will get a direct message with the decision.`,
      );
      expectInert(t.sent, 'approval request');

      // An admin approves: the answer in the thread and the DM to the requester.
      const seat = Object.values(t.store.read().data.assignments)[0]!;
      const sentBefore = t.sent.length;
      const decision = await t.click(
        PEOPLE.ada,
        { action: 'seat.approve', assignmentId: seat.id, note: `ok ${productName}` },
        { roomId: 'room-admins' },
      );
      expectInert(decision, 'decision');
      expect(decision[0]?.markdown).toMatch(/Seat approved/);
      expectInert(t.sent.slice(sentBefore), 'decision DM');

      // Lists that name the product: my seats, licenses, the pool card, who has, pending, expiring.
      for (const [who, text] of [
        [nastyCy, 'my seats'],
        [nastyCy, 'licenses'],
        [nastyCy, 'expiring 3650'],
        [PEOPLE.ada, 'pending'],
        [PEOPLE.ada, `who has ${productName}`],
        [nastyCy, `seats ${productName}`],
        [nastyCy, 'seats alpha bravo charlie'],
      ] as const) {
        expectInert(await t.say(who, text), text);
      }

      // A grant: the admin's answer and the grantee's DM; then a refusal naming the product.
      const granted = await t.say(PEOPLE.ada, `grant ${productName} to bob@example.com for 3 days`);
      expectInert(granted, 'grant');
      expect(granted[0]?.markdown).toMatch(/Seat granted/);
      expectInert(t.sent.slice(-1), 'grant DM');
      expectInert(await t.say(PEOPLE.ada, `grant ${productName} to bob@example.com`), 'grant refused');
      expectInert(await t.say(PEOPLE.ada, `revoke ${productName} from bob@example.com`), 'revoke');
      const released = await t.say(nastyCy, `release ${productName}`);
      expectInert(released, 'release');
      expect(released[0]?.markdown).toMatch(/Seat released/);
      expectInert(await t.say(nastyCy, `release ${productName}`), 'release refused');
    });
  }

  it('in the sync result, where the vendor error body carries a link, a mention and HTML', async () => {
    const body =
      'Service down <a href="https://evil.example/x">details</a> [Reset your SSO password](https://evil.example/sso) <@all> **now**';
    const report: SyncOutcome = {
      status: 'partial',
      message: `Sync failed for cPod (VENDOR_HTTP_500: ${body})`,
      vendors: [
        {
          vendor: 'cpod',
          status: 'failed',
          run: run({ error: { code: 'VENDOR_HTTP_500', message: body, httpStatus: 500, trackingId: null } }),
        },
        {
          vendor: 'webex',
          status: 'ok',
          run: run({
            vendor: 'webex',
            status: 'ok',
            summary: {
              poolsAdded: 1,
              poolsUpdated: 2,
              poolsRetired: 0,
              seatsAdded: 0,
              seatsEnded: 0,
              drift: 1,
            },
          }),
        },
      ],
    };
    const sync: SyncTrigger = {
      current: () => null,
      whenDone: () => Promise.resolve(null),
      run: () => Promise.resolve(report),
      vendors: () => ['cpod', 'webex'],
    };
    const t = createTestBot([], { sync });
    const [ack] = await t.say(PEOPLE.ada, 'sync');
    expect(ack?.markdown).toBe('Syncing cPod, Webex… I will post the result here.');
    await t.bot.drain();
    const result = t.sent.at(-1)!;
    expectInert([result], 'sync result');
    // The bot's own markup and wording are untouched; the vendor's text reads as sent, with no backslash added.
    expect(result.markdown).toContain('\n- **Webex**: ok (1 added, 2 updated, 0 retired, 1 drift finding)');
    expect(result.markdown).toContain(
      '\n- **cPod**: failed — Service down <\u200Ba href="https\u200B://evil\u200B.example/x">details<\u200B/a>',
    );
    expect(result.markdown).toContain(
      '[Reset your SSO password]\u200B(https\u200B://evil\u200B.example/sso) <\u200B@all> ∗∗now∗∗',
    );
    expect(result.markdown).not.toContain('\\');
  });

  it('in the seat-ending reminder the jobs send', async () => {
    const { createJobNotices } = await import('../../src/bot/job-notices.js');
    const pool = makePool({ externalId: 'nasty', productName: NAMES[0] });
    const t = createTestBot([pool]);
    await t.say(PEOPLE.ada, `grant ${NAMES[0]} to cy@example.com for 2 days`);
    const seat = Object.values(t.store.read().data.assignments)[0]!;
    const notices = createJobNotices({
      access: { adminEmails: [], adminSpaceId: null, allowedEmailDomains: [] },
      vendors: [],
    });
    const reminder = notices.seatEndingSoon(t.store.read(), seat, '2026-03-03T09:00:00.000Z');
    expectInert([reminder], 'reminder');
    expect(reminder.markdown).toMatch(
      /^Reminder: your \*\*Alpha .*\*\* seat ends 2026-03-04 09:00 UTC\. Press Extend to keep it 2 more days\.$/,
    );
  });
});
