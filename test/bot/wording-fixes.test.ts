import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { aSeat } from '../support/ledger-builders.js';
import { choiceValues, inputs, submits, textBlocks, visibleText } from '../cards/card-inspect.js';
import type { SeatAssignment } from '../../src/domain/ledger.js';
import type { Reply } from '../../src/bot/chat-event.js';

const figma = makePool({ externalId: 'figma', productName: 'Figma Professional', totalSeats: 5, consumedSeats: 0 });
const slack = makePool({ externalId: 'slack', productName: 'Slack Enterprise Grid', totalSeats: 5, consumedSeats: 0 });
const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM Enterprise', totalSeats: 5, consumedSeats: 0 }, 'zoho_crm');

/** Everything a reply shows: its fallback and the text of its card. */
const shown = (r: Reply | undefined): string => `${r?.markdown ?? ''}\n${r?.card ? visibleText(r.card) : ''}`;
/** Internal names an answer must never show: card actions, ledger operations, schema words. */
const INTERNAL = /seat\.(request|release|cancel|revoke|approve|deny)|pool\.show|\.page\b|Cannot run|noteRefusal|assignmentId|poolId|is missing|must be text|seat_act|cpod:default/;

function seed(t: ReturnType<typeof createTestBot>, seats: SeatAssignment[]): Promise<void> {
  return t.store.update(() => ({ changes: seats.map((assignment) => ({ type: 'assignment.put' as const, assignment })), result: undefined }));
}

async function requestFigma(t: ReturnType<typeof createTestBot>): Promise<string> {
  await t.click(PEOPLE.cy, { action: 'seat.request', poolId: figma.id, days: '10', reason: 'design review' });
  const seat = Object.values(t.store.read().data.assignments).find((a) => a.status === 'pending');
  return seat!.id;
}

describe('stale cards name whoever made them stale', () => {
  it('a request the requester withdrew: the approving admin is told Cy withdrew it, not who else touched it', async () => {
    const t = createTestBot([figma]);
    const id = await requestFigma(t);
    await t.click(PEOPLE.cy, { action: 'seat.cancel', pendingAssignmentId: id });
    const [stale] = await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: id }, { roomId: 'room-admins' });
    expect(shown(stale)).toContain('This request is no longer waiting: it was already withdrawn by Cy User (cy@example.com).');
    expect(shown(stale)).not.toMatch(/ada@/);
  });

  it('a seat Ada approved and Cy then released: Bob is told Cy released it, not Ada', async () => {
    const t = createTestBot([figma]);
    const id = await requestFigma(t);
    await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: id }, { roomId: 'room-admins' });
    await t.click(PEOPLE.cy, { action: 'seat.release', assignmentId: id });
    const [stale] = await t.click(PEOPLE.bob, { action: 'seat.deny', assignmentId: id }, { roomId: 'room-admins' });
    expect(shown(stale)).toContain('it was already released by Cy User (cy@example.com)');
    expect(shown(stale)).not.toMatch(/ada@/);
    const [revoke] = await t.click(PEOPLE.bob, { action: 'seat.revoke', poolId: figma.id, assignmentId: id });
    expect(shown(revoke)).toContain('That Figma Professional seat was already released by Cy User (cy@example.com), so there is nothing left to revoke.');
  });
});

describe('refusals say what to do, never an internal name', () => {
  it('Release pressed with nothing chosen asks to choose a seat', async () => {
    const t = createTestBot([figma]);
    const [r] = await t.click(PEOPLE.cy, { action: 'seat.release', assignmentId: '' });
    expect(shown(r)).toContain('Seat not released');
    expect(shown(r)).toContain('Choose the seat to release first.');
    expect(shown(r)).not.toMatch(INTERNAL);
  });

  it('a non-admin pressing Approve is told only admins approve requests', async () => {
    const t = createTestBot([figma]);
    const id = await requestFigma(t);
    const [r] = await t.click(PEOPLE.cy, { action: 'seat.approve', assignmentId: id });
    expect(shown(r)).toContain('Only license admins may approve requests.');
    expect(shown(r)).not.toMatch(INTERNAL);
  });

  it('out-of-range days on the pool card (400) are answered, and nothing is requested', async () => {
    const t = createTestBot([figma]);
    const [card] = await t.say(PEOPLE.cy, 'seats figma professional');
    // The days input has no min/max a client could enforce silently: the bot answers instead.
    expect(inputs(card?.card).find((i) => i['id'] === 'days')).toEqual({
      type: 'Input.Number',
      id: 'days',
      label: 'For how many days (optional, 1 to 365)',
      placeholder: 'Leave empty for no end date',
    });
    for (const days of ['400', '0', '-2', '2.5']) {
      const [r] = await t.click(PEOPLE.cy, { action: 'seat.request', poolId: figma.id, days, reason: '' });
      expect(shown(r)).toContain('Seat not requested');
      expect(shown(r)).toContain('A seat can be asked for 1 to 365 days (a whole number), or with no end date: leave the days empty.');
      expect(shown(r)).not.toMatch(INTERNAL);
    }
    expect(Object.values(t.store.read().data.assignments)).toEqual([]);
  });

  it('a card that sends something unknown is answered without echoing it', async () => {
    const t = createTestBot([figma]);
    const [r] = await t.click(PEOPLE.cy, { action: 'seat.teleport', poolId: figma.id });
    expect(shown(r)).toContain('I could not read what this card sent.');
    expect(shown(r)).not.toMatch(/teleport/);
  });
});

describe('did you mean', () => {
  it('one candidate is asked about by its full name, never "fits more than one license"', async () => {
    const t = createTestBot([figma, slack]);
    const [r] = await t.say(PEOPLE.cy, 'seats frigma');
    expect(shown(r)).not.toContain('more than one');
    expect(r?.markdown).toContain('Did you mean **Figma Professional** · cPod?');
    expect(submits(r?.card)).toEqual([{ title: 'Show its seats', data: { action: 'pool.show', poolId: figma.id } }]);
  });

  it('several candidates come as a list of full names (wrapped, not cut) with one button', async () => {
    const long = makePool({ externalId: 'fig-ent', productName: 'Figma Professional Enterprise Edition for Design and Product Teams' });
    const t = createTestBot([figma, long, slack]);
    const [r] = await t.say(PEOPLE.cy, 'seats figma');
    expect(shown(r)).toContain('fits more than one license');
    const list = inputs(r?.card).find((i) => i['id'] === 'poolId');
    expect(list).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', wrap: true });
    expect(((list?.['choices'] ?? []) as { title: string }[]).map((c) => c.title).sort()).toEqual([
      'Figma Professional (cPod)',
      'Figma Professional Enterprise Edition for Design and Product Teams (cPod)',
    ]);
    expect(submits(r?.card).map((s) => s.title)).toEqual(['Show seats']);
  });
});

describe('role-aware suggestions and actions', () => {
  it("a non-admin's expiring card points to \"my seats\", an admin's to \"who has\"", async () => {
    const ended = makePool({ externalId: 'old', productName: 'Old Tool', expiryDate: '2026-01-01T00:00:00.000Z' });
    const t = createTestBot([figma, ended]);
    const [user] = await t.say(PEOPLE.cy, 'expiring');
    expect(shown(user)).toContain('(see "licenses" and "my seats")');
    expect(shown(user)).not.toContain('who has');
    const [admin] = await t.say(PEOPLE.ada, 'expiring');
    expect(shown(admin)).toContain('(see "licenses" and "who has")');
  });

  it('help lists admin commands only to admins', async () => {
    const t = createTestBot([figma]);
    const [user] = await t.say(PEOPLE.cy, 'help');
    expect(shown(user)).not.toMatch(/who has|pending|grant|revoke/);
    const [admin] = await t.say(PEOPLE.ada, 'help');
    expect(shown(admin)).toMatch(/who has/);
  });

  it("an admin's own request is listed on the pending card but not offered to them for Approve or Deny", async () => {
    const t = createTestBot([figma, slack]);
    await t.click(PEOPLE.ada, { action: 'seat.request', poolId: figma.id });
    await t.click(PEOPLE.cy, { action: 'seat.request', poolId: slack.id });
    const [r] = await t.say(PEOPLE.ada, 'pending');
    const cy = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'cy@example.com')!;
    expect(choiceValues(r?.card, 'assignmentId')).toEqual([cy.id]);
    expect(shown(r)).toContain('your own request: another admin decides it');
  });

  it('seats held at a vendor are shown but never offered for Release, Cancel or Revoke', async () => {
    const t = createTestBot([zoho]);
    await seed(t, [
      aSeat({ id: 'vendor-cy', poolId: zoho.id, origin: 'vendor', vendorSeen: true, assignee: { kind: 'user', id: 'zoho-1', email: 'cy@example.com', name: 'Cy User' } }),
      aSeat({ id: 'bot-di', poolId: zoho.id, assignee: { kind: 'user', id: 'p-di', email: 'di@example.com', name: 'Di Bot' } }),
    ]);
    const [mine] = await t.say(PEOPLE.cy, 'my seats');
    expect(shown(mine)).toContain('Held at Zoho CRM');
    expect(submits(mine?.card)).toEqual([]);
    expect(shown(mine)).toContain('Seats and invitations held at a vendor are changed there, not here.');
    const [holders] = await t.say(PEOPLE.ada, 'who has zoho crm enterprise');
    expect(choiceValues(holders?.card, 'assignmentId')).toEqual(['bot-di']);
    expect(shown(holders)).toContain('Cy User (cy@example.com)');
    expect(shown(holders)).toContain('Seats and invitations at Zoho CRM are changed at Zoho CRM, not here.');
  });
});

describe('people are named "Name (email)" wherever the ledger knows them', () => {
  it('a cPod holder known only by id is named from their other cPod seat', async () => {
    const acrobat = makePool({ externalId: 'acrobat', productName: 'Adobe Acrobat Pro' });
    const t = createTestBot([figma, acrobat]);
    const person = (name: string | null, email: string | null) => ({ kind: 'user' as const, id: 'per_01JBX60001AVATHOMPSON', email, name });
    await seed(t, [
      aSeat({ id: 'c1', poolId: acrobat.id, origin: 'vendor', assignee: person('Ava Thompson', 'ava@example.com') }),
      aSeat({ id: 'c2', poolId: figma.id, origin: 'vendor', assignee: person(null, null) }),
      aSeat({ id: 'c3', poolId: figma.id, origin: 'vendor', assignee: { kind: 'user', id: 'per_01JBX6STRANGER', email: null, name: null } }),
    ]);
    const [r] = await t.say(PEOPLE.ada, 'who has figma professional');
    expect(shown(r)).toContain('Ava Thompson (ava@example.com)');
    expect(shown(r)).not.toMatch(/user per_01JBX60001/);
    expect(shown(r)).toContain('unnamed cPod user (per_01JBX6STRANGER)');
  });

  it('grant and revoke cards name the grantee the way the other cards do', async () => {
    const t = createTestBot([figma, slack]);
    await requestFigma(t);
    const [granted] = await t.say(PEOPLE.ada, 'grant slack enterprise grid to cy@example.com');
    expect(textBlocks(granted?.card)).toContain('For: Cy User (cy@example.com)');
    const [revoked] = await t.say(PEOPLE.ada, 'revoke slack enterprise grid from cy@example.com');
    expect(textBlocks(revoked?.card)).toContain('For: Cy User (cy@example.com)');
  });
});

describe('a pending request reads as the seat term it asks for', () => {
  it('"for 10 days once approved", never an expiry of the request itself', async () => {
    const t = createTestBot([figma]);
    await requestFigma(t);
    const approval = t.sent.find((r) => cardText(r).includes('Seat request'));
    expect(textBlocks(approval?.card)).toContain('For: 10 days from approval');
    for (const [who, text] of [
      [PEOPLE.cy, 'my seats'],
      [PEOPLE.ada, 'pending'],
      [PEOPLE.ada, 'who has figma professional'],
    ] as const) {
      const [r] = await t.say(who, text);
      expect(shown(r), text).toContain('for 10 days once approved');
      expect(shown(r), text).not.toMatch(/expires 2026-03-12|until 2026-03-12/);
    }
  });
});
