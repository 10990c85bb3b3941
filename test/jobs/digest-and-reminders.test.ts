import { describe, expect, it } from 'vitest';
import type { Outbox, Reply } from '../../src/bot/chat-event.js';
import { runDailyDigest } from '../../src/jobs/daily-digest.js';
import { runReminders } from '../../src/jobs/reminders.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const figma = makePool({ externalId: 'fg', productName: 'Figma Professional', totalSeats: 2, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 1 } });
const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM Enterprise', totalSeats: 25, consumedSeats: 20 }, 'zoho_crm');
const access = { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] };
const notices = createJobNotices({ access, vendors: ['zoho_crm'] });

describe('daily digest', () => {
  it('posts only to spaces that turned it on, with seat counts and sync state', async () => {
    const t = createTestBot([figma, zoho]);
    await t.say(PEOPLE.cy, 'digest on');
    await t.say(PEOPLE.bob, 'digest on');
    await t.say(PEOPLE.bob, 'digest off');
    const sent: Reply[] = [];
    const report = await runDailyDigest({ store: t.store, clock: t.clock, outbox: { send: (r) => (sent.push(...r), Promise.resolve()) }, notices });
    expect(report.spaces).toBe(1);
    expect(sent.map((r) => r.to)).toEqual([{ roomId: 'room-p-cy' }]);
    expect(JSON.stringify(sent[0]?.card)).toContain('Zoho CRM Enterprise');
    expect(sent[0]?.markdown).toMatch(/zoho/i);
  });
});

describe('reminders', () => {
  it('expires due time-bound seats once, warns holders a day ahead, and nudges admins about old requests', async () => {
    const t = createTestBot([figma, zoho]);
    await t.say(PEOPLE.cy, 'request figma professional for 1 days');
    await t.say(PEOPLE.bob, 'request figma professional for 3 days');
    await t.say(PEOPLE.cy, 'request zoho crm');
    const sent: Reply[] = [];
    const outbox: Outbox = { send: (r) => (sent.push(...r), Promise.resolve()) };

    t.clock.advance(20 * 3_600_000);
    let report = await runReminders({ store: t.store, clock: t.clock, outbox, notices });
    expect(report).toMatchObject({ expired: 0, remindedHolders: 1, pendingReminded: 0 });
    expect(sent[0]?.to).toEqual({ personId: 'p-cy' });

    t.clock.advance(5 * 3_600_000);
    sent.length = 0;
    report = await runReminders({ store: t.store, clock: t.clock, outbox, notices });
    expect(report).toMatchObject({ expired: 1, remindedHolders: 0, pendingReminded: 1 });
    expect(sent.find((r) => JSON.stringify(r.to) === '{"personId":"p-cy"}')?.markdown).toMatch(/expired/i);
    expect(cardText(sent.find((r) => JSON.stringify(r.to) === '{"roomId":"room-admins"}'))).toContain('Zoho CRM Enterprise');
    const cySeat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'cy@example.com' && a.poolId === figma.id);
    expect(cySeat?.status).toBe('expired');
    expect(t.store.read().data.audit.filter((e) => e.action === 'seat.expired')).toHaveLength(1);

    // Running again changes nothing more.
    report = await runReminders({ store: t.store, clock: t.clock, outbox, notices });
    expect(report.expired).toBe(0);
  });
});
