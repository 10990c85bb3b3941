// The daily digest goes once per subscribed space per calendar day (SCHEDULE_TIMEZONE), whatever fires it.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { JobOutbox, NoticeDelivery, Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { runDailyDigest } from '../../src/jobs/daily-digest.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { useStoreDirs } from '../store/store-test-kit.js';

const notices = createJobNotices({ access: { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] }, vendors: [] });
const ROOMS = ['room-a', 'room-b', 'room-c', 'room-d'];

async function subscribe(store: SeatStore, clock: ReturnType<typeof fixedClock>, rooms: readonly string[]): Promise<void> {
  for (const roomId of rooms) {
    await runLedgerCommand(store, clock, {
      command: { op: 'setDigest', roomId, digest: true, title: roomId },
      actor: { kind: 'person', personId: 'p-cy', email: 'cy@example.com', name: 'Cy', isAdmin: false },
      source: 'chat',
      idempotencyKey: `sub:${roomId}`,
    });
  }
}

/** Records every digest posted; `fail` decides per reply (a failure, or throw to simulate a crash). */
function recordingOutbox(fail: (reply: Reply, n: number) => NoticeDelivery | 'crash' | null = () => null) {
  const sent: string[] = [];
  let n = 0;
  const outbox: JobOutbox = {
    send: () => Promise.reject(new Error('digest must use deliver')),
    deliver: (replies) =>
      Promise.all(
        replies.map((r) => {
          const outcome = fail(r, n++);
          if (outcome === 'crash') return Promise.reject(new Error('process died mid-send'));
          if (outcome && !outcome.ok) return Promise.resolve(outcome);
          if ('roomId' in r.to) sent.push(r.to.roomId);
          return Promise.resolve({ ok: true as const });
        }),
      ),
  };
  return { outbox, sent };
}

describe('daily digest, exactly once per space and day', () => {
  const dirs = useStoreDirs();

  it('sends nothing twice across a restart (a new job instance on the reopened store)', async () => {
    const dir = await dirs.dirFor();
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const first = await dirs.openStore({ dir });
    await subscribe(first, clock, ROOMS);
    const a = recordingOutbox();
    expect((await runDailyDigest({ store: first, clock, outbox: a.outbox, notices })).spaces).toBe(4);
    await first.close();

    clock.advance(3_600_000);
    const second = await dirs.openStore({ dir });
    const b = recordingOutbox();
    const report = await runDailyDigest({ store: second, clock, outbox: b.outbox, notices });
    expect(report).toMatchObject({ spaces: 0, skipped: 4 });
    expect(b.sent).toEqual([]);
    expect(second.read().data.audit.filter((e) => e.action === 'notice.sent')).toHaveLength(4);

    clock.advance(86_400_000);
    const c = recordingOutbox();
    await runDailyDigest({ store: second, clock, outbox: c.outbox, notices });
    expect(c.sent.sort()).toEqual(ROOMS);
  });

  it('sends once when the job fires twice at the same moment', async () => {
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const store = createMemorySeatStore();
    await subscribe(store, clock, ROOMS);
    const { outbox, sent } = recordingOutbox();
    await Promise.all([runDailyDigest({ store, clock, outbox, notices }), runDailyDigest({ store, clock, outbox, notices })]);
    expect(sent.sort()).toEqual(ROOMS);
  });

  it('after a crash half-way, the next firing sends the rest and none twice', async () => {
    const dir = await dirs.dirFor();
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const first = await dirs.openStore({ dir });
    await subscribe(first, clock, ROOMS);
    const a = recordingOutbox((_r, n) => (n === 1 ? 'crash' : null));
    await expect(runDailyDigest({ store: first, clock, outbox: a.outbox, notices, concurrency: 1 })).rejects.toThrow('process died');
    expect(a.sent).toEqual(['room-a']);
    await first.close();

    const second = await dirs.openStore({ dir });
    const b = recordingOutbox();
    await runDailyDigest({ store: second, clock, outbox: b.outbox, notices, concurrency: 1 });
    // room-b was claimed when the process died: at most once, so it is not sent again today.
    expect(b.sent).toEqual(['room-c', 'room-d']);
  });

  it('counts days in SCHEDULE_TIMEZONE across the spring-forward day (Europe/Berlin, 2026-03-29)', async () => {
    const clock = fixedClock('2026-03-28T23:30:00.000Z'); // 00:30 CET on the 29th
    const store = createMemorySeatStore();
    await subscribe(store, clock, ['room-a']);
    const { outbox, sent } = recordingOutbox();
    const fire = () => runDailyDigest({ store, clock, outbox, notices, timeZone: 'Europe/Berlin' });
    await fire();
    clock.set('2026-03-29T21:30:00.000Z'); // 23:30 CEST, still the 29th
    await fire();
    expect(sent).toHaveLength(1);
    clock.set('2026-03-29T22:30:00.000Z'); // 00:30 CEST on the 30th
    await fire();
    expect(sent).toHaveLength(2);
  });

  it('sends once when the fall-back hour repeats (Europe/Berlin, 2026-10-25)', async () => {
    const clock = fixedClock('2026-10-24T21:59:00.000Z'); // 23:59 CEST on the 24th
    const store = createMemorySeatStore();
    await subscribe(store, clock, ['room-a']);
    const { outbox, sent } = recordingOutbox();
    const fire = () => runDailyDigest({ store, clock, outbox, notices, timeZone: 'Europe/Berlin' });
    await fire();
    clock.set('2026-10-25T00:30:00.000Z'); // 02:30 CEST on the 25th
    await fire();
    clock.set('2026-10-25T01:30:00.000Z'); // 02:30 CET, the repeated hour
    await fire();
    clock.set('2026-10-25T22:30:00.000Z'); // 23:30 CET, still the 25th
    await fire();
    expect(sent).toHaveLength(2);
  });

  it('unsubscribes a space the bot was removed from, through the ledger, and keeps sending to the others', async () => {
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const store = createMemorySeatStore();
    await subscribe(store, clock, ['room-a', 'room-b', 'room-c']);
    const gone: Record<string, NoticeDelivery> = { 'room-b': { ok: false, failure: 'not_found' }, 'room-c': { ok: false, failure: 'forbidden' } };
    const { outbox, sent } = recordingOutbox((r) => ('roomId' in r.to ? (gone[r.to.roomId] ?? null) : null));
    const report = await runDailyDigest({ store, clock, outbox, notices });
    expect(report).toMatchObject({ spaces: 1, unsubscribed: 2 });
    expect(sent).toEqual(['room-a']);
    const spaces = store.read().data.spaces;
    expect([spaces['room-a']?.digest, spaces['room-b']?.digest, spaces['room-c']?.digest]).toEqual([true, false, false]);
    const offs = store.read().data.audit.filter((e) => e.action === 'space.updated' && e.actor.kind === 'system');
    expect(offs.map((e) => e.note)).toEqual([expect.stringContaining('not_found'), expect.stringContaining('forbidden')]);

    clock.advance(86_400_000);
    const next = recordingOutbox();
    await runDailyDigest({ store, clock, outbox: next.outbox, notices });
    expect(next.sent).toEqual(['room-a']);
  });
});
