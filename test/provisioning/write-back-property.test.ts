import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChatPerson } from '../../src/bot/chat-event.js';
import { PEOPLE } from '../support/test-bot.js';
import { startWriteBackHarness } from '../support/write-back-harness.js';
import { dueIntents } from '../../src/provisioning/due-intents.js';

const PERSONS: ChatPerson[] = [
  PEOPLE.cy,
  PEOPLE.bob,
  { id: 'p-fay', email: 'fay@example.com', displayName: 'Fay User' },
  { id: 'p-gus', email: 'gus@example.com', displayName: 'Gus User' },
  // Outside the org: Webex keeps the license pending until accepted (never among the holders).
  PEOPLE.eve,
];

type Step =
  | { kind: 'approve'; who: number }
  | { kind: 'release'; who: number }
  | { kind: 'revoke'; who: number }
  /** The process dies: the worker's in-memory state is gone, a new one starts. */
  | { kind: 'crash' }
  /** The vendor call of the next due intent happens, then the process dies before recording it. */
  | { kind: 'callThenCrash' }
  | { kind: 'fault'; fault: '429' | '500' | '206' }
  /** An admin presses Retry on the person's refused change. */
  | { kind: 'retry'; who: number }
  | { kind: 'work' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('approve' as const), who: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), who: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('revoke' as const), who: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'callThenCrash' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom('429' as const, '500' as const, '206' as const) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'work' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), who: fc.integer({ min: 0, max: 4 }) }) },
);


describe('write-back property', () => {
  it('for any decisions, crashes, retries and faults, the vendor holds exactly the seats the ledger provisioned once the outbox drains', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const t = await startWriteBackHarness({ maxRemovalsPerHour: 1000 });
        try {
          const initial = new Set(t.webexEmu.data.licenses[0]!.users.map((u) => u.email));
          let worker = t.worker;
          let n = 0;
          for (const s of steps) {
            switch (s.kind) {
              case 'approve': {
                const who = PERSONS[s.who]!;
                await t.say(who, 'request webex meetings');
                const seat = t.store.read().openSeat(t.webexPool.id, { kind: 'user', id: who.id, email: who.email });
                if (seat?.status === 'pending') await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: seat.id }, { roomId: 'room-admins', id: `ok-${++n}` });
                break;
              }
              case 'release':
                await t.say(PERSONS[s.who]!, 'release webex meetings');
                break;
              case 'revoke':
                await t.say(PEOPLE.ada, `revoke webex meetings from ${PERSONS[s.who]!.email}`);
                break;
              case 'crash':
                worker = t.newWorker();
                break;
              case 'callThenCrash': {
                const view = t.store.read();
                const due = dueIntents(view, t.clock.now().toISOString()).run[0];
                const seat = due && view.assignment(due.assignmentId);
                if (due && seat) await t.writers[0]!.write({ op: due.op, licenseId: t.webexPool.externalId, assignee: { id: seat.assignee.id, email: seat.assignee.email }, expiresAt: null });
                worker = t.newWorker();
                break;
              }
              case 'fault':
                t.webexEmu.faults.set(s.fault === '429' ? { status429: { count: 2, retryAfterSec: 0 } } : s.fault === '500' ? { status500: 6 } : { partial206: 1 });
                break;
              case 'work':
                await worker.runDue();
                break;
              case 'retry':
                await t.say(PEOPLE.ada, `write-back retry webex meetings for ${PERSONS[s.who]!.email}`);
                break;
            }
          }
          // Drain: faults stop, time moves past every backoff, until nothing is queued.
          t.webexEmu.faults.clear();
          for (let i = 0; i < 30 && t.store.read().openProvisions().some((p) => p.status === 'queued'); i++) {
            t.clock.advance(2 * 3_600_000);
            await worker.drain();
          }
          const view = t.store.read();
          expect(view.openProvisions().filter((p) => p.status === 'queued')).toEqual([]);
          const provisioned = new Set(
            view
              .assignmentsOfPool(t.webexPool.id)
              .filter((a) => a.status === 'active' && view.provisionsOf(a.id).at(-1)?.op === 'add' && view.provisionsOf(a.id).at(-1)?.status === 'done')
              .map((a) => a.assignee.email),
          );
          const atVendor = new Set(t.webexEmu.data.licenses[0]!.users.map((u) => u.email).filter((e) => !initial.has(e)));
          expect([...atVendor].sort()).toEqual([...provisioned].sort());
        } finally {
          await t.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
