import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, poolId, type AuditEvent, type Change } from '../../../src/domain/ledger.js';
import type { LedgerIndex } from '../../../src/domain/ledger-view.js';
import type { VendorSnapshot } from '../../../src/domain/vendor-snapshot.js';
import { VendorApiError } from '../../../src/errors.js';
import { DRIFT_EVENT_TTL_MS } from '../../../src/sync/plan/plan-drift.js';
import { planSync } from '../../../src/sync/plan/plan-sync.js';
import type { SyncPlan } from '../../../src/sync/plan/sync-plan-types.js';
import {
  aPool,
  aSeat,
  aSnapshot,
  aVendorPool,
  aVendorSeat,
  ledgerOf,
  snapshotWithHolders,
  T0,
  viewOf,
} from '../../support/ledger-builders.js';

const T1 = '2026-03-02T10:00:00.000Z';
const T2 = '2026-03-02T11:00:00.000Z';
const POOL = poolId('webex', 'org-1', 'lic-meetings');

/** Plans and applies, like applySync does inside the store. */
function sync(view: LedgerIndex, snapshot: VendorSnapshot, now: string): SyncPlan {
  const plan = planSync(view, snapshot, now);
  view.apply(plan.changes);
  return plan;
}

const audits = (plan: SyncPlan): AuditEvent[] =>
  plan.changes.flatMap((c: Change) => (c.type === 'audit.add' ? [c.event] : []));

describe('planSync', () => {
  it('adds new pools with the default policy and the vendor seats as vendor-origin, seen, synced seats', () => {
    const view = viewOf();
    const snap = snapshotWithHolders(['ann', 'bob']);
    snap.assignments[1]!.status = 'pending';
    const plan = sync(view, snap, T1);

    expect(plan.counts).toMatchObject({ poolsAdded: 1, seatsAdded: 2, auditEvents: 3, poolsUpdated: 0 });
    const pool = view.pool(POOL)!;
    expect(pool).toMatchObject({ vendor: 'webex', connectionId: 'org-1', externalId: 'lic-meetings', totalSeats: 10, consumedSeats: 2 });
    expect(pool.policy).toEqual(DEFAULT_POLICY);
    expect(pool).toMatchObject({ retired: false, createdAt: T1, syncedAt: T1 });
    const seats = view.assignmentsOfPool(POOL);
    expect(seats.map((s) => [s.assignee.email, s.status, s.origin, s.source, s.vendorSeen])).toEqual([
      ['ann@example.com', 'active', 'vendor', 'sync', true],
      ['bob@example.com', 'pending', 'vendor', 'sync', true],
    ]);
    for (const e of audits(plan)) {
      expect(e.actor).toEqual({ kind: 'system', name: 'sync' });
      expect(e.source).toBe('sync');
    }
    expect(audits(plan).map((e) => e.action)).toEqual(['pool.created', 'seat.synced', 'seat.synced']);
    expect(plan.pools).toEqual([expect.objectContaining({ poolId: POOL, action: 'add', seatsAdded: 2 })]);
  });

  it('plans the same thing twice for the same input and a plain JSON-serializable object', () => {
    const data = ledgerOf({ pools: [aPool({ totalSeats: 5 })] });
    const snap = snapshotWithHolders(['ann', 'bob', 'cy']);
    const a = planSync(viewOf(data), snap, T1);
    const b = planSync(viewOf(data), snap, T1);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('plans nothing at all on a second identical sync: zero changes and zero audit events', () => {
    const view = viewOf(ledgerOf({ assignments: [] }));
    const snap = snapshotWithHolders(['ann', 'bob'], { expiryDate: '2027-01-01T00:00:00.000Z', consumedSeats: 5 });
    const first = sync(view, snap, T1);
    expect(first.changes.length).toBeGreaterThan(0);
    const second = sync(view, snap, T2);
    expect(second.changes).toEqual([]);
    expect(second.counts.auditEvents).toBe(0);
    expect(second.pools).toEqual([]);
    // The consumed mismatch found by the first sync is still open, not re-opened.
    expect(second.counts).toMatchObject({ driftOpen: 1, driftOpened: 0, driftUpdated: 0 });
  });

  it('updates a pool only in the synced fields that changed, keeping its local policy and createdAt', () => {
    const policy = { approval: 'auto' as const, minFreeSeats: 3 };
    const view = viewOf(ledgerOf({ pools: [aPool({ policy, consumedSeats: 0 })] }));
    const plan = sync(view, aSnapshot({ pools: [aVendorPool({ productName: 'Webex Meetings Pro', totalSeats: 12 })] }), T1);

    expect(plan.counts).toMatchObject({ poolsUpdated: 1, poolsAdded: 0, auditEvents: 1 });
    expect(plan.pools[0]).toMatchObject({ action: 'update', fields: ['productName', 'totalSeats'] });
    const pool = view.pool(POOL)!;
    expect(pool).toMatchObject({ productName: 'Webex Meetings Pro', totalSeats: 12, policy, createdAt: T0, updatedAt: T1, syncedAt: T1 });
    const [event] = audits(plan);
    expect(event).toMatchObject({
      action: 'pool.updated',
      poolId: POOL,
      before: { productName: 'Webex Meetings', totalSeats: 10 },
      after: { productName: 'Webex Meetings Pro', totalSeats: 12 },
    });
  });

  it('does not touch a pool whose synced fields are unchanged (scope compared by value)', () => {
    const scope = { siteUrl: 'acme.webex.com', siteType: 'Control Hub managed site' };
    const view = viewOf(ledgerOf({ pools: [aPool({ scope })] }));
    const plan = planSync(view, aSnapshot({ pools: [aVendorPool({ scope: { siteType: scope.siteType, siteUrl: scope.siteUrl } })] }), T1);
    expect(plan.changes).toEqual([]);
  });

  it('retires a pool the vendor no longer reports, keeps it and its seats, and ends only its vendor seats', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['ann']), T1);
    view.apply([{ type: 'assignment.put', assignment: aSeat({ id: 'bot-1', poolId: POOL }) }]);

    const plan = sync(view, aSnapshot({ pools: [] }), T2);

    expect(plan.counts).toMatchObject({ poolsRetired: 1, seatsEnded: 1, seatsAdded: 0 });
    expect(plan.changes.every((c) => c.type.endsWith('.put') || c.type === 'audit.add')).toBe(true);
    const pool = view.pool(POOL)!;
    expect(pool).toMatchObject({ retired: true, retiredAt: T2 });
    const seats = view.assignmentsOfPool(POOL);
    expect(seats).toHaveLength(2);
    const ann = seats.find((s) => s.origin === 'vendor')!;
    expect(ann).toMatchObject({ status: 'revoked', endedAt: T2, endedBy: { kind: 'system', name: 'sync' } });
    expect(view.assignment('bot-1')).toMatchObject({ status: 'active', endedAt: null });
    expect(audits(plan).map((e) => e.action).sort()).toEqual(['pool.retired', 'seat.ended_at_vendor']);
    // Retiring again is a no-op.
    expect(planSync(view, aSnapshot({ pools: [] }), '2026-03-02T12:00:00.000Z').changes).toEqual([]);
  });

  it('un-retires a pool that reappears at the vendor and adds its holders back as new seats', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['ann']), T1);
    sync(view, aSnapshot({ pools: [] }), T2);
    const plan = sync(view, snapshotWithHolders(['ann']), '2026-03-02T12:00:00.000Z');

    expect(plan.counts).toMatchObject({ poolsUpdated: 1, poolsRestored: 1, seatsAdded: 1 });
    expect(plan.pools[0]).toMatchObject({ action: 'restore', fields: ['retired'] });
    expect(view.pool(POOL)).toMatchObject({ retired: false, retiredAt: null, createdAt: T1 });
    const seats = view.assignmentsOfPool(POOL);
    expect(seats.map((s) => s.status).sort()).toEqual(['active', 'revoked']);
    expect(new Set(seats.map((s) => s.id)).size).toBe(2);
  });

  it('updates vendor seats whose details changed and ends the ones no longer reported', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['ann', 'bob', 'cy']), T1);
    const snap = snapshotWithHolders(['ann', 'bob']);
    snap.assignments[0]!.assignee.name = 'Ann Smith';
    snap.assignments[1]!.lastUsedAt = T2;
    const plan = sync(view, snap, T2);

    expect(plan.counts).toMatchObject({ seatsUpdated: 2, seatsEnded: 1, seatsAdded: 0, poolsUpdated: 1 });
    const byEmail = new Map(view.assignmentsOfPool(POOL).map((s) => [s.assignee.email, s]));
    expect(byEmail.get('ann@example.com')!.assignee.name).toBe('Ann Smith');
    expect(byEmail.get('bob@example.com')!.lastUsedAt).toBe(T2);
    expect(byEmail.get('cy@example.com')).toMatchObject({ status: 'revoked', endedBy: { kind: 'system', name: 'sync' } });
    const ended = audits(plan).find((e) => e.action === 'seat.ended_at_vendor')!;
    expect(ended.assignmentId).toBe(byEmail.get('cy@example.com')!.id);
    const renamed = audits(plan).find((e) => e.assignmentId === byEmail.get('ann@example.com')!.id)!;
    expect(renamed).toMatchObject({ before: { name: 'Person ann' }, after: { name: 'Ann Smith' } });
  });

  it('marks a bot-granted seat the vendor reports as seen (email matched case-insensitively) instead of duplicating it', () => {
    const view = viewOf(ledgerOf({ pools: [aPool()], assignments: [aSeat({ id: 'bot-ann', poolId: POOL, assignee: { kind: 'user', id: 'webex-ann', email: 'Ann@Example.com', name: 'Ann' } })] }));
    const plan = sync(view, snapshotWithHolders(['ann']), T1);

    expect(plan.counts).toMatchObject({ seatsMatched: 1, seatsAdded: 0 });
    expect(view.assignmentsOfPool(POOL)).toHaveLength(1);
    expect(view.assignment('bot-ann')).toMatchObject({ vendorSeen: true, origin: 'ledger', externalId: 'lic-meetings:ann', status: 'active' });
    expect(view.usage(POOL)).toMatchObject({ vendorUsed: 1, ledgerOnly: 0, used: 1 });
    expect(planSync(view, snapshotWithHolders(['ann']), T2).changes).toEqual([]);
  });

  it('matches a bot-granted seat by person id when the vendor reports no email', () => {
    const view = viewOf(ledgerOf({ pools: [aPool()], assignments: [aSeat({ id: 'bot-1', poolId: POOL, assignee: { kind: 'user', id: 'P1', email: 'x@example.com', name: null } })] }));
    const snap = snapshotWithHolders([]);
    snap.pools[0]!.consumedSeats = 1;
    snap.assignments.push(aVendorSeat('x', { assignee: { kind: 'user', id: 'P1', email: null, name: null } }));
    const plan = sync(view, snap, T1);
    expect(plan.counts).toMatchObject({ seatsMatched: 1, seatsAdded: 0 });
    expect(view.assignment('bot-1')!.vendorSeen).toBe(true);
  });

  it('keeps a bot-granted seat the vendor does not report, and turns vendorSeen off when the vendor stops reporting it', () => {
    const view = viewOf(ledgerOf({ pools: [aPool()], assignments: [aSeat({ id: 'bot-ann', poolId: POOL })] }));
    sync(view, snapshotWithHolders(['bot-ann']), T1);
    expect(view.assignment('bot-ann')!.vendorSeen).toBe(true);

    const plan = sync(view, snapshotWithHolders([]), T2);
    expect(plan.counts).toMatchObject({ seatsUnseen: 1, seatsEnded: 0 });
    expect(view.assignment('bot-ann')).toMatchObject({ status: 'active', vendorSeen: false, endedAt: null });
    expect(audits(plan).find((e) => e.assignmentId === 'bot-ann')).toMatchObject({ action: 'seat.synced', before: { vendorSeen: true }, after: { vendorSeen: false } });
    // The kept seat now counts as a bot-only seat, so the vendor's 0 disagrees with the ledger's 1.
    expect(view.data.drift[`${POOL}:consumed_mismatch`]).toMatchObject({ vendorValue: 0, ledgerValue: 1, resolvedAt: null });
  });

  it('leaves pools and seats of other vendors and connections alone', () => {
    const other = aPool({ connectionId: 'org-2' });
    const meraki = aPool({ vendor: 'meraki', connectionId: 'org-1', sourceKind: 'meraki.device_license_group' });
    const view = viewOf(ledgerOf({ pools: [other, meraki], assignments: [aSeat({ id: 'v1', poolId: other.id, origin: 'vendor', vendorSeen: true, externalId: 'x' })] }));
    const plan = planSync(view, aSnapshot({ pools: [] }), T1);
    expect(plan.changes).toEqual([]);
  });

  it('opens a consumed_mismatch finding when the vendor count disagrees with the seats it lists, and resolves it once they agree', () => {
    const view = viewOf();
    const plan = sync(view, snapshotWithHolders(['ann'], { consumedSeats: 3 }), T1);
    expect(plan.counts.driftOpened).toBe(1);
    expect(plan.pools[0]!.drift).toEqual(['consumed_mismatch']);
    expect(view.data.drift[`${POOL}:consumed_mismatch`]).toMatchObject({
      id: `${POOL}:consumed_mismatch`, poolId: POOL, kind: 'consumed_mismatch', detectedAt: T1, vendorValue: 3, ledgerValue: 1, resolvedAt: null,
    });

    const again = sync(view, snapshotWithHolders(['ann', 'bob'], { consumedSeats: 3 }), T2);
    expect(again.counts).toMatchObject({ driftUpdated: 1, driftOpened: 0 });
    expect(view.data.drift[`${POOL}:consumed_mismatch`]).toMatchObject({ detectedAt: T1, ledgerValue: 2, resolvedAt: null });

    const fixed = sync(view, snapshotWithHolders(['ann', 'bob', 'cy']), '2026-03-02T12:00:00.000Z');
    expect(fixed.counts).toMatchObject({ driftResolved: 1, driftOpen: 0 });
    expect(view.data.drift[`${POOL}:consumed_mismatch`]!.resolvedAt).toBe('2026-03-02T12:00:00.000Z');
  });

  it('counts bot-only seats in the ledger side of consumed_mismatch and skips pools whose holders are not listed', () => {
    const view = viewOf(ledgerOf({ pools: [aPool()], assignments: [aSeat({ id: 'bot-1', poolId: POOL })] }));
    sync(view, snapshotWithHolders(['ann'], { consumedSeats: 2 }), T1);
    expect(view.data.drift[`${POOL}:consumed_mismatch`]).toBeUndefined();

    const sub = aSnapshot({ vendor: 'meraki', pools: [aVendorPool({ externalId: 'sub:LIC-1', sourceKind: 'meraki.subscription_entitlement', consumedSeats: 40, totalSeats: 50 })] });
    const plan = planSync(viewOf(), sub, T1);
    expect(plan.counts.driftOpened).toBe(0);
  });

  it('opens over_allocated when the licensed total shrinks below the seats in use, with total_changed, and resolves it when it grows back', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['a', 'b', 'c', 'd']), T1);
    const plan = sync(view, snapshotWithHolders(['a', 'b', 'c', 'd'], { totalSeats: 3, availableSeats: 0 }), T2);

    expect(plan.pools[0]!.drift.sort()).toEqual(['over_allocated', 'total_changed']);
    expect(view.data.drift[`${POOL}:over_allocated`]).toMatchObject({ vendorValue: 3, ledgerValue: 4, resolvedAt: null });
    expect(view.data.drift[`${POOL}:total_changed`]).toMatchObject({ vendorValue: 3, ledgerValue: 10, resolvedAt: null });

    const T3 = '2026-03-02T12:00:00.000Z';
    const back = sync(view, snapshotWithHolders(['a', 'b', 'c', 'd'], { totalSeats: 10 }), T3);
    expect(view.data.drift[`${POOL}:over_allocated`]!.resolvedAt).toBe(T3);
    // total_changed fired again (3 -> 10) and stays open.
    expect(view.data.drift[`${POOL}:total_changed`]).toMatchObject({ detectedAt: T3, vendorValue: 10, ledgerValue: 3, resolvedAt: null });
    expect(back.counts).toMatchObject({ driftResolved: 1, driftUpdated: 1 });
  });

  it('counts bot-granted seats the vendor does not know about towards over_allocated', () => {
    const view = viewOf(ledgerOf({ pools: [aPool({ totalSeats: 2 })], assignments: [aSeat({ id: 'bot-1', poolId: POOL })] }));
    sync(view, snapshotWithHolders(['a', 'b'], { totalSeats: 2 }), T1);
    expect(view.data.drift[`${POOL}:over_allocated`]).toMatchObject({ vendorValue: 2, ledgerValue: 3 });
  });

  it('opens expiry_moved when the expiry date changes and resolves it after the event window while unchanged', () => {
    const exp1 = '2026-12-31T00:00:00.000Z';
    const exp2 = '2027-06-30T00:00:00.000Z';
    const view = viewOf();
    sync(view, snapshotWithHolders([], { expiryDate: exp1 }), T1);
    expect(view.data.drift[`${POOL}:expiry_moved`]).toBeUndefined();

    const plan = sync(view, snapshotWithHolders([], { expiryDate: exp2 }), T2);
    expect(plan.counts.driftOpened).toBe(1);
    expect(view.data.drift[`${POOL}:expiry_moved`]).toMatchObject({ vendorValue: exp2, ledgerValue: exp1, detectedAt: T2, resolvedAt: null });

    const soon = new Date(Date.parse(T2) + DRIFT_EVENT_TTL_MS - 1000).toISOString();
    expect(planSync(view, snapshotWithHolders([], { expiryDate: exp2 }), soon).changes).toEqual([]);
    const later = new Date(Date.parse(T2) + DRIFT_EVENT_TTL_MS).toISOString();
    const resolved = sync(view, snapshotWithHolders([], { expiryDate: exp2 }), later);
    expect(resolved.counts).toMatchObject({ driftResolved: 1, auditEvents: 0 });
    expect(view.data.drift[`${POOL}:expiry_moved`]!.resolvedAt).toBe(later);
  });

  it('resolves every open finding of a pool when it is retired', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['ann'], { consumedSeats: 5 }), T1);
    const plan = sync(view, aSnapshot({ pools: [] }), T2);
    expect(plan.counts).toMatchObject({ driftResolved: 1, driftOpen: 0 });
    expect(view.data.drift[`${POOL}:consumed_mismatch`]!.resolvedAt).toBe(T2);
  });

  it('adds a vendor seat that was ended earlier and comes back as a new record, keeping the ended one', () => {
    const view = viewOf();
    sync(view, snapshotWithHolders(['ann']), T1);
    sync(view, snapshotWithHolders([]), T2);
    const plan = sync(view, snapshotWithHolders(['ann']), '2026-03-02T12:00:00.000Z');
    expect(plan.counts.seatsAdded).toBe(1);
    const seats = view.assignmentsOfPool(POOL);
    expect(seats.map((s) => s.status).sort()).toEqual(['active', 'revoked']);
  });

  it('refuses a snapshot that reports the same pool twice and ignores duplicate or orphan assignments', () => {
    const dup = aSnapshot({ pools: [aVendorPool(), aVendorPool()] });
    expect(() => planSync(viewOf(), dup, T1)).toThrow(VendorApiError);

    const snap = snapshotWithHolders(['ann']);
    snap.assignments.push(aVendorSeat('ann'), aVendorSeat('zed', { poolExternalId: 'nope' }));
    const plan = planSync(viewOf(), snap, T1);
    expect(plan.counts).toMatchObject({ seatsAdded: 1, seatsIgnored: 2 });
  });

  it('gives every audit event of a plan a distinct id', () => {
    const view = viewOf(ledgerOf({ assignments: [] }));
    sync(view, snapshotWithHolders(['a', 'b', 'c']), T1);
    const plan = sync(view, snapshotWithHolders(['d'], { totalSeats: 9 }), T2);
    const ids = audits(plan).map((e) => e.id);
    expect(ids.length).toBe(5);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
