// Time-bound seats on autopilot: warned a day and an hour before (each once, at any job frequency), extended
// by the pool's approval policy, and ended within minutes of their end through the ledger, with a DM.
import { describe, expect, it } from 'vitest';
import type { LicensePool, SeatAssignment } from '../../src/domain/ledger.js';
import { createTestBot, createTestJobs, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { submits } from '../cards/card-inspect.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The test bot plus the real job table on the default schedule, with an outbox that records what the jobs send. */
function setup(pools: LicensePool[]) {
  const t = createTestBot(pools);
  const { jobSent, job, schedule } = createTestJobs(t);
  const seatOf = (email: string): SeatAssignment => {
    const seat = Object.values(t.store.read().data.assignments).find((a) => a.assignee.email === email);
    if (!seat) throw new Error(`no seat for ${email}`);
    return seat;
  };
  const warnings = () => jobSent.filter((r) => r.markdown.startsWith('Reminder: your'));
  return { ...t, jobSent, job, seatOf, warnings, schedule };
}

const auto = makePool({ externalId: 'figma', productName: 'Figma', totalSeats: 3, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 0 } });
const required = makePool({ externalId: 'zoho', productName: 'Zoho CRM', totalSeats: 3, consumedSeats: 0 });

describe('time-bound seats', () => {
  it('warns a day before and an hour before, each once, with the seat-expiry and reminder jobs firing every few seconds', async () => {
    const t = setup([auto]);
    await t.say(PEOPLE.cy, 'request Figma for 2 days');
    const seat = t.seatOf('cy@example.com');
    const end = Date.parse(seat.expiresAt!);
    const fireAround = async (from: number, to: number) => {
      for (let at = from; at <= to; at += 5_000) {
        t.clock.set(new Date(at).toISOString());
        await t.job('seat-expiry').run();
        if (at % (30 * 1000) === 0) await t.job('reminders').run();
      }
    };

    await fireAround(end - DAY - 5 * MIN, end - DAY - 5_000);
    expect(t.warnings()).toEqual([]);
    await fireAround(end - DAY, end - DAY + 10 * MIN);
    await fireAround(end - 5 * HOUR, end - 5 * HOUR + 2 * MIN);
    expect(t.warnings()).toHaveLength(1);
    await fireAround(end - HOUR - 2 * MIN, end - HOUR + 10 * MIN);
    expect(t.warnings()).toHaveLength(2);
    await fireAround(end - 10 * MIN, end - 5_000);
    const [dayBefore, hourBefore] = t.warnings();
    expect(dayBefore?.to).toEqual({ personId: 'p-cy' });
    expect(dayBefore?.markdown).toMatch(/^Reminder: your \*\*Figma\*\* seat ends 2026-03-04 09:00 UTC\. Press Extend to keep it 2 more days\.$/);
    expect(hourBefore?.markdown).toBe(dayBefore?.markdown);
    expect(submits(hourBefore?.card).map((s) => [s.title, s.data['action'], s.data['assignmentId']])).toEqual([['Extend by 2 days', 'seat.extend', seat.id]]);
    expect(t.store.read().data.audit.filter((e) => e.action === 'notice.sent' && e.assignmentId === seat.id)).toHaveLength(2);
    expect(t.store.read().assignment(seat.id)?.status).toBe('active');
  });

  it('sends only the hour-before warning when a seat already ends within the hour', async () => {
    const t = setup([auto]);
    await t.say(PEOPLE.cy, 'request Figma for 1 day');
    const end = Date.parse(t.seatOf('cy@example.com').expiresAt!);
    t.clock.set(new Date(end - 30 * MIN).toISOString());
    for (let i = 0; i < 5; i++) await t.job('seat-expiry').run();
    expect(t.warnings()).toHaveLength(1);
  });

  it('ends the seat through the ledger within 5 minutes of its end, on SEAT_EXPIRY_CRON (every minute), and tells the holder', async () => {
    const t = setup([auto]);
    expect(t.schedule.seatExpiryCron).toBe('* * * * *');
    await t.say(PEOPLE.ada, 'grant Figma to cy@example.com for 3 days');
    const seat = t.seatOf('cy@example.com');
    const end = Date.parse(seat.expiresAt!);
    // The minute ticks just before and after the end; the daily reminder job would not run until 09:30.
    t.clock.set(new Date(end - 20_000).toISOString());
    await t.job('seat-expiry').run();
    expect(t.store.read().assignment(seat.id)?.status).toBe('active');
    t.clock.advance(MIN);
    await t.job('seat-expiry').run();
    await t.job('seat-expiry').run();
    const after = t.store.read().assignment(seat.id)!;
    expect(after.status).toBe('expired');
    expect(Date.parse(after.endedAt!) - end).toBeLessThanOrEqual(5 * MIN);
    expect(t.store.read().data.audit.filter((e) => e.action === 'seat.expired' && e.assignmentId === seat.id)).toHaveLength(1);
    const dms = t.jobSent.filter((r) => JSON.stringify(r.to) === JSON.stringify({ personEmail: 'cy@example.com' }) && cardText(r).includes('Seat expired'));
    expect(dms).toHaveLength(1);
    expect(t.store.read().usage(auto.id).available).toBe(3);
  });

  it('extends at once in an auto pool from the warning, and warns again before the new end', async () => {
    const t = setup([auto]);
    await t.say(PEOPLE.cy, 'request Figma for 2 days');
    const seat = t.seatOf('cy@example.com');
    t.clock.set(new Date(Date.parse(seat.expiresAt!) - 2 * HOUR).toISOString());
    await t.job('seat-expiry').run();
    const [warning] = t.warnings();
    const extend = submits(warning?.card).find((s) => s.data['action'] === 'seat.extend');
    const [reply] = await t.click(PEOPLE.cy, extend!.data);
    expect(cardText(reply)).toContain('Seat extended');
    const moved = t.store.read().assignment(seat.id)!;
    expect(moved.expiresAt).toBe(new Date(Date.parse(seat.expiresAt!) + 2 * DAY).toISOString());
    expect(t.store.read().data.audit.filter((e) => e.action === 'seat.extended')).toHaveLength(1);

    // The old end passes without ending the seat; the new end is warned of again, a day before.
    t.clock.set(new Date(Date.parse(seat.expiresAt!) + MIN).toISOString());
    await t.job('seat-expiry').run();
    expect(t.store.read().assignment(seat.id)?.status).toBe('active');
    t.clock.set(new Date(Date.parse(moved.expiresAt!) - DAY + MIN).toISOString());
    await t.job('seat-expiry').run();
    await t.job('seat-expiry').run();
    expect(t.warnings()).toHaveLength(2);
  });

  it('in a pool that needs approval, Extend asks the admins, and an admin pressing Extend on their card extends', async () => {
    const t = setup([required]);
    await t.say(PEOPLE.ada, 'grant Zoho CRM to cy@example.com for 3 days');
    const seat = t.seatOf('cy@example.com');
    t.clock.set(new Date(Date.parse(seat.expiresAt!) - 20 * HOUR).toISOString());
    await t.job('seat-expiry').run();
    const extend = submits(t.warnings()[0]?.card).find((s) => s.data['action'] === 'seat.extend');
    expect(extend?.data['days']).toBe(3);

    const [asked] = await t.click(PEOPLE.cy, extend!.data);
    expect(asked?.markdown).toMatch(/Extending your Zoho CRM seat by 3 days needs an admin\. I asked the license admins/);
    expect(t.store.read().assignment(seat.id)?.expiresAt).toBe(seat.expiresAt);
    const toAdmins = t.sent.filter((r) => 'roomId' in r.to && r.to.roomId === 'room-admins');
    expect(toAdmins.map((r) => cardText(r))).toEqual([expect.stringContaining('Extension requested')]);

    // An admin (not the holder) pressing the same button on the admins' card extends at once.
    const adminButton = submits(toAdmins[0]?.card).find((s) => s.data['action'] === 'seat.extend');
    const [done] = await t.click(PEOPLE.ada, adminButton!.data, { roomId: 'room-admins' });
    expect(cardText(done)).toContain('Seat extended');
    expect(t.store.read().assignment(seat.id)?.expiresAt).toBe(new Date(Date.parse(seat.expiresAt!) + 3 * DAY).toISOString());
    const dm = t.sent.filter((r) => 'personEmail' in r.to && r.to.personEmail === 'cy@example.com' && cardText(r).includes('Seat extended'));
    expect(dm).toHaveLength(1);
  });

  it('a pending extension is stored, listed for admins with Approve / Deny, deniable (the holder is told) and asked once', async () => {
    const t = setup([required]);
    await t.say(PEOPLE.ada, 'grant Zoho CRM to cy@example.com for 3 days');
    const seat = t.seatOf('cy@example.com');
    await t.click(PEOPLE.cy, { action: 'seat.extend', assignmentId: seat.id, days: 3 });
    expect(t.store.read().assignment(seat.id)?.extensionRequest).toMatchObject({ days: 3, requestedBy: { kind: 'person', email: 'cy@example.com' } });
    expect(t.store.read().data.audit.at(-1)?.action).toBe('seat.extension_requested');
    // A second ask while one waits changes nothing.
    expect(cardText((await t.click(PEOPLE.cy, { action: 'seat.extend', assignmentId: seat.id, days: 5 }))[0])).toContain('already asked to extend');
    const toAdmins = t.sent.filter((r) => 'roomId' in r.to && r.to.roomId === 'room-admins');
    expect(toAdmins).toHaveLength(1);
    expect(submits(toAdmins[0]?.card).map((b) => [b.title, b.data['action']])).toEqual([
      ['Extend by 3 days', 'seat.extend'],
      ['Deny', 'seat.deny'],
    ]);

    const [pending] = await t.say(PEOPLE.bob, 'pending');
    expect(pending?.markdown).toContain('cy@example.com → **Zoho CRM** · cPod: extension: 3 more days · 1 seat · asked 2026-03-02 · now ends 2026-03-05');
    expect(cardText(pending)).toContain('(extend 3 days)');
    // Bob denies it from the pending list: the seat keeps its end, the holder hears of it.
    const [denied] = await t.click(PEOPLE.bob, { action: 'seat.deny', assignmentId: seat.id, note: 'project ends' });
    expect(cardText(denied)).toContain('Extension denied');
    expect(t.store.read().assignment(seat.id)?.expiresAt).toBe(seat.expiresAt);
    expect(t.store.read().assignment(seat.id)?.extensionRequest).toBeNull();
    const dm = t.sent.filter((r) => 'personEmail' in r.to && r.to.personEmail === 'cy@example.com' && cardText(r).includes('Extension denied'));
    expect(dm).toHaveLength(1);
    expect(cardText(dm[0])).toContain('project ends');
    expect(cardText((await t.say(PEOPLE.bob, 'pending'))[0])).not.toContain('extend 3 days');
    // Deny again (a second click on the admins' card) is already handled.
    expect(cardText((await t.click(PEOPLE.ada, { action: 'seat.deny', assignmentId: seat.id }))[0])).toMatch(/no longer waiting|No extension/);
  });

  it('Approve on the pending list extends by the days asked; an extension unanswered for REQUEST_TTL_DAYS expires and the holder is told', async () => {
    const t = setup([required]);
    await t.say(PEOPLE.ada, 'grant Zoho CRM to cy@example.com for 30 days');
    const seat = t.seatOf('cy@example.com');
    await t.click(PEOPLE.cy, { action: 'seat.extend', assignmentId: seat.id, days: 4 });
    const [approved] = await t.click(PEOPLE.bob, { action: 'seat.approve', assignmentId: seat.id });
    expect(cardText(approved)).toContain('Seat extended');
    expect(t.store.read().assignment(seat.id)?.expiresAt).toBe(new Date(Date.parse(seat.expiresAt!) + 4 * DAY).toISOString());
    expect(t.store.read().assignment(seat.id)?.extensionRequest).toBeNull();

    await t.click(PEOPLE.cy, { action: 'seat.extend', assignmentId: seat.id, days: 2 });
    const asked = t.store.read().assignment(seat.id)!;
    t.clock.advance(13 * DAY);
    await t.job('reminders').run();
    expect(t.store.read().assignment(seat.id)?.extensionRequest?.days).toBe(2);
    t.clock.advance(DAY);
    await t.job('reminders').run();
    await t.job('reminders').run();
    expect(t.store.read().assignment(seat.id)?.extensionRequest).toBeNull();
    expect(t.store.read().assignment(seat.id)?.expiresAt).toBe(asked.expiresAt);
    expect(t.store.read().data.audit.filter((e) => e.action === 'seat.extension_expired')).toHaveLength(1);
    expect(t.jobSent.filter((r) => r.markdown.startsWith('Your request to extend your **Zoho CRM** seat waited 14 days'))).toHaveLength(1);
  });

  it('admins grant for N days too', async () => {
    const t = setup([required]);
    await t.say(PEOPLE.ada, 'grant Zoho CRM to cy@example.com for 5 days');
    const seat = t.seatOf('cy@example.com');
    expect(seat.status).toBe('active');
    expect(Date.parse(seat.expiresAt!) - Date.parse(seat.assignedAt!)).toBe(5 * DAY);
  });
});
