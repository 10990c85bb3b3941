import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyLedger, type Change, type LedgerData, type WaitlistStatus } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import { UNDO_MINUTES, type LedgerActor, type LedgerCommand, type LedgerRequest, type LedgerResult } from '../../src/domain/ledger-command.js';
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

/**
 * The actor a step names; SEAT_HOLDER resolves to the known person who holds the picked seat (else the first
 * admin), or for a claim or leave, to whoever holds an offer in the picked pool (so claims really happen).
 */
function actorFor(step: number, seat: { assignee: { email?: string | null } } | undefined, offeredTo?: string): LedgerActor {
  if (step !== SEAT_HOLDER) return ACTORS[step]!;
  const email = offeredTo ?? seat?.assignee.email?.toLowerCase();
  return ACTORS.find((a) => a.kind === 'person' && a.email === email) ?? ACTORS[0]!;
}

const WAITLIST_OPS: ReadonlySet<LedgerCommand['op']> = new Set(['joinWaitlist', 'leaveWaitlist', 'claimOffer', 'offerWaitlist']);

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
  op: fc.constantFrom<LedgerCommand['op']>(
    'request',
    'request',
    'approve',
    'approve',
    'deny',
    'release',
    'revoke',
    'grant',
    'expire',
    'extend',
    'restore',
    // Pending extensions (asked by `extend` in a pool that needs approval): denied by an admin, or expired.
    'denyExtension',
    'expireExtension',
    // The waitlist: join, leave, claim an offer, and the schedule's pass (offers past 24 h lapse to the next).
    'joinWaitlist',
    'joinWaitlist',
    'leaveWaitlist',
    'claimOffer',
    'claimOffer',
    'offerWaitlist',
  ),
  pool: fc.nat({ max: 5 }),
  seat: fc.nat({ max: 40 }),
  // Short terms too, so time-bound seats really reach their end date within one run.
  days: fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 })), { nil: null }),
  email: fc.nat({ max: EMAILS.length - 1 }),
  replay: fc.option(fc.nat({ max: 60 }), { nil: null, freq: 4 }),
  // Often short, so a waitlist offer (24 h) is still live when its claim comes.
  advanceHours: fc.oneof(fc.nat({ max: 4 }), fc.nat({ max: 72 })),
  // When the step releases or revokes: whether Undo is pressed, and how many minutes later (past 10 it is refused).
  undoAfterMinutes: fc.option(fc.nat({ max: 14 }), { nil: null }),
});

const REAL_CHANGES = new Set<Change['type']>(['assignment.put', 'pool.put', 'space.put', 'waitlist.put']);

describe('seat ledger properties', () => {
  it('random operations by random actors, with replays, keep every ledger rule', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(fc.record({ required: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(1), fc.constant(1)), auto: fc.integer({ min: 1, max: 4 }) }), fc.array(stepArb, { minLength: 30, maxLength: 80, size: 'max' }), (totals, steps) => {
        const index = new LedgerIndex(seedLedger(totals));
        const poolIds = Object.keys(index.data.pools).concat('cpod:default:unknown');
        const history: { req: LedgerRequest; result: unknown }[] = [];
        let clock = Date.parse('2026-01-10T00:00:00.000Z');
        let realChanges = 0;

        for (const [i, s] of steps.entries()) {
          // A claim, join or leave mostly comes within the 24 h an offer lasts; the schedule's pass after any gap.
          clock += (WAITLIST_OPS.has(s.op) && s.op !== 'offerWaitlist' ? s.advanceHours % 6 : s.advanceHours) * 3_600_000;
          const now = new Date(clock).toISOString();
          const replayOf = s.replay !== null && history.length > 0 ? history[s.replay % history.length] : undefined;
          const seatIds = Object.keys(index.data.assignments);
          // Mostly one of the newest seats (so decisions follow requests), sometimes one that people wait for, sometimes
          // any, sometimes a stale id.
          const waitedFor = new Set(Object.values(index.data.waitlist ?? {}).filter((e) => e.status === 'waiting').map((e) => e.poolId));
          const blocking = s.seat >= 18 && s.seat < 36 ? seatIds.filter((id) => { const a = index.assignment(id)!; return waitedFor.has(a.poolId) && (a.status === 'active' || a.status === 'pending'); }) : [];
          const seatId =
            blocking.length > 0
              ? blocking[s.seat % blocking.length]!
              : seatIds.length === 0 || s.seat >= 36
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
          // Waitlist steps mostly name a limited pool that is full or has a queue (where queues form), else any.
          // (full with a seat the bot can free, so offers follow)
          const freeable = (id: string) => index.assignmentsOfPool(id).some((a) => a.origin === 'ledger' && (a.status === 'active' || a.status === 'pending'));
          const queued = poolIds.slice(0, 2).find((id) => index.usage(id).available === 0 && freeable(id));
          const withOffer = Object.values(index.data.waitlist ?? {}).find((e) => e.status === 'offered')?.poolId;
          const poolIdPicked =
            WAITLIST_OPS.has(s.op) && s.pool < 4 ? ((s.op === 'offerWaitlist' ? withOffer : undefined) ?? queued ?? poolIds[s.pool % 2]!) : poolIds[s.pool % poolIds.length]!;
          const command: LedgerCommand =
            s.op === 'request'
              ? { op: 'request', poolId: poolIdPicked, days: s.days, reason: 'work' }
              : s.op === 'grant'
                ? { op: 'grant', poolId: poolIdPicked, assignee: { email: EMAILS[s.email]! }, days: s.days }
                : s.op === 'extend'
                  ? { op: 'extend', assignmentId: seatId, days: s.days ?? 7 }
                  : s.op === 'expireExtension'
                    ? { op: 'expireExtension', assignmentId: seatId, ttlDays: 1 }
                  : WAITLIST_OPS.has(s.op)
                    ? ({ op: s.op, poolId: poolIdPicked } as LedgerCommand)
                    : ({ op: s.op, assignmentId: target } as LedgerCommand);
          const inLine = Object.values(index.data.waitlist ?? {}).filter((e) => e.poolId === poolIdPicked && (e.status === 'offered' || e.status === 'waiting'));
          // A join by "the holder" is by someone with neither a seat nor a place there; a claim or leave by someone in line.
          const outsider = ACTORS.find((a) => a.kind === 'person' && !index.openSeat(poolIdPicked, { kind: 'user', id: a.personId, email: a.email }) && !inLine.some((e) => e.person.email === a.email));
          const offeredTo =
            s.op === 'joinWaitlist'
              ? outsider?.kind === 'person' ? outsider.email : undefined
              : (inLine.find((e) => e.status === 'offered') ?? inLine[0])?.person.email ?? undefined;
          // The schedule runs its pass (sometimes a person tries); a claim is mostly by whoever holds an offer.
          const actor =
            s.op === 'offerWaitlist' && s.actor !== 4 && s.seat % 2 === 0
              ? ACTORS[4]!
              : actorFor((s.op === 'claimOffer' || s.op === 'joinWaitlist') && s.actor !== 4 && s.seat % 2 === 0 ? SEAT_HOLDER : s.actor, index.assignment(target), WAITLIST_OPS.has(s.op) ? offeredTo : undefined);
          const req: LedgerRequest = replayOf
            ? { ...replayOf.req, now }
            : { command, actor, source: 'card', idempotencyKey: `k${i}`, now };
          const statusBefore = new Map<string, WaitlistStatus>(Object.values(index.data.waitlist ?? {}).map((e) => [e.id, e.status]));

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
          const newOffers = waitlistInvariants(index, changes, statusBefore, now);
          if (req.command.op === 'offerWaitlist' && result.ok && newOffers === 0) outcomes.add('offerWaitlist:lapsed');
          if (newOffers > 0 && req.command.op !== 'offerWaitlist') outcomes.add(`${req.command.op}:offered`);


          const after = result.ok && result.assignmentId ? index.assignment(result.assignmentId) : undefined;
          if (result.ok && (req.command.op === 'denyExtension' || req.command.op === 'expireExtension')) {
            // Only a pending extension is closed, and the seat keeps its end date.
            expect(beforeSeat?.extensionRequest).toBeTruthy();
            expect(after?.extensionRequest ?? null).toBeNull();
            expect(after?.expiresAt).toBe(beforeSeat?.expiresAt);
          }
          if (result.ok && ['approve', 'deny', 'revoke', 'grant', 'denyExtension'].includes(req.command.op)) {
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
            // Ending a seat gives its place back: free, or held for the first in the waitlist in the same change.
            const nowUsage = index.usage(beforeSeat.poolId);
            expect(nowUsage.available! + newOffers).toBeGreaterThan(beforeUsage.available);
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
            // Needing approval, the ask is stored on the seat as its pending extension (its end unchanged).
            if (result.status === null) expect(after?.extensionRequest?.days).toBe((req.command as { days: number }).days);
            if (result.status === null) expect(after?.expiresAt).toBe(beforeSeat?.expiresAt);
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
            const undoneBefore = new Map<string, WaitlistStatus>(Object.values(index.data.waitlist ?? {}).map((e) => [e.id, e.status]));
            const undone = executeLedgerCommand(index, undo);
            index.apply(undone.changes);
            waitlistInvariants(index, undone.changes, undoneBefore, undo.now);
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
          // A join while a seat is taken: its holder gives it back at once (the seat goes to the line in that change).
          let offerChanges: readonly Change[] = newOffers > 0 ? changes : [];
          let offerBefore: ReadonlyMap<string, WaitlistStatus> = statusBefore;
          if (result.ok && req.command.op === 'joinWaitlist' && s.undoAfterMinutes !== null) {
            const joinedPool = req.command.poolId;
            const held = index.assignmentsOfPool(joinedPool).find((a) => a.origin === 'ledger' && (a.status === 'active' || a.status === 'pending'));
            const holder = ACTORS.find((a) => a.kind === 'person' && a.email === held?.assignee.email);
            if (held && holder) {
              const release: LedgerRequest = { command: { op: 'release', assignmentId: held.id }, actor: holder, source: 'card', idempotencyKey: `k${i}-free`, now };
              const released = runChecked(index, release, outcomes);
              realChanges += released.real;
              if (released.offers > 0) {
                outcomes.add('release:offered');
                offerChanges = released.changes;
                offerBefore = released.before;
              }
            }
          }
          if (result.ok && req.command.op === 'joinWaitlist' && s.undoAfterMinutes === null && s.seat % 2 === 0) {
            // Or the joiner changes their mind and leaves the line.
            const left = runChecked(index, { command: { op: 'leaveWaitlist', poolId: req.command.poolId }, actor, source: 'card', idempotencyKey: `k${i}-leave`, now }, outcomes);
            realChanges += left.real;
            expect(left.result.ok).toBe(true);
          }
          const offer = offerChanges.find((c) => c.type === 'waitlist.put' && c.entry.status === 'offered' && offerBefore.get(c.entry.id) === 'waiting');
          if (offer?.type === 'waitlist.put' && s.undoAfterMinutes !== null) {
            // The person offered the freed seat presses Claim some hours later; past 24 the offer is gone and the
            // schedule's pass lapses it to the next in line (or frees the seat).
            const hours = s.undoAfterMinutes % 2 === 0 ? s.undoAfterMinutes : 24 + s.undoAfterMinutes;
            clock += hours * 3_600_000;
            const at = new Date(clock).toISOString();
            const person = ACTORS.find((a) => a.kind === 'person' && a.email === offer.entry.person.email)!;
            const claimed = runChecked(index, { command: { op: 'claimOffer', poolId: offer.entry.poolId }, actor: person, source: 'card', idempotencyKey: `k${i}-claim`, now: at }, outcomes);
            realChanges += claimed.real;
            expect(claimed.offers).toBe(0);
            if (claimed.result.ok) {
              // Only a live offer is claimed, and it becomes the person's seat (active, or a request in an approval pool).
              expect(hours).toBeLessThan(24);
              expect(index.data.waitlist?.[offer.entry.id]?.status).toBe('claimed');
              expect(['active', 'pending']).toContain(index.assignment(claimed.result.assignmentId ?? '')?.status);
            } else if (hours >= 24) {
              expect(claimed.result.code).toBe('LEDGER_WRONG_STATE');
              const pass = runChecked(index, { command: { op: 'offerWaitlist', poolId: offer.entry.poolId }, actor: ACTORS[4]!, source: 'schedule', idempotencyKey: `k${i}-pass`, now: at }, outcomes);
              realChanges += pass.real;
              expect(pass.result.ok).toBe(true);
              expect(index.data.waitlist?.[offer.entry.id]?.status).toBe('lapsed');
              outcomes.add('offerWaitlist:lapsed');
            }
          }
        }
        const auditReal = index.data.audit.filter((e) => e.action !== 'attempt.refused').length;
        expect(auditReal).toBe(realChanges);
      }),
      { numRuns: 300 },
    );
    // The generator must reach every successful transition, or the properties above prove little.
    for (const op of ['request', 'approve', 'deny', 'release', 'revoke', 'grant', 'expire', 'extend', 'restore', 'joinWaitlist', 'leaveWaitlist', 'claimOffer', 'offerWaitlist']) {
      expect(outcomes, `no ${op}:ok outcome`).toContain(`${op}:ok`);
    }
    // Freed seats really reach the waitlist in the change that frees them, and unclaimed offers lapse by the schedule's pass.
    for (const o of ['release:offered', 'offerWaitlist:lapsed']) expect(outcomes, `no ${o}`).toContain(o);
    for (const code of ['LEDGER_NO_FREE_SEAT', 'LEDGER_SELF_APPROVAL', 'LEDGER_FORBIDDEN', 'LEDGER_WRONG_STATE']) {
      expect([...outcomes].some((o) => o.endsWith(code)), `no outcome ended in ${code}`).toBe(true);
    }
  });
});

/**
 * The waitlist rules after every change, in every pool: a freed seat is offered to at most one waiting person at a
 * time (live offers never exceed the seats not otherwise taken), nobody holds two open entries (so never two
 * offers) in one pool, an offer goes only to someone who was waiting and holds no seat there, and no seat sits
 * free while someone waits (it is offered in the change that frees it). Returns the offers this change made.
 */
function waitlistInvariants(index: LedgerIndex, changes: readonly Change[], before: ReadonlyMap<string, WaitlistStatus>, now: string): number {
  let made = 0;
  for (const c of changes) {
    if (c.type !== 'waitlist.put' || c.entry.status !== 'offered' || before.get(c.entry.id) === 'offered') continue;
    made++;
    expect(before.get(c.entry.id), 'an offer to someone not waiting').toBe('waiting');
    expect(c.entry.offerExpiresAt! > now).toBe(true);
  }
  for (const pool of index.pools()) {
    const open = Object.values(index.data.waitlist ?? {}).filter((e) => e.poolId === pool.id && (e.status === 'waiting' || e.status === 'offered'));
    const people = open.map((e) => e.person.email);
    expect(new Set(people).size, 'two open waitlist entries for one person').toBe(people.length);
    const offered = open.filter((e) => e.status === 'offered');
    for (const e of offered) expect(index.openSeat(pool.id, e.person), 'an offer to someone holding a seat').toBeUndefined();
    const u = index.usage(pool.id);
    if (u.total === null) {
      expect(offered).toEqual([]);
      continue;
    }
    expect(offered.length, 'more live offers than free seats').toBeLessThanOrEqual(Math.max(0, u.total - u.used - (u.pending - offered.length)));
    if (open.some((e) => e.status === 'waiting')) expect(u.available, 'a free seat while someone waits').toBe(0);
  }
  return made;
}

/** One follow-up command (an Undo, a claim, the schedule's pass): applied, with every rule checked as for a step. */
function runChecked(index: LedgerIndex, req: LedgerRequest, outcomes: Set<string>): { result: LedgerResult; changes: Change[]; before: Map<string, WaitlistStatus>; real: number; offers: number } {
  const before = new Map<string, WaitlistStatus>(Object.values(index.data.waitlist ?? {}).map((e) => [e.id, e.status]));
  const { changes, result } = executeLedgerCommand(index, req);
  index.apply(changes);
  outcomes.add(`${req.command.op}:${result.ok ? 'ok' : result.code}`);
  const real = changes.filter((c) => REAL_CHANGES.has(c.type)).length;
  expect(changes.filter((c) => c.type === 'audit.add' && c.event.action !== 'attempt.refused').length).toBe(real);
  if (!result.ok) expect(real).toBe(0);
  expect(checkInvariants(index)).toEqual([]);
  expect(overAllocatedPools(index)).toEqual([]);
  const offers = waitlistInvariants(index, changes, before, req.now);
  return { result, changes, before, real, offers };
}
