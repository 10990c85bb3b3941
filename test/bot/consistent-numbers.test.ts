import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { aSeat } from '../support/ledger-builders.js';
import { textBlocks, visibleText } from '../cards/card-inspect.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import type { Reply } from '../../src/bot/chat-event.js';

const shown = (r: Reply | undefined): string => `${r?.markdown ?? ''}\n${r?.card ? visibleText(r.card) : ''}`;

describe('one definition of pending, used and free on every card', () => {
  const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM Enterprise', totalSeats: 5, consumedSeats: 2 }, 'zoho_crm');

  async function withInvitation() {
    const t = createTestBot([zoho]);
    // An invitation pending at Zoho CRM (an unconfirmed user), as sync records it, and a request made in chat.
    await t.store.update(() => ({
      changes: [
        {
          type: 'assignment.put' as const,
          assignment: aSeat({ id: 'invite', poolId: zoho.id, status: 'pending', origin: 'vendor', assignedAt: null, assignee: { kind: 'user', id: 'z-9', email: 'new.hire@example.com', name: 'New Hire' } }),
        },
      ],
      result: undefined,
    }));
    await t.click(PEOPLE.cy, { action: 'seat.request', poolId: zoho.id });
    return t;
  }

  it('the pool card, the summary, pending and the digest agree, and name the invitation as such', async () => {
    const t = await withInvitation();
    const [pool] = await t.say(PEOPLE.cy, 'seats zoho crm enterprise');
    expect(textBlocks(pool?.card)).toContain('Pending: 2 (1 request, 1 invitation at Zoho CRM)');
    expect(textBlocks(pool?.card)).toContain('Available: 1 of 5 free');

    const [summary] = await t.say(PEOPLE.cy, 'licenses');
    expect(shown(summary)).toContain('1 of 5 free · 2 pending: 1 request, 1 invitation at Zoho CRM');

    const [pending] = await t.say(PEOPLE.ada, 'pending');
    expect(shown(pending)).toContain('1 request waiting · 1 invitation pending at the vendor');
    expect(shown(pending)).toContain('Cy User (cy@example.com) → **Zoho CRM Enterprise** · Zoho CRM');
    expect(shown(pending)).toContain('Also pending at the vendor, and settled there rather than here: 1 invitation to Zoho CRM Enterprise (Zoho CRM).');

    const [holders] = await t.say(PEOPLE.ada, 'who has zoho crm enterprise');
    expect(shown(holders)).toContain('1 of 5 free · 2 used · 2 pending: 1 request, 1 invitation at Zoho CRM');
    expect(shown(holders)).toContain('Invitation pending at Zoho CRM');

    const notices = createJobNotices({ access: { adminEmails: [], adminSpaceId: null, allowedEmailDomains: [] }, vendors: ['zoho_crm'] });
    const digest = notices.digest(t.store.read(), '2026-03-02T09:00:00.000Z', { roomId: 'room-team', title: 'Team' });
    expect(shown(digest)).toContain('1 request waiting for approval');
    expect(shown(digest)).toContain('1 invitation to Zoho CRM Enterprise (Zoho CRM)');
    expect(shown(digest)).toContain('**Zoho CRM Enterprise** · Zoho CRM: 1 of 5 free · 2 pending: 1 request, 1 invitation at Zoho CRM');
  });

  it('says "No free seats" at 0 free, "Low on seats" only when some are in use, and nothing for 1 of 1 free', async () => {
    const full = makePool({ externalId: 'full', productName: 'Full Tool', totalSeats: 2, consumedSeats: 2 });
    const pendingFull = makePool({ externalId: 'pfull', productName: 'Pending Full Tool', totalSeats: 2, consumedSeats: 0 });
    const single = makePool({ externalId: 'single', productName: 'Single Seat Tool', totalSeats: 1, consumedSeats: 0 });
    const low = makePool({ externalId: 'low', productName: 'Low Tool', totalSeats: 4, consumedSeats: 3 });
    const t = createTestBot([full, pendingFull, single, low]);
    await t.click(PEOPLE.cy, { action: 'seat.request', poolId: pendingFull.id });
    await t.click(PEOPLE.bob, { action: 'seat.request', poolId: pendingFull.id });
    const [summary] = await t.say(PEOPLE.cy, 'licenses');
    const rows = (summary?.markdown ?? '').split('\n');
    const row = (name: string): string => rows.find((r) => r.includes(`**${name}**`)) ?? '';
    expect(row('Full Tool')).toContain('0 of 2 free · 0 pending · ⛔ No free seats');
    expect(row('Pending Full Tool')).toContain('0 of 2 free · 2 pending · ⛔ No free seats');
    expect(row('Single Seat Tool')).toBe('- **Single Seat Tool** · cPod: 1 of 1 free · 0 pending');
    expect(row('Low Tool')).toContain('1 of 4 free · 0 pending · ⚠️ Low on seats');
    expect(summary?.markdown).toContain('4 licenses · 2 with no free seats · 1 low on seats');
    const [card] = await t.say(PEOPLE.cy, 'seats full tool');
    expect(shown(card)).toContain('⛔ No free seats');
    expect(shown(card)).toContain('No free seat right now (0 of 2 free, 0 pending)');
  });
});

describe('day counts: calendar days in the schedule time zone, one way everywhere', () => {
  // Now is 2026-03-02 09:00 UTC. Expiry at 00:00 and renewal at 12:00 fall on the same date, 21 days on.
  const tool = makePool({
    externalId: 'tool',
    productName: 'Figma Professional',
    expiryDate: '2026-03-23T00:00:00.000Z',
    renewalDate: '2026-03-23T12:00:00.000Z',
  });

  it('the same date reads the same on every line and card', async () => {
    const t = createTestBot([tool]);
    const [pool] = await t.say(PEOPLE.cy, 'seats figma professional');
    expect(textBlocks(pool?.card)).toContain('Expires: 2026-03-23 (in 21 days)');
    expect(textBlocks(pool?.card)).toContain('Renews: 2026-03-23 (in 21 days)');
    const [summary] = await t.say(PEOPLE.cy, 'licenses');
    expect(shown(summary)).toContain('⏳ Expires 2026-03-23 (in 21 days)');
    const [expiring] = await t.say(PEOPLE.cy, 'expiring');
    expect(shown(expiring)).toContain('Expires 2026-03-23 (in 21 days)');
    // Exactly 21 days away is inside "expiring 21" and outside "expiring 20".
    expect(shown((await t.say(PEOPLE.cy, 'expiring 21'))[0])).toContain('Figma Professional');
    expect(shown((await t.say(PEOPLE.cy, 'expiring 20'))[0])).not.toContain('Figma Professional');
  });

  it('counts and shows dates in SCHEDULE_TIMEZONE', async () => {
    // In Tokyo (UTC+9) it is already 18:00 on 2026-03-02; the expiry instant is 09:00 on 2026-03-23 there.
    const t = createTestBot([tool], { timeZone: 'Asia/Tokyo' });
    const [pool] = await t.say(PEOPLE.cy, 'seats figma professional');
    expect(textBlocks(pool?.card)).toContain('Expires: 2026-03-23 (in 21 days)');
    expect(textBlocks(pool?.card)).toContain('Renews: 2026-03-23 (in 21 days)');
    // In Los Angeles it is 2026-03-02 01:00; the expiry is on the evening of 2026-03-22 there, the renewal on 2026-03-23.
    const la = createTestBot([tool], { timeZone: 'America/Los_Angeles' });
    const [laPool] = await la.say(PEOPLE.cy, 'seats figma professional');
    expect(textBlocks(laPool?.card)).toContain('Expires: 2026-03-22 (in 20 days)');
    expect(textBlocks(laPool?.card)).toContain('Renews: 2026-03-23 (in 21 days)');
    const [granted] = await la.say(PEOPLE.ada, 'grant figma professional to cy@example.com for 3 days');
    expect(textBlocks(granted?.card)).toContain('When: 2026-03-02 01:00 America/Los_Angeles');
    expect(textBlocks(granted?.card)).toContain('Expires: 2026-03-05');
  });
});
