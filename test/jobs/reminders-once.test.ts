// Reminders go once per threshold, alert, request and day, however often the reminder job fires.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Outbox, Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import type { LicensePool } from '../../src/domain/ledger.js';
import type { LedgerResult, PersonActor } from '../../src/domain/ledger-command.js';
import { runReminders } from '../../src/jobs/reminders.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import { makePool } from '../support/make-pool.js';
import { useStoreDirs } from '../store/store-test-kit.js';

const DAY = 86_400_000;
const notices = createJobNotices({ access: { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] }, vendors: [] });
const person = (id: string): PersonActor => ({ kind: 'person', personId: `p-${id}`, email: `${id}@example.com`, name: id, isAdmin: false });

function recorder() {
  const sent: Reply[] = [];
  const outbox: Outbox = { send: (r) => (sent.push(...r), Promise.resolve()) };
  const toAdmins = (): string[] => sent.filter((r) => 'roomId' in r.to && r.to.roomId === 'room-admins').map((r) => r.markdown);
  return { sent, outbox, toAdmins };
}

/** The seat a successful request made. */
function seatIdOf(result: LedgerResult): string {
  if (!result.ok || result.assignmentId === null) throw new Error(`expected a seat: ${result.message}`);
  return result.assignmentId;
}

async function putPools(store: SeatStore, pools: LicensePool[]): Promise<void> {
  await store.update(() => ({ changes: pools.map((pool) => ({ type: 'pool.put' as const, pool })), result: null }));
}

describe('pool date reminders', () => {
  const dirs = useStoreDirs();

  it('reminds at 90, 60, 30 and 7 days once each, across restarts, and again when the date moves later', async () => {
    const dir = await dirs.dirFor();
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    const pool = makePool({ externalId: 'fg', productName: 'Figma', totalSeats: null, expiryDate: '2026-06-10T00:00:00.000Z' });
    let store = await dirs.openStore({ dir });
    await putPools(store, [pool]);
    const r = recorder();
    const fire = () => runReminders({ store, clock, outbox: r.outbox, notices });

    await fire(); // 100 days left
    expect(r.toAdmins()).toEqual([]);
    clock.set('2026-03-12T09:00:00.000Z'); // 90 days
    for (let i = 0; i < 3; i++) await fire();
    clock.advance(60_000);
    await fire();
    expect(r.toAdmins()).toEqual([expect.stringMatching(/Figma.*expires.*in 90 days/)]);

    await store.close();
    store = await dirs.openStore({ dir }); // a restart: the marks come back from disk
    await fire();
    expect(r.toAdmins()).toHaveLength(1);

    for (const at of ['2026-04-11', '2026-05-11', '2026-06-03']) {
      clock.set(`${at}T09:00:00.000Z`);
      await fire();
      await fire();
    }
    expect(r.toAdmins().map((m) => /in (\d+) days/.exec(m)?.[1])).toEqual(['90', '60', '30', '7']);

    // The vendor renewed: the expiry moves later, so every threshold is armed again.
    const moved = { ...store.read().pool(pool.id)!, expiryDate: '2026-12-01T00:00:00.000Z' };
    await putPools(store, [moved]);
    await fire();
    expect(r.toAdmins()).toHaveLength(4);
    clock.set('2026-09-02T09:00:00.000Z'); // 90 days before the new date
    await fire();
    await fire();
    expect(r.toAdmins()).toHaveLength(5);
    expect(r.toAdmins().at(-1)).toMatch(/in 90 days/);
  });

  it('sends only the tightest threshold when several are crossed at once, and renewal apart from expiry', async () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    const store = createMemorySeatStore();
    await putPools(store, [makePool({ externalId: 'zc', productName: 'Zoho', totalSeats: null, expiryDate: '2026-03-22T00:00:00.000Z', renewalDate: '2026-05-01T00:00:00.000Z' })]);
    const r = recorder();
    await runReminders({ store, clock, outbox: r.outbox, notices });
    await runReminders({ store, clock, outbox: r.outbox, notices });
    expect(r.toAdmins()).toEqual([expect.stringMatching(/expires.*in 20 days/), expect.stringMatching(/renews.*in 60 days/)]);
    expect(store.read().data.audit.filter((e) => e.action === 'notice.sent')).toHaveLength(2);
  });
});

describe('low-seat alert', () => {
  it('alerts once when free seats fall to the minimum, and again only after they recovered', async () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    const store = createMemorySeatStore();
    const pool = makePool({ externalId: 'fg', productName: 'Figma', totalSeats: 3, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 1 } });
    await putPools(store, [pool]);
    const r = recorder();
    const fire = () => runReminders({ store, clock, outbox: r.outbox, notices });
    const request = (who: string) =>
      runLedgerCommand(store, clock, { command: { op: 'request', poolId: pool.id }, actor: person(who), source: 'chat', idempotencyKey: `req:${who}:${clock.now().toISOString()}` });

    const cy = await request('cy');
    await fire();
    expect(r.toAdmins()).toEqual([]); // 2 free
    await request('bob');
    await fire();
    await fire();
    expect(r.toAdmins()).toEqual([expect.stringMatching(/Figma.*running low: 1 seats free/)]);

    await runLedgerCommand(store, clock, { command: { op: 'release', assignmentId: seatIdOf(cy) }, actor: person('cy'), source: 'chat', idempotencyKey: 'rel:cy' });
    await fire();
    expect(r.toAdmins()).toHaveLength(1); // recovered: re-armed, nothing said
    expect(store.read().data.audit.filter((e) => e.action === 'notice.rearmed')).toHaveLength(1);

    clock.advance(60_000);
    await request('dee');
    await fire();
    await fire();
    expect(r.toAdmins()).toHaveLength(2);
  });
});

describe('pending requests', () => {
  it('nudges the admins once a day in one message, then closes the request after REQUEST_TTL_DAYS and tells the requester once', async () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    const store = createMemorySeatStore();
    const pool = makePool({ externalId: 'zc', productName: 'Zoho CRM', totalSeats: 10, consumedSeats: 0 });
    await putPools(store, [pool]);
    const asked = await runLedgerCommand(store, clock, { command: { op: 'request', poolId: pool.id }, actor: person('cy'), source: 'chat', idempotencyKey: 'req:cy' });
    await runLedgerCommand(store, clock, { command: { op: 'request', poolId: pool.id }, actor: person('bob'), source: 'chat', idempotencyKey: 'req:bob' });
    const r = recorder();
    const fire = () => runReminders({ store, clock, outbox: r.outbox, notices, requestTtlDays: 3 });

    await fire(); // requests are new: no nudge
    expect(r.sent).toEqual([]);
    clock.advance(DAY + 60_000);
    const first = await fire();
    await fire();
    clock.advance(3_600_000);
    await fire();
    expect(first.pendingReminded).toBe(1);
    expect(r.toAdmins()).toHaveLength(1); // one message for both requests, once that day

    clock.advance(DAY);
    await fire();
    expect(r.toAdmins()).toHaveLength(2); // the next day, once more

    clock.advance(DAY);
    const closing = await fire();
    await fire();
    expect(closing.requestsExpired).toBe(2);
    expect(store.read().assignment(seatIdOf(asked))?.status).toBe('expired');
    expect(store.read().data.audit.filter((e) => e.action === 'seat.request_expired')).toHaveLength(2);
    const toCy = r.sent.filter((m) => 'personId' in m.to && m.to.personId === 'p-cy');
    expect(toCy.map((m) => m.markdown)).toEqual([expect.stringMatching(/Zoho CRM.*3 days.*closed/)]);
    expect(r.toAdmins()).toHaveLength(2); // nothing left to nudge about
    expect(store.read().usage(pool.id).pending).toBe(0);
  });
});
