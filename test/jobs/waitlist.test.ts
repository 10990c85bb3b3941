// The waitlist: a full license queues people; a freed seat is held 24 h for the first in line, offered in the
// same ledger change that freed it (release, revoke, deny, expiry, request TTL, reclaim) with a Claim / Leave DM
// right after; claimed by the pool's approval policy; the seat-expiry job lapses old offers to the next person.
import { describe, expect, it } from 'vitest';
import type { ChatPerson, Reply } from '../../src/bot/chat-event.js';
import type { LicensePool } from '../../src/domain/ledger.js';
import { createTestBot, createTestJobs, PEOPLE, cardText } from '../support/test-bot.js';
import { pressSubmit, submits } from '../cards/card-inspect.js';
import { makePool } from '../support/make-pool.js';

const HOUR = 3_600_000;
const DEE: ChatPerson = { id: 'p-dee', email: 'dee@example.com', displayName: 'Dee User' };
const FAY: ChatPerson = { id: 'p-fay', email: 'fay@example.com', displayName: 'Fay User' };

function setup(pools: LicensePool[]) {
  const t = createTestBot(pools);
  const { jobSent, job } = createTestJobs(t);
  const expiryJob = job('seat-expiry');
  // Offer DMs leave by the bot's notices (a chat change) or the job's outbox (a scheduled change).
  const offersTo = (p: ChatPerson) => [...t.sent, ...jobSent].filter((r) => 'personId' in r.to && r.to.personId === p.id && r.markdown.includes('held for you'));
  const text = (replies: Reply[]) => replies.map((r) => `${r.markdown} ${cardText(r)}`).join('\n');
  const entries = () => Object.values(t.store.read().data.waitlist ?? {});
  return { ...t, jobSent, job, runJob: () => expiryJob.run(), offersTo, text, entries };
}

const auto = () => makePool({ externalId: 'figma', productName: 'Figma', totalSeats: 1, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 0 } });
const required = () => makePool({ externalId: 'zoho', productName: 'Zoho CRM', totalSeats: 1, consumedSeats: 0 });

describe('waitlist', () => {
  it('auto pool: join, the seat frees, the first in line is offered it (reserved), claims it; the queue shows places', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma');
    expect(t.text(await t.say(DEE, 'request Figma'))).toContain('No free seat');
    expect(t.text(await t.say(DEE, 'join waitlist Figma'))).toContain('number 1 on the waitlist');
    expect(t.text(await t.say(FAY, 'join the waitlist for Figma'))).toContain('number 2 on the waitlist');
    expect(t.text(await t.say(FAY, 'join waitlist Figma'))).toContain('already on the waitlist');
    expect(t.text(await t.say(FAY, 'waitlist Figma'))).toContain('You are number 2');
    expect(t.text(await t.say(FAY, 'waitlist Figma'))).not.toContain('Dee');
    expect(t.text(await t.say(PEOPLE.ada, 'waitlist Figma'))).toMatch(/Dee User.*Fay User/);

    await t.runJob();
    expect(t.offersTo(DEE)).toEqual([]);
    await t.say(PEOPLE.cy, 'release Figma');
    // Offered in the release itself; the job's later passes send nothing more.
    expect(t.offersTo(DEE)).toHaveLength(1);
    await t.runJob();
    await t.runJob();
    expect(t.offersTo(DEE)).toHaveLength(1);
    expect(t.offersTo(FAY)).toEqual([]);
    // The offer holds the seat: nobody else takes it meanwhile, not even its former holder.
    expect(t.text(await t.say(PEOPLE.cy, 'request Figma'))).toContain('No free seat');
    expect(t.text(await t.say(FAY, 'claim Figma'))).toContain('No Figma seat is being held for you');

    await t.say(DEE, 'claim Figma');
    const seat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'dee@example.com');
    expect(seat?.status).toBe('active');
    expect(t.entries().find((e) => e.person.id === DEE.id)?.status).toBe('claimed');
    const actions = t.store.read().data.audit.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['waitlist.joined', 'waitlist.offered', 'waitlist.claimed']));
    expect(t.store.read().usage(auto().id).available).toBe(0);
  });

  it('approval pool: a claim becomes a request for the admins, and the seat stays reserved', async () => {
    const t = setup([required()]);
    await t.say(PEOPLE.cy, 'request Zoho CRM');
    await t.say(DEE, 'join waitlist Zoho CRM');
    await t.say(PEOPLE.cy, 'release Zoho CRM');
    await t.runJob();
    expect(t.offersTo(DEE)).toHaveLength(1);
    const before = t.sent.length;
    expect(t.text(await t.say(DEE, 'claim Zoho CRM'))).toContain('waiting for an admin');
    const seat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'dee@example.com');
    expect(seat?.status).toBe('pending');
    expect(t.sent.slice(before).some((r) => 'roomId' in r.to && r.to.roomId === 'room-admins')).toBe(true);
    expect(t.store.read().usage(required().id).pending).toBe(1);
  });

  it('an unclaimed offer lapses after 24 hours and goes to the next person', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma');
    await t.say(DEE, 'join waitlist Figma');
    await t.say(FAY, 'join waitlist Figma');
    await t.say(PEOPLE.cy, 'release Figma');
    await t.runJob();
    expect(t.offersTo(DEE)).toHaveLength(1);
    t.clock.advance(23 * HOUR);
    await t.runJob();
    expect(t.offersTo(FAY)).toEqual([]);
    t.clock.advance(HOUR);
    await t.runJob();
    expect(t.offersTo(FAY)).toHaveLength(1);
    expect(t.entries().find((e) => e.person.id === DEE.id)?.status).toBe('lapsed');
    expect(t.text(await t.say(DEE, 'claim Figma'))).toContain('No Figma seat is being held for you');
    await t.say(FAY, 'claim Figma');
    expect(Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'fay@example.com')?.status).toBe('active');
  });

  it('leaving the waitlist (even with an offer out) passes the seat to the next', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma');
    await t.say(DEE, 'join waitlist Figma');
    await t.say(FAY, 'join waitlist Figma');
    expect(t.text(await t.say(FAY, 'leave waitlist Figma'))).toContain('You left the waitlist');
    expect(t.text(await t.say(FAY, 'leave waitlist Figma'))).toContain('not on the waitlist');
    await t.say(FAY, 'join waitlist Figma');
    await t.say(PEOPLE.cy, 'release Figma');
    await t.runJob();
    expect(t.offersTo(DEE)).toHaveLength(1);
    await t.say(DEE, 'leave waitlist Figma');
    await t.runJob();
    expect(t.offersTo(FAY)).toHaveLength(1);
    expect(t.store.read().data.audit.filter((e) => e.action === 'waitlist.left')).toHaveLength(2);
  });

  it('buttons: a full request offers Join; the offer DM has Claim and Leave; the queue card has Leave for a waiter', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma');
    const [full] = await t.say(DEE, 'request Figma');
    expect(submits(full?.card).map((b) => [b.title, b.data['action']])).toEqual([['Join the waitlist', 'waitlist.join']]);
    const join = pressSubmit(full?.card, 'Join the waitlist');
    const [joined] = await t.click(DEE, join, { id: 'join-1' });
    expect(t.text([joined!])).toContain('number 1 on the waitlist');
    expect(submits(joined?.card).map((b) => b.title)).toEqual(['Leave']);
    // The same click again (a redelivered webhook) and a second click change nothing.
    await t.click(DEE, join, { id: 'join-1' });
    expect(t.text(await t.click(DEE, join, { id: 'join-2' }))).toContain('already on the waitlist');
    expect(t.entries().filter((e) => e.status === 'waiting')).toHaveLength(1);

    await t.say(FAY, 'join waitlist Figma');
    const [queue] = await t.say(FAY, 'waitlist Figma');
    expect(cardText(queue)).toContain('You are number 2');
    expect(cardText(queue)).not.toContain('Dee');
    expect(submits(queue?.card).map((b) => b.title)).toEqual(['Leave']);
    const [asAdmin] = await t.say(PEOPLE.ada, 'waitlist Figma');
    expect(cardText(asAdmin)).toMatch(/Dee User.*Fay User/);
    expect(submits(asAdmin?.card).map((b) => b.title)).toEqual(['Join the waitlist']);

    const [released] = await t.say(PEOPLE.cy, 'release Figma');
    const [offer] = t.offersTo(DEE);
    // The freed seat is Dee's to claim now: Undo cannot take it back from the line.
    expect(t.text(await t.click(PEOPLE.cy, pressSubmit(released?.card, 'Undo')))).toContain('Too late to undo');
    expect(offer?.to).toEqual({ personId: DEE.id });
    expect(submits(offer?.card).map((b) => [b.title, b.data['action'], b.data['poolId']])).toEqual([
      ['Claim', 'waitlist.claim', auto().id],
      ['Leave', 'waitlist.leave', auto().id],
    ]);
    // The admins see the offer on the queue card.
    expect(cardText((await t.say(PEOPLE.ada, 'waitlist Figma'))[0])).toMatch(/Dee User.*offered a seat until/);
    // Leave passes the seat on at once: Fay gets her own Claim message in the same change.
    await t.click(DEE, pressSubmit(offer?.card, 'Leave'));
    expect(t.offersTo(FAY)).toHaveLength(1);
    await t.click(FAY, pressSubmit(t.offersTo(FAY)[0]?.card, 'Claim'));
    expect(Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'fay@example.com')?.status).toBe('active');
  });

  it('no queue jumping: with people waiting, a plain request is told of the queue and offered Join, even when a sync added a seat', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma');
    await t.say(DEE, 'join waitlist Figma');
    // The vendor grows the pool by one seat (a sync); the job is the backstop that offers it.
    const grown = { ...t.store.read().pool(auto().id)!, totalSeats: 2 };
    await t.store.update(() => ({ changes: [{ type: 'pool.put', pool: grown }], result: undefined }));
    const [told] = await t.say(FAY, 'request Figma');
    expect(t.text([told!])).toContain('1 person is already waiting for Figma');
    expect(submits(told?.card).map((b) => b.title)).toEqual(['Join the waitlist']);
    expect(Object.values(t.store.read().data.assignments).filter((a) => a.status === 'active')).toHaveLength(1);
    await t.click(FAY, pressSubmit(told?.card, 'Join the waitlist'));
    await t.runJob();
    expect(t.offersTo(DEE)).toHaveLength(1);
    expect(t.offersTo(FAY)).toEqual([]);
    // The offered seat is reserved: free seats for requests are free seats minus live offers.
    expect(t.store.read().usage(auto().id).available).toBe(0);
    expect(t.text(await t.say(PEOPLE.bob, 'request Figma'))).toContain('1 person is already waiting');
  });

  it('a seat freed by revoke or deny is offered in the same change, its Claim message sent right after', async () => {
    const t = setup([required()]);
    const zoho = required().id;
    const offeredInSameChange = (key: string) => t.store.read().data.audit.filter((e) => e.idempotencyKey === key).map((e) => e.action);

    // Revoke (chat): the offer is part of the revoke's own change.
    await t.say(PEOPLE.cy, 'request Zoho CRM');
    const cySeat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === PEOPLE.cy.email)!;
    await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: cySeat.id }, { id: 'approve-cy' });
    expect(t.store.read().assignment(cySeat.id)?.status).toBe('active');
    await t.say(DEE, 'join waitlist Zoho CRM');
    await t.click(PEOPLE.ada, { action: 'seat.revoke', poolId: zoho, assignmentId: cySeat.id }, { id: 'revoke-cy' });
    expect(offeredInSameChange('revoke-cy')).toEqual(['seat.revoked', 'waitlist.offered']);
    expect(t.offersTo(DEE)).toHaveLength(1);

    // Deny of a claimed (pending) seat: the seat goes to the next in line.
    await t.say(FAY, 'join waitlist Zoho CRM');
    await t.click(DEE, pressSubmit(t.offersTo(DEE)[0]?.card, 'Claim'));
    const deeSeat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === 'dee@example.com')!;
    expect(deeSeat.status).toBe('pending');
    await t.click(PEOPLE.bob, { action: 'seat.deny', assignmentId: deeSeat.id }, { id: 'deny-dee' });
    expect(offeredInSameChange('deny-dee')).toEqual(['seat.denied', 'waitlist.offered']);
    expect(t.offersTo(FAY)).toHaveLength(1);
  });

  it('a time-bound seat that expires, and a request left unanswered past REQUEST_TTL_DAYS, go to the waitlist in the same change', async () => {
    const t = setup([auto()]);
    await t.say(PEOPLE.cy, 'request Figma for 1 day');
    await t.say(DEE, 'join waitlist Figma');
    t.clock.advance(24 * HOUR + 60_000);
    await t.runJob();
    const cySeat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === PEOPLE.cy.email)!;
    expect(cySeat.status).toBe('expired');
    expect(t.store.read().data.audit.filter((e) => e.idempotencyKey === `expire:${cySeat.id}`).map((e) => e.action)).toEqual(['seat.expired', 'waitlist.offered']);
    expect(t.offersTo(DEE)).toHaveLength(1);

    const r = setup([required()]);
    await r.say(PEOPLE.cy, 'request Zoho CRM');
    await r.say(DEE, 'join waitlist Zoho CRM');
    r.clock.advance(15 * 24 * HOUR);
    const reminders = r.job('reminders');
    await reminders.run();
    const cyRequest = Object.values(r.store.read().data.assignments).find((a) => a.assignee.email === PEOPLE.cy.email)!;
    expect(cyRequest.status).toBe('expired');
    expect(r.store.read().data.audit.filter((e) => e.idempotencyKey === `expire-request:${cyRequest.id}`).map((e) => e.action)).toEqual(['seat.request_expired', 'waitlist.offered']);
    expect(r.offersTo(DEE)).toHaveLength(1);
  });
});
