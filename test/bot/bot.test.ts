import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const meetings = makePool({ externalId: 'wm', productName: 'Meeting - Webex Meeting Center', vendor: 'webex', totalSeats: 3, consumedSeats: 1 }, 'webex');
const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM Enterprise', vendor: 'zoho_crm', totalSeats: 25, consumedSeats: 20 }, 'zoho_crm');
const figma = makePool({ externalId: 'fg', productName: 'Figma Professional', totalSeats: 5, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 1 } });
const figjam = makePool({ externalId: 'fj', productName: 'Figma FigJam', totalSeats: 5, consumedSeats: 0 });

describe('bot commands', () => {
  it('answers natural questions about a product with its pool card', async () => {
    const t = createTestBot([meetings, zoho]);
    const [reply] = await t.say(PEOPLE.cy, 'how many Webex Meetings seats are left?');
    expect(reply?.to).toEqual({ roomId: 'room-p-cy' });
    expect(cardText(reply)).toContain('Meeting - Webex Meeting Center');
    expect(reply?.markdown).toMatch(/2 of 3/);
  });

  it('asks "did you mean" for an ambiguous or unknown name instead of guessing', async () => {
    const t = createTestBot([figma, figjam, zoho]);
    const [amb] = await t.say(PEOPLE.cy, 'seats figma');
    expect(cardText(amb)).toContain('Figma Professional');
    expect(cardText(amb)).toContain('Figma FigJam');
    expect(cardText(amb)).toContain('pool.show');
    const [unknown] = await t.say(PEOPLE.cy, 'seats photoshop');
    expect(cardText(unknown)).toContain('photoshop');
    expect(unknown?.markdown).toMatch(/no license called/i);
  });

  it('requests a seat, sends the approval card to the admin space, and DMs the decision', async () => {
    const t = createTestBot([meetings]);
    const [ack] = await t.say(PEOPLE.cy, 'request webex meetings for 14 days because onboarding');
    expect(ack?.markdown).toMatch(/waiting for an admin/);
    const approval = t.sent.find((r) => 'roomId' in r.to && r.to.roomId === 'room-admins');
    expect(approval).toBeDefined();
    expect(cardText(approval)).toContain('onboarding');
    const seat = Object.values(t.store.read().data.assignments)[0]!;
    expect(seat).toMatchObject({ status: 'pending', reason: 'onboarding', assignee: { email: 'cy@example.com' } });

    // A forged personId/email/role in the inputs changes nothing: the actor is who Webex says clicked.
    const forged = await t.click(PEOPLE.cy, { action: 'seat.approve', assignmentId: seat.id, personId: PEOPLE.ada.id, email: 'ada@example.com', isAdmin: 'true' });
    expect(forged[0]?.markdown).toMatch(/admins/i);
    expect(t.store.read().assignment(seat.id)?.status).toBe('pending');

    const [decision] = await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: seat.id, note: 'enjoy' }, { roomId: 'room-admins' });
    expect(decision?.parentId).toBeDefined();
    expect(t.store.read().assignment(seat.id)).toMatchObject({ status: 'active', decidedBy: { personId: 'p-ada' } });
    const dm = t.sent.find((r) => 'personId' in r.to && r.to.personId === PEOPLE.cy.id);
    expect(dm?.markdown).toMatch(/approved/i);

    // A stale card: the second approve is refused with the current state, nothing granted twice.
    const [stale] = await t.click(PEOPLE.bob, { action: 'seat.approve', assignmentId: seat.id });
    expect(stale?.markdown).toMatch(/no longer waiting: it was already approved by ada@example.com/);
  });

  it('replays of the same attachment action change nothing', async () => {
    const t = createTestBot([figma]);
    const first = await t.click(PEOPLE.cy, { action: 'seat.request', poolId: figma.id }, { id: 'action-1' });
    const again = await t.click(PEOPLE.cy, { action: 'seat.request', poolId: figma.id }, { id: 'action-1' });
    expect(first[0]?.markdown).toBe(again[0]?.markdown);
    expect(Object.keys(t.store.read().data.assignments)).toHaveLength(1);
  });

  it('refuses admin commands to non-admins and audits the attempt', async () => {
    const t = createTestBot([zoho]);
    const [reply] = await t.say(PEOPLE.cy, 'who has zoho crm');
    expect(reply?.markdown).toMatch(/Only license admins/);
    expect(t.store.read().data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { personId: 'p-cy' } });
    const [asAdmin] = await t.say(PEOPLE.ada, 'who has zoho crm');
    expect(cardText(asAdmin)).toContain('Zoho CRM Enterprise');
  });

  it('rejects unknown actions and missing inputs with a clear message', async () => {
    const t = createTestBot([figma]);
    expect((await t.click(PEOPLE.cy, { action: 'seat.steal' }))[0]?.markdown).toMatch(/could not read what this card sent/);
    expect((await t.click(PEOPLE.cy, { action: 'seat.release' }))[0]?.markdown).toMatch(/Choose the seat to release first/);
    expect((await t.click(PEOPLE.cy, { action: 'seat.request', poolId: figma.id, days: '999' }))[0]?.markdown).toMatch(/A seat can be asked for 1 to 365 days/);
  });

  it('ignores group messages that do not mention it, and serves only allowed domains', async () => {
    const t = createTestBot([figma], { allowedEmailDomains: ['example.com'] });
    expect(await t.say(PEOPLE.cy, 'licenses', 'group', false)).toEqual([]);
    expect((await t.say(PEOPLE.cy, 'licenses', 'group', true))[0]?.card).toBeDefined();
    expect((await t.say(PEOPLE.eve, 'licenses'))[0]?.markdown).toMatch(/only people of its own organization/);
  });

  it('grants, lists, releases and revokes', async () => {
    const t = createTestBot([figma, zoho]);
    const [granted] = await t.say(PEOPLE.ada, 'grant zoho crm to [cy@example.com](mailto:cy@example.com) for 30 days');
    expect(granted?.markdown).toMatch(/granted/i);
    expect(t.sent.some((r) => 'personEmail' in r.to && r.to.personEmail === 'cy@example.com')).toBe(true);
    const [mine] = await t.say(PEOPLE.cy, 'my seats');
    expect(cardText(mine)).toContain('Zoho CRM Enterprise');
    const [expiring] = await t.say(PEOPLE.cy, 'expiring in 30 days');
    expect(cardText(expiring)).toContain('Zoho CRM Enterprise');
    const [revoked] = await t.say(PEOPLE.ada, 'revoke zoho crm from cy@example.com');
    expect(revoked?.markdown).toMatch(/revoked/i);
    await t.say(PEOPLE.cy, 'request figma professional');
    const [released] = await t.say(PEOPLE.cy, 'release figma professional');
    expect(released?.markdown).toMatch(/released/i);
    expect(t.store.read().usage(figma.id)).toMatchObject({ used: 0, pending: 0, available: 5 });
  });

  it('turns the digest on and off for a space and answers help', async () => {
    const t = createTestBot([figma]);
    expect((await t.say(PEOPLE.cy, 'digest on'))[0]?.markdown).toMatch(/now on/);
    expect(t.store.read().data.spaces['room-p-cy']?.digest).toBe(true);
    const [help] = await t.say(PEOPLE.cy, 'help');
    expect(cardText(help)).toContain('my seats');
    expect(cardText(help)).not.toContain('grant <product>');
  });
});
