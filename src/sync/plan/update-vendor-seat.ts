import type { SeatAssignment } from '../../domain/ledger.js';
import type { VendorAssignment } from '../../domain/vendor-snapshot.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';

export function updateVendorSeat(ctx: PlanContext, diff: WorkingDiff, s: SeatAssignment, va: VendorAssignment): void {
  const next = {
    email: va.assignee.email, name: va.assignee.name, expiresAt: va.expiresAt, lastUsedAt: va.lastUsedAt,
    seats: va.seats, status: va.status, vendorSeen: true,
  };
  const current = {
    email: s.assignee.email, name: s.assignee.name, expiresAt: s.expiresAt, lastUsedAt: s.lastUsedAt,
    seats: s.seats, status: s.status, vendorSeen: s.vendorSeen,
  };
  const keys = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
  if (keys.length === 0) return;
  const after: SeatAssignment = {
    ...s, assignee: { ...s.assignee, email: next.email, name: next.name }, expiresAt: next.expiresAt,
    lastUsedAt: next.lastUsedAt, seats: next.seats, status: next.status, vendorSeen: true, updatedAt: ctx.now,
  };
  ctx.counts.seatsUpdated++;
  diff.seatsUpdated++;
  ctx.put({ type: 'assignment.put', assignment: after });
  const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));
  ctx.audit('seat.synced', diff.pool.id, s.id, pick(current), pick(next));
}
