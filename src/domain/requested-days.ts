import type { SeatAssignment } from './ledger.js';

const DAY_MS = 86_400_000;

/**
 * How long a pending request asks its seat to last, in days, or null for no end date. A request's
 * `expiresAt` is provisional (the clock starts at approval), so it is shown as a term, never as a date the
 * request itself would expire.
 */
export function requestedDays(seat: Pick<SeatAssignment, 'expiresAt' | 'requestedAt'>): number | null {
  if (seat.expiresAt === null || seat.requestedAt === null) return null;
  const ms = Date.parse(seat.expiresAt) - Date.parse(seat.requestedAt);
  return Number.isNaN(ms) ? null : Math.max(1, Math.round(ms / DAY_MS));
}
