// Reclaim of idle seats: holders whose seat the vendor reports unused for RECLAIM_AFTER_DAYS are asked Keep or
// Release once; Keep holds the question off 30 days; with policy 'auto', no answer in 7 days releases a
// bot-granted seat through the ledger and only reports a vendor-held one.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/bot/chat-event.js';
import type { LicensePool, ReclaimMode, SeatAssignment } from '../../src/domain/ledger.js';
import { createTestBot, createTestJobs, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { aSeat } from '../support/ledger-builders.js';
import { pressSubmit, submits } from '../cards/card-inspect.js';

const DAY = 86_400_000;
const LAST_USED = '2025-12-15T00:00:00.000Z';

function setup(reclaim: ReclaimMode) {
  const pool: LicensePool = makePool({ externalId: 'figma', productName: 'Figma', totalSeats: 5, consumedSeats: 0, policy: { approval: 'required', minFreeSeats: 0, reclaim } });
  const t = createTestBot([pool]);
  const { jobSent, job } = createTestJobs(t);
  const reminders = job('reminders');
  const put = (seat: SeatAssignment) => t.store.update(() => ({ changes: [{ type: 'assignment.put', assignment: seat }], result: undefined }));
  const cySeat = aSeat({
    id: 'cy-seat',
    poolId: pool.id,
    assignee: { kind: 'user', id: PEOPLE.cy.id, email: PEOPLE.cy.email, name: PEOPLE.cy.displayName },
    requestedBy: { kind: 'person', personId: PEOPLE.cy.id, email: PEOPLE.cy.email },
    lastUsedAt: LAST_USED,
  });
  const vendorSeat = aSeat({ id: 'vendor-seat', poolId: pool.id, origin: 'vendor', vendorSeen: true, source: 'sync', externalId: 'asg-1', lastUsedAt: LAST_USED });
  const asks = () => jobSent.filter((r) => r.markdown.startsWith('Your **Figma** seat has not been used'));
  const at = async (ms: number) => {
    t.clock.set(new Date(ms).toISOString());
    await reminders.run();
  };
  const text = (replies: Reply[]) => replies.map((r) => `${r.markdown} ${JSON.stringify(r.card ?? {})}`).join('\n');
  return { ...t, pool, jobSent, put, cySeat, vendorSeat, asks, at, text, start: Date.parse('2026-03-02T09:00:00.000Z') };
}

describe('reclaim of idle seats', () => {
  it('asks once, and after Keep does not ask again for 30 days, then asks again', async () => {
    const t = setup('ask');
    await t.put(t.cySeat);
    await t.at(t.start);
    await t.at(t.start + 60_000);
    expect(t.asks()).toHaveLength(1);
    const ask = t.asks()[0];
    expect(ask?.to).toEqual({ personId: PEOPLE.cy.id });
    expect(submits(ask?.card).map((s) => [s.title, s.data['action'], s.data['assignmentId']])).toEqual([
      ['Keep', 'seat.keep', 'cy-seat'],
      ['Release', 'seat.release', 'cy-seat'],
    ]);
    const [reply] = await t.click(PEOPLE.cy, pressSubmit(ask?.card, 'Keep'));
    expect(reply?.markdown).toMatch(/You keep your Figma seat/);
    expect(t.store.read().data.audit.filter((e) => e.action === 'seat.kept' && e.assignmentId === 'cy-seat')).toHaveLength(1);

    for (let d = 1; d < 30; d += 3) await t.at(t.start + d * DAY);
    expect(t.asks()).toHaveLength(1);
    await t.at(t.start + 30 * DAY + 60_000);
    expect(t.asks()).toHaveLength(2);
    expect(t.store.read().assignment('cy-seat')?.status).toBe('active');
  });

  it('releases the seat when the holder presses Release', async () => {
    const t = setup('ask');
    await t.put(t.cySeat);
    await t.at(t.start);
    await t.click(PEOPLE.cy, pressSubmit(t.asks()[0]?.card, 'Release'));
    expect(t.store.read().assignment('cy-seat')?.status).toBe('released');
    await t.at(t.start + 40 * DAY);
    expect(t.asks()).toHaveLength(1);
  });

  it('with auto, releases an unanswered bot-granted seat after 7 days and only reports a vendor-held one', async () => {
    const t = setup('auto');
    await t.put(t.cySeat);
    await t.put(t.vendorSeat);
    await t.at(t.start);
    // Only the bot-granted seat's holder is asked: the bot cannot release a vendor-held seat.
    expect(t.asks()).toHaveLength(1);
    await t.at(t.start + 6 * DAY);
    expect(t.store.read().assignment('cy-seat')?.status).toBe('active');
    await t.at(t.start + 7 * DAY);
    await t.at(t.start + 8 * DAY);
    expect(t.store.read().assignment('cy-seat')?.status).toBe('revoked');
    expect(t.store.read().assignment('vendor-seat')?.status).toBe('active');
    const toAdmins = t.jobSent.filter((r) => 'roomId' in r.to && r.to.roomId === 'room-admins').map((r) => r.markdown);
    expect(toAdmins.filter((m) => m.startsWith('Released an idle'))).toHaveLength(1);
    expect(toAdmins.filter((m) => m.startsWith('Idle **Figma** seat of vendor-seat@example.com'))).toHaveLength(1);
    expect(t.jobSent.filter((r) => 'personId' in r.to && r.markdown.startsWith('Your **Figma** seat was released'))).toHaveLength(1);
  });

  it('never asks the holder of a vendor-held idle seat (no Release button): the admins hear of it once', async () => {
    const t = setup('ask');
    await t.put(t.vendorSeat);
    for (let d = 0; d < 40; d += 5) await t.at(t.start + d * DAY);
    expect(t.asks()).toEqual([]);
    expect(t.jobSent.filter((r) => submits(r.card).some((s) => s.data['action'] === 'seat.release'))).toEqual([]);
    const toAdmins = t.jobSent.filter((r) => 'roomId' in r.to && r.to.roomId === 'room-admins').map((r) => r.markdown);
    expect(toAdmins).toHaveLength(1);
    expect(toAdmins[0]).toMatch(/^Idle \*\*Figma\*\* seat of vendor-seat@example\.com: unused for over 60 days\. It is held at the vendor/);
    expect(t.store.read().assignment('vendor-seat')?.status).toBe('active');
  });

  it('a seat reclaimed from an idle holder goes to the first in the waitlist in the same change, with the Claim message', async () => {
    const t = setup('auto');
    await t.put(t.cySeat);
    // The other four seats are in use, so the license is full and Dee queues.
    for (const id of ['s1', 's2', 's3', 's4']) await t.put(aSeat({ id, poolId: t.pool.id }));
    const dee = { id: 'p-dee', email: 'dee@example.com', displayName: 'Dee User' };
    await t.at(t.start);
    expect(t.text(await t.say(dee, 'join waitlist Figma'))).toContain('number 1 on the waitlist');
    await t.at(t.start + 7 * DAY);
    expect(t.store.read().assignment('cy-seat')?.status).toBe('revoked');
    const key = t.store.read().data.audit.find((e) => e.action === 'seat.revoked' && e.assignmentId === 'cy-seat')?.idempotencyKey;
    expect(t.store.read().data.audit.filter((e) => e.idempotencyKey === key).map((e) => e.action)).toEqual(['seat.revoked', 'waitlist.offered']);
    const offer = t.jobSent.filter((r) => 'personId' in r.to && r.to.personId === dee.id);
    expect(offer).toHaveLength(1);
    expect(submits(offer[0]?.card).map((b) => b.title)).toEqual(['Claim', 'Leave']);
  });

  it('does nothing when the policy is off', async () => {
    const t = setup('off');
    await t.put(t.cySeat);
    await t.put(t.vendorSeat);
    for (let d = 0; d < 40; d += 5) await t.at(t.start + d * DAY);
    expect(t.jobSent.filter((r) => /idle|not been used/i.test(r.markdown))).toEqual([]);
    expect(Object.keys(t.store.read().data.notices).filter((k) => k.startsWith('reclaim:'))).toEqual([]);
  });
});
