import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyLedger, type Change, type LedgerData } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import { UNDO_MINUTES, type LedgerActor, type LedgerCommand, type LedgerRequest } from '../../src/domain/ledger-command.js';
import { checkInvariants, overAllocatedPools } from '../../src/domain/check-invariants.js';
import { makePool } from '../support/make-pool.js';

const ACTORS: LedgerActor[] = [
  { kind: 'person', personId: 'p-admin-1', email: 'ada@example.com', name: 'Ada', isAdmin: true },
  { kind: 'person', personId: 'p-admin-2', email: 'bob@example.com', name: 'Bob', isAdmin: true },
  { kind: 'person', personId: 'p-user-1', email: 'cy@example.com', name: 'Cy', isAdmin: false },
  { kind: 'person', personId: 'p-user-2', email: 'di@example.com', name: 'Di', isAdmin: false },
  { kind: 'system', name: 'schedule' },
];
const EMAILS = ['ada@example.com', 'cy@example.com', 'eve@example.com', 'DI@example.com', 'not-an-email'];

function seedLedger(totals: { required: number; auto: number }): LedgerData {
  const data = emptyLedger();
  const pools = [
    makePool({ externalId: 'required', totalSeats: totals.required, consumedSeats: 0 }),
    makePool({ externalId: 'auto', totalSeats: totals.auto, consumedSeats: 1, policy: { approval: 'auto', minFreeSeats: 1 } }),
    makePool({ externalId: 'unlimited', totalSeats: null, consumedSeats: null, policy: { approval: 'auto', minFreeSeats: 0 } }),
    makePool({ externalId: 'retired', retired: true, retiredAt: '2026-01-02T00:00:00.000Z' }),
    makePool({ externalId: 'expired', expiryDate: '2026-01-15T00:00:00.000Z' }),
  ];
  for (const p of pools) data.pools[p.id] = p;
  return data;
}

const SEAT_HOLDER = 5;

/** The actor a step names; SEAT_HOLDER resolves to the known person who holds the picked seat (else the first admin). */
function actorFor(step: number, seat: { assignee: { email?: string | null } } | undefined): LedgerActor {
  if (step !== SEAT_HOLDER) return ACTORS[step]!;
  const email = seat?.assignee.email?.toLowerCase();
  return ACTORS.find((a) => a.kind === 'person' && a.email === email) ?? ACTORS[0]!;
}

// A step picks things by index into what exists at that moment, so replays and stale ids happen naturally.
type Step = {
  actor: number;
  op: LedgerCommand['op'];
  pool: number;
  seat: number;
  days: number | null;
  email: number;
  replay: number | null;
  advanceHours: number;
  undoAfterMinutes: number | null;
};

const stepArb: fc.Arbitrary<Step> = fc.record({
  // 0-3 people, 4 the scheduler, 5 "whoever holds the picked seat" (so self-decisions and own releases are common).
  actor: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.constant(4), fc.constant(SEAT_HOLDER)),
  op: fc.constantFrom<LedgerCommand['op']>('request', 'request', 'approve', 'approve', 'deny', 'release', 'revoke', 'grant', 'expire', 'extend', 'restore'),
  pool: fc.nat({ max: 5 }),
  seat: fc.nat({ max: 40 }),
  // Short terms too, so time-bound seats really reach their end date within one run.
  days: fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 })), { nil: null }),
  email: fc.nat({ max: EMAILS.length - 1 }),
  replay: fc.option(fc.nat({ max: 60 }), { nil: null, freq: 4 }),
  advanceHours: fc.nat({ max: 72 }),
  // When the step releases or revokes: whether Undo is pressed, and how many minutes later (past 10 it is refused).
  undoAfterMinutes: fc.option(fc.nat({ max: 14 }), { nil: null }),
});

const REAL_CHANGES = new Set<Change['type']>(['assignment.put', 'pool.put', 'space.put']);

describe('seat ledger properties', () => {
  it('random operations by random actors, with replays, keep every ledger rule', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(fc.record({ required: fc.integer({ min: 0, max: 4 }), auto: fc.integer({ min: 1, max: 4 }) }), fc.array(stepArb, { minLength: 10, maxLength: 80, size: 'max' }), (totals, steps) => {
        const index = new LedgerIndex(seedLedger(totals));
        const poolIds = Object.keys(index.data.pools).concat('cpod:default:unknown');
        const history: { req: LedgerRequest; result: unknown }[] = [];
        let clock = Date.parse('2026-01-10T00:00:00.000Z');
        let realChanges = 0;

        for (const [i, s] of steps.entries()) {
          clock += s.advanceHours * 3_600_000;
          const now = new Date(clock).toISOString();
          const replayOf = s.replay !== null && history.length > 0 ? history[s.replay % history.length] : undefined;
          const seatIds = Object.keys(index.data.assignments);
          // Mostly one of the newest seats (so decisions follow requests), sometimes any, sometimes a stale id.
          const seatId =
            seatIds.length === 0 || s.seat >= 36
              ? `seat_missing_${s.seat}`
              : s.seat < 24
                ? seatIds[seatIds.length - 1 - (s.seat % Math.min(3, seatIds.length))]!
                : seatIds[s.seat % seatIds.length]!;
          // A stray Undo mostly names the seat ended last (the Undo right after a release or revoke is below).
          const ended = seatIds
            .map((id) => index.assignment(id)!)
            .filter((a) => a.status === 'released' || a.status === 'revoked')
            .sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
          const target = s.op === 'restore' && s.seat < 24 && ended.length > 0 ? ended[ended.length - 1]!.id : seatId;
          const poolIdPicked = poolIds[s.pool % poolIds.length]!;
          const command: LedgerCommand =
            s.op === 'request'
              ? { op: 'request', poolId: poolIdPicked, days: s.days, reason: 'work' }
              : s.op === 'grant'
                ? { op: 'grant', poolId: poolIdPicked, assignee: { email: EMAILS[s.email]! }, days: s.days }
                : s.op === 'extend'
                  ? { op: 'extend', assignmentId: seatId, days: s.days ?? 7 }
                  : { op: s.op, assignmentId: target } as LedgerCommand;
          const req: LedgerRequest = replayOf
            ? { ...replayOf.req, now }
            : { command, actor: actorFor(s.actor, index.assignment(target)), source: 'card', idempotencyKey: `k${i}`, now };

          const beforeSeat = 'assignmentId' in req.command ? index.assignment(req.command.assignmentId) : undefined;
          const beforeUsage = beforeSeat ? index.usage(beforeSeat.poolId) : undefined;
          const { changes, result } = executeLedgerCommand(index, req);
          index.apply(changes);

          // Replays return the first outcome and change nothing.
          if (replayOf) {
            expect(result.replayed).toBe(true);
            expect(changes).toEqual([]);
            expect({ ...result, replayed: false }).toEqual(replayOf.result);
            continue;
          }
          history.push({ req, result: { ...result, replayed: false } });
          outcomes.add(`${req.command.op}:${result.ok ? 'ok' : result.code}`);

          // One audit event per real change, in the same change list; refused attempts are audited apart.
          const real = changes.filter((c) => REAL_CHANGES.has(c.type)).length;
          const audits = changes.filter((c) => c.type === 'audit.add' && c.event.action !== 'attempt.refused').length;
          expect(audits).toBe(real);
          realChanges += real;
          if (!result.ok) expect(real).toBe(0);
          if (!result.ok && result.code === 'LEDGER_FORBIDDEN') {
            expect(changes.some((c) => c.type === 'audit.add' && c.event.action === 'attempt.refused')).toBe(true);
          }

          // Structural invariants and capacity: the ledger never over-allocates.
          expect(checkInvariants(index)).toEqual([]);
          expect(overAllocatedPools(index)).toEqual([]);

          const actor = req.actor;
          const after = result.ok && result.assignmentId ? index.assignment(result.assignmentId) : undefined;
          if (result.ok && ['approve', 'deny', 'revoke', 'grant'].includes(req.command.op)) {
            expect(actor.kind === 'system' || actor.isAdmin).toBe(true);
          }
          if (result.ok && req.command.op === 'grant') {
            // Nobody grants a seat to themselves either.
            expect(actor.kind === 'person' && after?.assignee.email === actor.email.toLowerCase()).toBe(false);
          }
          if (!result.ok && result.code === 'LEDGER_SELF_APPROVAL') {
            expect(changes.some((c) => c.type === 'audit.add' && c.event.action === 'attempt.refused')).toBe(true);
          }
          if (result.ok && (req.command.op === 'approve' || req.command.op === 'deny')) {
            // Transitions fire only from the state they name; nobody decides their own request.
            expect(beforeSeat?.status).toBe('pending');
            expect(actor.kind === 'person' && after?.assignee.email === actor.email).toBe(false);
          }
          if (result.ok && (req.command.op === 'release' || req.command.op === 'revoke') && beforeSeat && beforeUsage && beforeUsage.available !== null) {
            // Ending a seat gives its place back.
            const nowUsage = index.usage(beforeSeat.poolId);
            expect(nowUsage.available).toBeGreaterThan(beforeUsage.available);
          }
          if (result.ok && req.command.op === 'restore') {
            // Undo fires only from a released or revoked seat, within its window, and never over capacity (checked above).
            expect(['released', 'revoked']).toContain(beforeSeat?.status);
            expect(Date.parse(now) - Date.parse(beforeSeat!.endedAt!)).toBeLessThanOrEqual(UNDO_MINUTES * 60_000);
            expect(after?.status).toBe('active');
          }
          if (result.ok && req.command.op === 'extend') {
            // An extension only moves a running seat's end later (or, needing approval, changes nothing).
            expect(beforeSeat?.status).toBe('active');
            expect(after!.expiresAt! >= beforeSeat!.expiresAt!).toBe(true);
            if (result.status === null) expect(real).toBe(0);
          }
          if (result.ok && req.command.op === 'expire') {
            expect(beforeSeat?.status).toBe('active');
            expect(beforeSeat!.expiresAt! <= now).toBe(true);
          }
          if (result.ok && (req.command.op === 'release' || req.command.op === 'revoke') && s.undoAfterMinutes !== null) {
            // The same person presses Undo on the answer: restored only within UNDO_MINUTES and while the seat is free.
            clock += s.undoAfterMinutes * 60_000;
            const undo: LedgerRequest = { command: { op: 'restore', assignmentId: req.command.assignmentId }, actor, source: 'card', idempotencyKey: `k${i}-undo`, now: new Date(clock).toISOString() };
            const ended = index.assignment(req.command.assignmentId);
            const undone = executeLedgerCommand(index, undo);
            index.apply(undone.changes);
            outcomes.add(`restore:${undone.result.ok ? 'ok' : undone.result.code}`);
            expect(undone.changes.filter((c) => REAL_CHANGES.has(c.type)).length).toBe(undone.result.ok ? 1 : 0);
            realChanges += undone.result.ok ? 1 : 0;
            expect(checkInvariants(index)).toEqual([]);
            expect(overAllocatedPools(index)).toEqual([]);
            if (undone.result.ok) {
              expect(s.undoAfterMinutes).toBeLessThanOrEqual(UNDO_MINUTES);
              expect(ended?.assignedAt).not.toBeNull();
              expect(index.assignment(req.command.assignmentId)?.status).toBe('active');
            } else if (s.undoAfterMinutes > UNDO_MINUTES && ended?.assignedAt !== null) {
              expect(undone.result.code).toBe('LEDGER_UNDO_EXPIRED');
            }
          }
        }
        const auditReal = index.data.audit.filter((e) => e.action !== 'attempt.refused').length;
        expect(auditReal).toBe(realChanges);
      }),
      { numRuns: 300 },
    );
    // The generator must reach every successful transition, or the properties above prove little.
    for (const op of ['request', 'approve', 'deny', 'release', 'revoke', 'grant', 'expire', 'extend', 'restore']) expect(outcomes, `no ${op}:ok outcome`).toContain(`${op}:ok`);
    for (const code of ['LEDGER_NO_FREE_SEAT', 'LEDGER_SELF_APPROVAL', 'LEDGER_FORBIDDEN', 'LEDGER_WRONG_STATE']) {
      expect([...outcomes].some((o) => o.endsWith(code)), `no outcome ended in ${code}`).toBe(true);
    }
  });
});
