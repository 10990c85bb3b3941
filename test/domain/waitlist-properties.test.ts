import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyLedger } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import type { LedgerActor, LedgerCommand } from '../../src/domain/ledger-command.js';
import { checkInvariants, overAllocatedPools } from '../../src/domain/check-invariants.js';
import { makePool } from '../support/make-pool.js';

const PEOPLE: LedgerActor[] = [0, 1, 2, 3, 4].map((i) => ({ kind: 'person', personId: `p${i}`, email: `u${i}@example.com`, name: `U${i}`, isAdmin: false }));
const SCHEDULE: LedgerActor = { kind: 'system', name: 'schedule' };
const OPS = ['request', 'release', 'joinWaitlist', 'leaveWaitlist', 'claimOffer', 'offerWaitlist'] as const;

describe('waitlist properties', () => {
  it('a freed seat is offered to at most one waiting person at a time, and offers never over-allocate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<'auto' | 'required'>('auto', 'required'),
        fc.array(fc.record({ who: fc.nat({ max: 4 }), op: fc.constantFrom(...OPS), hours: fc.nat({ max: 30 }) }), { minLength: 5, maxLength: 60 }),
        (total, approval, steps) => {
          const data = emptyLedger();
          const pool = makePool({ externalId: 'w', totalSeats: total, consumedSeats: 0, policy: { approval, minFreeSeats: 0 } });
          data.pools[pool.id] = pool;
          const index = new LedgerIndex(data);
          let clock = Date.parse('2026-01-10T00:00:00.000Z');
          for (const [i, s] of steps.entries()) {
            clock += s.hours * 3_600_000;
            const actor = s.op === 'offerWaitlist' ? SCHEDULE : PEOPLE[s.who]!;
            const mine = Object.values(index.data.assignments).find((a) => a.assignee.id === `p${s.who}` && (a.status === 'active' || a.status === 'pending'));
            const command: LedgerCommand = s.op === 'release' ? { op: 'release', assignmentId: mine?.id ?? 'none' } : { op: s.op, poolId: pool.id };
            const before = new Set(Object.values(index.data.waitlist ?? {}).filter((e) => e.status === 'offered').map((e) => e.id));
            const { changes } = executeLedgerCommand(index, { command, actor, source: 'chat', idempotencyKey: `k${i}`, now: new Date(clock).toISOString() });
            index.apply(changes);
            expect(checkInvariants(index)).toEqual([]);
            expect(overAllocatedPools(index)).toEqual([]);
            const open = Object.values(index.data.waitlist ?? {}).filter((e) => e.status === 'waiting' || e.status === 'offered');
            // One open entry per person; an offer only to someone without a seat in the pool.
            expect(new Set(open.map((e) => e.person.id)).size).toBe(open.length);
            const offered = open.filter((e) => e.status === 'offered');
            const u = index.usage(pool.id);
            // Offers are reserved seats: never more than the seats not otherwise taken.
            expect(offered.length).toBeLessThanOrEqual(Math.max(0, total - u.used - (u.pending - offered.length)));
            // Only the schedule makes new offers.
            if (actor.kind === 'person') for (const e of offered) expect(before.has(e.id)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
