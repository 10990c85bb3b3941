import type { SeatAssignment } from '../../domain/ledger.js';
import type { VendorAssignment } from '../../domain/vendor-snapshot.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';

export function markBotSeatSeen(ctx: PlanContext, diff: WorkingDiff, s: SeatAssignment, va: VendorAssignment): void {
  const externalId = s.externalId ?? va.externalId;
  const lastUsedAt = va.lastUsedAt ?? s.lastUsedAt;
  if (s.vendorSeen && externalId === s.externalId && lastUsedAt === s.lastUsedAt) return;
  if (s.vendorSeen) {
    ctx.counts.seatsUpdated++;
    diff.seatsUpdated++;
  } else {
    ctx.counts.seatsMatched++;
    diff.seatsMatched++;
  }
  ctx.put({ type: 'assignment.put', assignment: { ...s, vendorSeen: true, externalId, lastUsedAt, updatedAt: ctx.now } });
  ctx.audit(
    'seat.synced', diff.pool.id, s.id,
    { vendorSeen: s.vendorSeen, externalId: s.externalId, lastUsedAt: s.lastUsedAt },
    { vendorSeen: true, externalId, lastUsedAt },
    s.vendorSeen ? null : 'granted by the bot, now reported by the vendor',
  );
}
