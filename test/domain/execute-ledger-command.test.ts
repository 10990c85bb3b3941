import { describe, expect, it } from 'vitest';
import { emptyLedger, type LicensePool } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import type { LedgerActor, LedgerCommand, LedgerResult } from '../../src/domain/ledger-command.js';
import { makePool } from '../support/make-pool.js';
import { waitlistQueue } from '../../src/domain/waitlist-queue.js';

const ada: LedgerActor = { kind: 'person', personId: 'p-ada', email: 'ada@example.com', name: 'Ada', isAdmin: true };
const bob: LedgerActor = { kind: 'person', personId: 'p-bob', email: 'bob@example.com', name: 'Bob', isAdmin: true };
const cy: LedgerActor = { kind: 'person', personId: 'p-cy', email: 'cy@example.com', name: 'Cy', isAdmin: false };

function ledger(...pools: LicensePool[]) {
  const data = emptyLedger();
  for (const p of pools) data.pools[p.id] = p;
  const index = new LedgerIndex(data);
  let n = 0;
  const run = (actor: LedgerActor, command: LedgerCommand, now = '2026-03-01T10:00:00.000Z', key = `key-${++n}`) => {
    const out = executeLedgerCommand(index, { actor, command, source: 'chat', idempotencyKey: key, now });
    index.apply(out.changes);
    return out;
  };
  return { index, run };
}

/** The seat id of a successful outcome; fails the test with the ledger's message otherwise. */
function sid(r: { result: LedgerResult }): string {
  if (!r.result.ok || r.result.assignmentId === null) throw new Error(`expected success, got ${JSON.stringify(r.result)}`);
  return r.result.assignmentId;
}

const zoom = makePool({ externalId: 'zoom', productName: 'Zoom Pro', totalSeats: 2, consumedSeats: 1 });

describe('executeLedgerCommand', () => {
  it('counts vendor-consumed seats, bot grants and pending requests in what is available', () => {
    const { index, run } = ledger(zoom);
    expect(index.usage(zoom.id)).toMatchObject({ total: 2, used: 1, pending: 0, available: 1 });
    const r = run(cy, { op: 'request', poolId: zoom.id });
    expect(r.result).toMatchObject({ ok: true, status: 'pending' });
    expect(index.usage(zoom.id)).toMatchObject({ used: 1, pending: 1, available: 0 });
    expect(run(bob, { op: 'request', poolId: zoom.id }).result).toMatchObject({ ok: false, code: 'LEDGER_NO_FREE_SEAT' });
    expect(run(ada, { op: 'approve', assignmentId: sid(r) }).result).toMatchObject({ ok: true, status: 'active' });
    expect(index.usage(zoom.id)).toMatchObject({ vendorUsed: 1, ledgerOnly: 1, used: 2, pending: 0, available: 0 });
  });

  it('does not cap a pool the vendor does not meter by the total it reports (Webex Hybrid reads 1/0)', () => {
    const hybrid = makePool({ externalId: 'hybrid', productName: 'Hybrid - Call Aware', totalSeats: 1, consumedSeats: 0, metered: false });
    const { index, run } = ledger(hybrid);
    expect(run(ada, { op: 'grant', poolId: hybrid.id, assignee: { email: 'di@example.com' } }).result).toMatchObject({ ok: true });
    expect(run(ada, { op: 'grant', poolId: hybrid.id, assignee: { email: 'eve@example.com' } }).result).toMatchObject({ ok: true });
    expect(run(cy, { op: 'request', poolId: hybrid.id }).result).toMatchObject({ ok: true, status: 'pending' });
    expect(index.usage(hybrid.id)).toEqual({ total: null, metered: false, vendorUsed: 0, ledgerOnly: 2, used: 2, pending: 1, pendingRequests: 1, pendingInvitations: 0, available: null });
    // The same reported numbers on a metered pool are a real limit.
    const metered = makePool({ externalId: 'metered', totalSeats: 1, consumedSeats: 0 });
    const other = ledger(metered);
    expect(other.run(ada, { op: 'grant', poolId: metered.id, assignee: { email: 'di@example.com' } }).result).toMatchObject({ ok: true });
    expect(other.run(ada, { op: 'grant', poolId: metered.id, assignee: { email: 'eve@example.com' } }).result).toMatchObject({ ok: false, code: 'LEDGER_NO_FREE_SEAT' });
  });

  it('refuses unknown, retired and expired pools with a reason', () => {
    const retired = makePool({ externalId: 'old', productName: 'Old Tool', retired: true, retiredAt: '2026-01-01T00:00:00.000Z' });
    const expired = makePool({ externalId: 'exp', productName: 'Gone Tool', expiryDate: '2026-02-01T00:00:00.000Z' });
    const { run } = ledger(retired, expired);
    expect(run(cy, { op: 'request', poolId: 'nope' }).result).toMatchObject({ ok: false, code: 'LEDGER_UNKNOWN_POOL' });
    expect(run(cy, { op: 'request', poolId: retired.id }).result).toMatchObject({ ok: false, code: 'LEDGER_POOL_RETIRED', message: expect.stringContaining('Old Tool is retired') });
    expect(run(cy, { op: 'request', poolId: expired.id }).result).toMatchObject({ ok: false, code: 'LEDGER_POOL_EXPIRED', message: expect.stringContaining('Gone Tool is expired') });
  });

  it('allows one open seat per person per pool, matching people by email in any case', () => {
    const { run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    expect(run(cy, { op: 'request', poolId: 'cpod:default:a' }).result.ok).toBe(true);
    const same = { ...cy, personId: 'p-other-id', email: 'CY@example.com' } as LedgerActor;
    expect(run(same, { op: 'request', poolId: 'cpod:default:a' }).result).toMatchObject({ code: 'LEDGER_ALREADY_HOLDS' });
    expect(run(ada, { op: 'grant', poolId: 'cpod:default:a', assignee: { email: 'cy@EXAMPLE.com' } }).result).toMatchObject({ code: 'LEDGER_ALREADY_HOLDS' });
  });

  it('lets only other admins decide, and only once', () => {
    const { index, run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    const mine = sid(run(ada, { op: 'request', poolId: 'cpod:default:a' }));
    expect(run(ada, { op: 'approve', assignmentId: mine }).result).toMatchObject({ code: 'LEDGER_SELF_APPROVAL' });
    expect(run(cy, { op: 'approve', assignmentId: mine }).result).toMatchObject({ code: 'LEDGER_FORBIDDEN' });
    expect(index.data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { personId: 'p-cy' } });
    expect(run(bob, { op: 'approve', assignmentId: mine }).result).toMatchObject({ ok: true });
    expect(run(bob, { op: 'deny', assignmentId: mine }).result).toMatchObject({ code: 'LEDGER_WRONG_STATE', message: expect.stringContaining('by bob@example.com') });
  });

  it('grants by the rules of approval: never to the admin herself, only inside the allowed domains; refusals audited', () => {
    const { index, run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    for (const assignee of [{ email: 'ada@example.com' }, { email: ' ADA@Example.COM ' }, { email: 'other@example.com', id: 'p-ada' }]) {
      const r = run(ada, { op: 'grant', poolId: 'cpod:default:a', assignee });
      expect(r.result).toMatchObject({ ok: false, code: 'LEDGER_SELF_APPROVAL', message: 'You cannot grant a seat to yourself: another admin must.' });
      expect(r.changes.map((c) => c.type)).toEqual(['audit.add', 'idempotency.put']);
      expect(index.data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { personId: 'p-ada' }, poolId: 'cpod:default:a', after: { op: 'grant' } });
    }
    const outsider = run(ada, { op: 'grant', poolId: 'cpod:default:a', assignee: { email: 'eve@evil.test' }, allowedDomains: ['Example.com'] });
    expect(outsider.result).toMatchObject({ ok: false, code: 'LEDGER_OUTSIDE_DOMAIN' });
    expect(index.data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', after: { op: 'grant' }, note: expect.stringContaining('eve@evil.test') });
    expect(run(ada, { op: 'grant', poolId: 'cpod:default:a', assignee: { email: 'cy@EXAMPLE.com' }, allowedDomains: ['example.com'] }).result).toMatchObject({ ok: true });
    expect(run(bob, { op: 'grant', poolId: 'cpod:default:a', assignee: { email: 'ada@example.com' }, allowedDomains: [] }).result).toMatchObject({ ok: true });
    expect(Object.values(index.data.assignments).map((a) => a.assignee.email).sort()).toEqual(['ada@example.com', 'cy@example.com']);
  });

  it('treats "__proto__", "constructor" and friends as unknown pools and seats', () => {
    const { index, run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(index.pool(key)).toBeUndefined();
      expect(index.assignment(key)).toBeUndefined();
      expect(index.idempotency(key)).toBeUndefined();
      expect(run(cy, { op: 'request', poolId: key }).result).toMatchObject({ code: 'LEDGER_UNKNOWN_POOL' });
      expect(run(ada, { op: 'grant', poolId: key, assignee: { email: 'cy@example.com' } }).result).toMatchObject({ code: 'LEDGER_UNKNOWN_POOL' });
      for (const op of ['approve', 'deny', 'revoke', 'release'] as const) {
        expect(run(op === 'release' ? cy : ada, { op, assignmentId: key }).result, `${op} ${key}`).toMatchObject({ code: 'LEDGER_UNKNOWN_SEAT' });
      }
      expect(run(ada, { op: 'setPolicy', poolId: key, policy: { approval: 'auto' } }).result).toMatchObject({ code: 'LEDGER_UNKNOWN_POOL' });
    }
    expect(index.usage('__proto__')).toMatchObject({ total: null, used: 0 });
  });

  it('returns the first outcome for a replayed key and changes nothing', () => {
    const { index, run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    const first = run(cy, { op: 'request', poolId: 'cpod:default:a' }, undefined, 'attachment-action-1');
    const seats = Object.keys(index.data.assignments).length;
    const again = run(cy, { op: 'request', poolId: 'cpod:default:a' }, undefined, 'attachment-action-1');
    expect(again.changes).toEqual([]);
    expect(again.result).toEqual({ ...first.result, replayed: true });
    expect(Object.keys(index.data.assignments)).toHaveLength(seats);
    expect(run(cy, { op: 'release', assignmentId: sid(first) }, undefined, 'attachment-action-1').result).toMatchObject({ code: 'LEDGER_KEY_REUSED' });
  });

  it('writes each change and its audit event together, with before and after', () => {
    const { run } = ledger(makePool({ externalId: 'a', totalSeats: 5, policy: { approval: 'auto', minFreeSeats: 0 } }));
    const { changes, result } = run(cy, { op: 'request', poolId: 'cpod:default:a', days: 7, reason: 'project X' });
    expect(changes.map((c) => c.type)).toEqual(['assignment.put', 'audit.add', 'idempotency.put']);
    const audit = changes[1]!;
    expect(audit.type === 'audit.add' && audit.event).toMatchObject({ action: 'seat.auto_approved', before: null, after: { id: sid({ result }), status: 'active', expiresAt: '2026-03-08T10:00:00.000Z' } });
  });

  it('starts a time-bound seat when it is approved and expires it only when due', () => {
    const { index, run } = ledger(makePool({ externalId: 'a', totalSeats: 5 }));
    const id = sid(run(cy, { op: 'request', poolId: 'cpod:default:a', days: 2 }, '2026-03-01T00:00:00.000Z'));
    run(ada, { op: 'approve', assignmentId: id }, '2026-03-03T00:00:00.000Z');
    expect(index.assignment(id)?.expiresAt).toBe('2026-03-05T00:00:00.000Z');
    const sys: LedgerActor = { kind: 'system', name: 'schedule' };
    expect(run(sys, { op: 'expire', assignmentId: id }, '2026-03-04T00:00:00.000Z').result).toMatchObject({ code: 'LEDGER_WRONG_STATE' });
    expect(run(sys, { op: 'expire', assignmentId: id }, '2026-03-05T00:00:00.000Z').result).toMatchObject({ ok: true, status: 'expired' });
  });

  it('refuses to end seats that the vendor manages, and other people\'s seats', () => {
    const pool = makePool({ externalId: 'a', totalSeats: 5 });
    const { index, run } = ledger(pool);
    index.apply([{ type: 'assignment.put', assignment: { id: 'v1', poolId: pool.id, assignee: { kind: 'user', id: 'z1', email: 'cy@example.com', name: 'Cy' }, seats: 1, status: 'active', origin: 'vendor', vendorSeen: true, externalId: 'x', source: 'sync', reason: null, requestedAt: null, requestedBy: null, decidedAt: null, decidedBy: null, decisionNote: null, assignedAt: '2026-01-01T00:00:00.000Z', endedAt: null, endedBy: null, expiresAt: null, lastUsedAt: null, updatedAt: '2026-01-01T00:00:00.000Z' } }]);
    expect(run(cy, { op: 'release', assignmentId: 'v1' }).result).toMatchObject({ code: 'LEDGER_INVALID', message: expect.stringContaining('assigned at cPod') });
    expect(run(bob, { op: 'release', assignmentId: 'v1' }).result).toMatchObject({ code: 'LEDGER_NOT_YOURS' });
  });

  it('validates days, reason length, emails and keys', () => {
    const { run } = ledger(makePool({ externalId: 'a' }));
    expect(run(cy, { op: 'request', poolId: 'cpod:default:a', days: 0 }).result).toMatchObject({ code: 'LEDGER_INVALID' });
    expect(run(cy, { op: 'request', poolId: 'cpod:default:a', reason: 'x'.repeat(301) }).result).toMatchObject({ code: 'LEDGER_INVALID' });
    expect(run(ada, { op: 'grant', poolId: 'cpod:default:a', assignee: { email: 'nobody' } }).result).toMatchObject({ code: 'LEDGER_INVALID' });
    expect(run(cy, { op: 'request', poolId: 'cpod:default:a' }, undefined, '  ').result).toMatchObject({ code: 'LEDGER_INVALID' });
  });
});

describe('waitlist order', () => {
  it('keeps first come, first served for joins in the same instant, whatever order the record keys come back in', () => {
    const full = makePool({ externalId: 'full', productName: 'Full Pool', totalSeats: 1, consumedSeats: 1 });
    const { index, run } = ledger(full);
    const dee: LedgerActor = { kind: 'person', personId: 'p-dee', email: 'dee@example.com', name: 'Dee', isAdmin: false };
    const same = '2026-03-01T10:00:00.000Z';
    // Ids that sort the other way round from the order of joining.
    expect(run(cy, { op: 'joinWaitlist', poolId: full.id }, same, 'z-first').result).toMatchObject({ ok: true });
    expect(run(dee, { op: 'joinWaitlist', poolId: full.id }, same, 'a-second').result).toMatchObject({ ok: true });
    // A store that sorts keys (PostgreSQL jsonb, a canonical export) hands the record back reordered.
    const data = structuredClone(index.data);
    data.waitlist = Object.fromEntries(Object.entries(data.waitlist ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    const reloaded = new LedgerIndex(data);
    expect(Object.keys(reloaded.data.waitlist ?? {})).toEqual(['a-second', 'z-first']);
    expect(waitlistQueue(reloaded, full.id).map((e) => e.person.email)).toEqual(['cy@example.com', 'dee@example.com']);
  });
});
