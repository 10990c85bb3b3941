import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const figma = makePool({
  externalId: 'fg',
  productName: 'Figma Professional',
  totalSeats: 5,
  consumedSeats: 0,
});

describe('grant obeys the rules of approval', () => {
  it('refuses an admin granting herself the seat she may not approve, audits it and sends nothing', async () => {
    const t = createTestBot([figma]);
    await t.say(PEOPLE.ada, 'request figma professional');
    const mine = Object.values(t.store.read().data.assignments)[0]!;
    const [selfApproval] = await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: mine.id });
    expect(selfApproval?.markdown).toMatch(/cannot decide on your own request/);
    await t.say(PEOPLE.ada, 'release figma professional');
    const sentBefore = t.sent.length;

    for (const to of ['ada@example.com', 'ADA@Example.com', '[ada@example.com](mailto:ada@example.com)']) {
      const [reply] = await t.say(PEOPLE.ada, `grant figma professional to ${to}`);
      expect(reply?.markdown).toBe(
        '**⚠️ Not to yourself**\nYou cannot grant a seat to yourself: another admin must.',
      );
      expect(t.store.read().data.audit.at(-1)).toMatchObject({
        action: 'attempt.refused',
        actor: { personId: 'p-ada' },
        poolId: figma.id,
        after: { op: 'grant' },
      });
    }
    expect(t.sent.slice(sentBefore)).toEqual([]);
    expect(
      t.store.read().openSeat(figma.id, { kind: 'user', id: PEOPLE.ada.id, email: PEOPLE.ada.email }),
    ).toBeUndefined();

    // Another admin may grant it to her.
    const [byBob] = await t.say(PEOPLE.bob, 'grant figma professional to ada@example.com');
    expect(byBob?.markdown).toMatch(/Seat granted/);
  });

  it('refuses a grant outside ALLOWED_EMAIL_DOMAINS, audits it and never messages the outsider', async () => {
    const t = createTestBot([figma], { allowedEmailDomains: ['example.com'] });
    const [reply] = await t.say(PEOPLE.ada, 'grant figma professional to eve@evil.test for 5 days');
    expect(reply?.markdown).toMatch(/Outside the organization/);
    expect(reply?.markdown).toMatch(/eve@evil\.test is outside this organization/);
    expect(t.store.read().data.audit.at(-1)).toMatchObject({
      action: 'attempt.refused',
      actor: { personId: 'p-ada' },
      after: { op: 'grant' },
    });
    expect(Object.keys(t.store.read().data.assignments)).toHaveLength(0);
    expect(t.sent.filter((r) => 'personEmail' in r.to && r.to.personEmail.includes('evil.test'))).toEqual([]);
    expect(t.sent).toEqual([]);

    // Inside the domains a grant works and the grantee is told.
    const [ok] = await t.say(PEOPLE.ada, 'grant figma professional to cy@EXAMPLE.com');
    expect(ok?.markdown).toMatch(/Seat granted/);
    expect(t.sent.some((r) => 'personEmail' in r.to && r.to.personEmail === 'cy@example.com')).toBe(true);
  });

  it('allows any domain when ALLOWED_EMAIL_DOMAINS is empty', async () => {
    const t = createTestBot([figma]);
    const [reply] = await t.say(PEOPLE.ada, 'grant figma professional to guest@partner.test');
    expect(reply?.markdown).toMatch(/Seat granted/);
  });
});
