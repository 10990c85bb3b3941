import type { Iso, LicensePool, ProvisionIntent, SeatAssignment, Vendor } from '../domain/ledger.js';
import type { LedgerCommand } from '../domain/ledger-command.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { vendorLabel } from '../domain/vendor-label.js';
import type { SeatWrite, SeatWriteOutcome, SeatWriter } from '../sync/vendors/seat-writer.js';
import { MAX_PROVISION_ATTEMPTS, provisionBackoffMs } from './provision-backoff.js';
import { brakeReason, removalsInLastHour, REMOVAL_HOLD } from './removal-brake.js';

export type Settle = Extract<LedgerCommand, { op: 'settleProvision' }>;
const MAX_REASON = 300;
const cut = (s: string): string => (s.length > MAX_REASON ? `${s.slice(0, MAX_REASON - 1)}…` : s);

/** The vendor write an intent asks for (`lastAdd`: the seat's latest assignment intent, for a removal). */
export function seatWriteOf(intent: ProvisionIntent, pool: LicensePool, seat: SeatAssignment, lastAdd?: ProvisionIntent): SeatWrite {
  return {
    op: intent.op,
    licenseId: pool.externalId,
    assignee: { id: seat.assignee.id, email: seat.assignee.email },
    expiresAt: seat.expiresAt,
    ...(intent.op === 'remove' && lastAdd?.status === 'pending_acceptance' ? { pendingAcceptance: true } : {}),
  };
}

/** Why an intent cannot run here at all (paused, for an admin to see), or null when it can. */
export function cannotRun(intent: ProvisionIntent, enabled: readonly Vendor[], writer: SeatWriter | undefined): string | null {
  const at = vendorLabel(intent.vendor);
  if (!enabled.includes(intent.vendor)) return `write-back to ${at} is not enabled (WRITE_BACK_VENDORS)`;
  if (writer === undefined) return `no ${at} admin credentials are configured for write-back`;
  return null;
}

/** The ledger command recording one vendor write's outcome (`now`: when the call returned). */
export function settleCommand(intent: ProvisionIntent, outcome: SeatWriteOutcome, now: Iso): Settle {
  const attempts = intent.attempts + 1;
  const base = { op: 'settleProvision' as const, intentId: intent.id, attempts };
  switch (outcome.kind) {
    case 'done':
      return { ...base, status: 'done', reason: cut(outcome.detail), calledAt: outcome.noop ? null : now };
    case 'pending_acceptance':
      return { ...base, status: 'pending_acceptance', reason: cut(outcome.detail), calledAt: now };
    case 'refused':
      return { ...base, status: 'refused', reason: cut(outcome.reason), calledAt: now };
    case 'paused':
      return { ...base, status: 'paused', reason: cut(outcome.reason), hold: { id: intent.vendor, reason: cut(outcome.reason) } };
    case 'retry':
      if (attempts >= MAX_PROVISION_ATTEMPTS) return { ...base, status: 'refused', reason: cut(`gave up after ${attempts} attempts: ${outcome.reason}`) };
      return { ...base, status: 'queued', reason: cut(outcome.reason), nextAttemptAt: new Date(Date.parse(now) + provisionBackoffMs(attempts)).toISOString() };
  }
}

/** What to do with one due intent before any vendor call: record it as it is, show a dry run, or call. */
export type IntentPlan =
  | { kind: 'settle'; command: Settle; brake?: boolean }
  | { kind: 'dryRun'; calls: string[]; command: Settle }
  | { kind: 'call'; write: SeatWrite; writer: SeatWriter };

/**
 * Decides an intent's next step (pure): refused when its seat or license is gone; paused when its vendor is not
 * enabled or has no credentials, in a dry run (with the exact calls), or when one more removal would pass the
 * hourly brake (which also holds removals); else the vendor call to make.
 */
export function planIntent(
  view: LedgerView,
  intent: ProvisionIntent,
  o: { vendors: readonly Vendor[]; dryRun: boolean; maxRemovalsPerHour: number; writer: SeatWriter | undefined; removalsInFlight: number; now: Iso },
): IntentPlan {
  const seat = view.assignment(intent.assignmentId);
  const pool = view.pool(intent.poolId);
  const base = { op: 'settleProvision' as const, intentId: intent.id, attempts: intent.attempts };
  if (!seat || !pool) return { kind: 'settle', command: { ...base, status: 'refused', reason: 'the seat or its license is no longer in the ledger' } };
  const blocked = cannotRun(intent, o.vendors, o.writer);
  if (blocked !== null || o.writer === undefined) return { kind: 'settle', command: { ...base, status: 'paused', reason: blocked ?? 'no writer' } };
  const write = seatWriteOf(intent, pool, seat, view.provisionsOf(seat.id).findLast((i) => i.op === 'add'));
  if (o.dryRun) {
    const calls = o.writer.describe(write);
    return { kind: 'dryRun', calls, command: { ...base, status: 'paused', reason: cut(`dry run (WRITE_BACK_DRY_RUN), not sent: ${calls.join('; ')}`) } };
  }
  if (intent.op === 'remove' && removalsInLastHour(view, o.now, o.removalsInFlight) >= o.maxRemovalsPerHour) {
    const reason = brakeReason(o.maxRemovalsPerHour);
    return { kind: 'settle', brake: true, command: { ...base, status: 'paused', reason, hold: { id: REMOVAL_HOLD, reason } } };
  }
  return { kind: 'call', write, writer: o.writer };
}
