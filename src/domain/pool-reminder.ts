import type { Iso, LicensePool } from './ledger.js';

/** Days before a pool's expiry or renewal date at which the admins are reminded, once each. */
export const DATE_REMINDER_DAYS: readonly number[] = [90, 60, 30, 7];

/** One reminder the reminder job owes the admins. */
export type PoolReminder =
  | { kind: 'expiry' | 'renewal'; pool: LicensePool; date: Iso; daysLeft: number; threshold: number }
  | { kind: 'low_seats'; pool: LicensePool; available: number; minFree: number };
