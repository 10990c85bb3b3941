import type { Iso } from '../domain/ledger.js';
import type { PoolWithUsage } from './card-data.js';
import { describeUsage } from './describe-usage.js';
import { daysUntil, describeDaysLeft, formatDate } from './format-date.js';

export const DEFAULT_EXPIRING_DAYS = 30;

export interface PoolCondition {
  retired: boolean;
  expired: boolean;
  /** Days until expiry when within the window (0 = today), else null. */
  expiringInDays: number | null;
  low: boolean;
  /** Short, safe (no user text) markers: "⚠️ Low on seats", "⏳ Expires 2025-04-01 (in 5 days)". */
  markers: string[];
}

export function poolCondition(
  { pool, usage }: PoolWithUsage,
  now: Iso,
  withinDays = DEFAULT_EXPIRING_DAYS,
): PoolCondition {
  const days = daysUntil(pool.expiryDate, now);
  const expired =
    pool.state === 'expired' ||
    pool.state === 'cancelled' ||
    (days !== null && Date.parse(pool.expiryDate ?? '') < Date.parse(now));
  const expiringInDays = !expired && days !== null && days <= withinDays ? days : null;
  const low = !pool.retired && !expired && describeUsage(usage, pool.policy.minFreeSeats).low;
  const markers: string[] = [];
  if (pool.retired) markers.push('🗄️ Retired');
  if (expired) markers.push(pool.expiryDate ? `⛔ Expired ${formatDate(pool.expiryDate)}` : '⛔ Expired');
  if (expiringInDays !== null)
    markers.push(`⏳ Expires ${formatDate(pool.expiryDate)} (${describeDaysLeft(expiringInDays)})`);
  if (low) markers.push(usage.available === 0 ? '⚠️ No free seats' : '⚠️ Low on seats');
  return { retired: pool.retired, expired, expiringInDays, low, markers };
}
