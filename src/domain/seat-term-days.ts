import type { SeatAssignment } from './ledger.js';
import { MAX_DAYS } from './ledger-command.js';

const DAY_MS = 86_400_000;

/** How many days a time-bound seat was given for (from assignment to end), 1 to MAX_DAYS: what Extend adds. */
export function seatTermDays(seat: Pick<SeatAssignment, 'expiresAt' | 'assignedAt' | 'requestedAt'>): number {
  const start = seat.assignedAt ?? seat.requestedAt;
  if (seat.expiresAt === null || start === null) return 1;
  const days = Math.round((Date.parse(seat.expiresAt) - Date.parse(start)) / DAY_MS);
  return Number.isFinite(days) ? Math.min(MAX_DAYS, Math.max(1, days)) : 1;
}
