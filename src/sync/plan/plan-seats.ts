import type { SeatAssignment } from '../../domain/ledger.js';
import type { VendorAssignment } from '../../domain/vendor-snapshot.js';
import { addVendorSeat } from './add-vendor-seat.js';
import { markBotSeatSeen } from './mark-bot-seat-seen.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';
import { planDrift } from './plan-drift.js';
import { SYNC_ACTOR } from './sync-actor.js';
import { updateVendorSeat } from './update-vendor-seat.js';

const isOpen = (s: SeatAssignment): boolean => s.status === 'active' || s.status === 'pending';
const personKey = (kind: string, id: string): string => `${kind}:${id}`;

export function planSeats(ctx: PlanContext, diff: WorkingDiff, reported: readonly VendorAssignment[]): void {
  const { now, view } = ctx;
  const pool = diff.pool;
  const byExternal = new Map<string, SeatAssignment>();
  const botByEmail = new Map<string, SeatAssignment>();
  const botById = new Map<string, SeatAssignment>();
  const vendorOpen: SeatAssignment[] = [];
  const botActive: SeatAssignment[] = [];
  for (const s of view.assignmentsOfPool(pool.id)) {
    if (s.origin === 'vendor' && isOpen(s)) {
      vendorOpen.push(s);
      if (s.externalId !== null) byExternal.set(s.externalId, s);
    } else if (s.origin === 'ledger' && s.status === 'active') {
      botActive.push(s);
      if (s.externalId !== null && !byExternal.has(s.externalId)) byExternal.set(s.externalId, s);
      if (s.assignee.email) botByEmail.set(s.assignee.email.toLowerCase(), s);
      botById.set(personKey(s.assignee.kind, s.assignee.id), s);
    }
  }
  const matched = new Set<string>();
  let vendorActive = 0;
  for (const va of reported) {
    if (va.status === 'active') vendorActive += va.seats;
    let seat = byExternal.get(va.externalId);
    if (seat === undefined || matched.has(seat.id)) {
      const email = va.assignee.email?.toLowerCase();
      seat = (email ? botByEmail.get(email) : undefined) ?? botById.get(personKey(va.assignee.kind, va.assignee.id));
      if (seat !== undefined && matched.has(seat.id)) seat = undefined;
    }
    if (seat === undefined) {
      addVendorSeat(ctx, diff, va);
      continue;
    }
    matched.add(seat.id);
    if (seat.origin === 'vendor') updateVendorSeat(ctx, diff, seat, va);
    else markBotSeatSeen(ctx, diff, seat, va);
  }
  for (const s of vendorOpen) {
    if (matched.has(s.id)) continue;
    const after: SeatAssignment = { ...s, status: 'revoked', vendorSeen: false, endedAt: now, endedBy: SYNC_ACTOR, updatedAt: now };
    ctx.counts.seatsEnded++;
    diff.seatsEnded++;
    ctx.put({ type: 'assignment.put', assignment: after });
    ctx.audit('seat.ended_at_vendor', pool.id, s.id, { status: s.status }, { status: 'revoked', endedAt: now }, 'no longer reported by the vendor');
  }
  let botOnly = 0;
  let writtenMissing = 0;
  for (const s of botActive) {
    if (matched.has(s.id)) continue;
    botOnly += s.seats;
    // Write-back said the vendor has it (before this snapshot was read), yet the vendor does not list it.
    const written = view.provisionsOf(s.id).at(-1);
    if (written?.op === 'add' && written.status === 'done' && (written.calledAt ?? written.updatedAt) < ctx.snapshot.fetchedAt) writtenMissing += s.seats;
    if (!s.vendorSeen) continue;
    ctx.counts.seatsUnseen++;
    diff.seatsUnseen++;
    ctx.put({ type: 'assignment.put', assignment: { ...s, vendorSeen: false, updatedAt: now } });
    ctx.audit('seat.synced', pool.id, s.id, { vendorSeen: true }, { vendorSeen: false }, 'granted by the bot, not reported by the vendor: kept');
  }
  planDrift(ctx, diff, vendorActive, botOnly, writtenMissing);
}
