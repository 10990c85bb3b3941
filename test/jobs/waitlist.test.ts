// The waitlist: a full license queues people; a freed seat is held 24 h for the first in line (a DM from the
// seat-expiry job), claimed by the pool's approval policy, then offered to the next when it lapses.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { ChatPerson, JobOutbox, Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { loadConfig } from '../../src/config.js';
import type { LicensePool } from '../../src/domain/ledger.js';
import { jobTable } from '../../src/jobs/job-table.js';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const HOUR = 3_600_000;
const ACCESS = { adminEmails: ['ada@example.com', 'bob@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] };
const DEE: ChatPerson = { id: 'p-dee', email: 'dee@example.com', displayName: 'Dee User' };
const FAY: ChatPerson = { id: 'p-fay', email: 'fay@example.com', displayName: 'Fay User' };

function setup(pools: LicensePool[]) {
  const t = createTestBot(pools);
  const jobSent: Reply[] = [];
  const outbox: JobOutbox = {
    send: (r) => (jobSent.push(...r), Promise.resolve()),
    deliver: (r) => (jobSent.push(...r), Promise.resolve(r.map(() => ({ ok: true as const })))),
  };
  const { schedule } = loadConfig({});
  const jobs = jobTable({
    schedule,
    syncRunner: { run: () => Promise.reject(new Error('no sync in this test')) },
    store: t.store,
    clock: t.clock,
    outbox,
    notices: createJobNotices({ access: ACCESS, vendors: [] }),
    logger: createLogger({ level: 'silent' }),
  });
  const expiryJob = jobs.find((j) => j.name === 'seat-expiry')!;
  const offersTo = (p: ChatPerson) => jobSent.filter((r) => 'personId' in r.to && r.to.personId === p.id && r.markdown.includes('held for you'));
  const text = (replies: Reply[]) => replies.map((r) => `${r.markdown} ${cardText(r)}`).join('\n');
  const entries = () => Object.values(t.store.read().data.waitlist ?? {});
  return { ...t, jobSent, runJob: () => expiryJob.run(), offersTo, text, entries };
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
});
