import { createHash } from 'node:crypto';
import type { SeatAssignment, Vendor } from '../../domain/ledger.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import type { VendorAssignment } from '../../domain/vendor-snapshot.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';

/**
 * Deterministic, short id for a seat first seen at the vendor: a hash of pool and vendor key (vendor keys
 * can be hundreds of characters, and the id is repeated in every audit event and journal line). A key seen
 * again after its seat ended gets the next free `.n` suffix, so the ended record stays as it was.
 */
function newSeatId(view: LedgerView, vendor: Vendor, poolId: string, externalId: string): string {
  const base = `${vendor}-seat-${createHash('sha256').update(`${poolId}\u0000${externalId}`).digest('base64url').slice(0, 16)}`;
  if (view.assignment(base) === undefined) return base;
  for (let n = 1; ; n++) {
    const id = `${base}.${n}`;
    if (view.assignment(id) === undefined) return id;
  }
}

export function addVendorSeat(ctx: PlanContext, diff: WorkingDiff, va: VendorAssignment): void {
  const id = newSeatId(ctx.view, ctx.snapshot.vendor, diff.pool.id, va.externalId);
  const assignee = { kind: va.assignee.kind, id: va.assignee.id, email: va.assignee.email, name: va.assignee.name };
  const seat: SeatAssignment = {
    id, poolId: diff.pool.id, assignee, seats: va.seats, status: va.status, origin: 'vendor', vendorSeen: true,
    externalId: va.externalId, source: 'sync', reason: null, requestedAt: null, requestedBy: null, decidedAt: null,
    decidedBy: null, decisionNote: null, assignedAt: va.assignedAt, endedAt: null, endedBy: null,
    expiresAt: va.expiresAt, lastUsedAt: va.lastUsedAt, updatedAt: ctx.now,
  };
  ctx.counts.seatsAdded++;
  diff.seatsAdded++;
  ctx.put({ type: 'assignment.put', assignment: seat });
  ctx.audit('seat.synced', diff.pool.id, id, null, { status: va.status, seats: va.seats, holder: assignee.email ?? `${assignee.kind}:${assignee.id}` });
}
