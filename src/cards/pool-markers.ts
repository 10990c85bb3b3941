import type { PoolWithUsage, Moment } from './card-data.js';
import { datedText, daysUntil, formatDate } from './format-date.js';

export const DEFAULT_EXPIRING_DAYS = 30;
/** The digest looks further ahead, in steps: within 30, 60 and 90 days. */
export const DIGEST_EXPIRING_DAYS = 90;
export const DIGEST_EXPIRY_STEPS: readonly number[] = [30, 60, DIGEST_EXPIRING_DAYS];

export interface PoolCondition {
  retired: boolean;
  expired: boolean;
  /** Calendar days until expiry when within the window (0 = today), else null. */
  expiringInDays: number | null;
  /** No seat is free (metered pools with a total only). */
  full: boolean;
  /** Some seats are in use and the free ones are down to the pool's alert threshold, but not none. */
  low: boolean;
  /** Short, safe (no user text) markers: "⚠️ Low on seats", "⛔ No free seats", "⏳ Expires 2025-04-01 (in 5 days)". */
  markers: string[];
}

/**
 * THE place a pool's markers are derived, for every card that shows them (summary, pool, digest): a pool with
 * nothing free says "No free seats" whatever its alert threshold, and a pool nobody uses is never "low" (1 of
 * 1 free is simply free).
 */
export function poolCondition({ pool, usage }: PoolWithUsage, at: Moment, withinDays = DEFAULT_EXPIRING_DAYS): PoolCondition {
  const days = daysUntil(pool.expiryDate, at);
  const expired =
    pool.state === 'expired' ||
    pool.state === 'cancelled' ||
    (pool.expiryDate !== null && Date.parse(pool.expiryDate) <= Date.parse(at.now));
  const expiringInDays = !expired && days !== null && days <= withinDays ? days : null;
  const open = !pool.retired && !expired && usage.total !== null && usage.available !== null;
  const full = open && usage.available === 0;
  const inUse = usage.used + usage.pending > 0;
  const low = open && !full && inUse && (usage.available ?? 0) <= pool.policy.minFreeSeats;
  const markers: string[] = [];
  if (pool.retired) markers.push('🗄️ Retired');
  if (expired) markers.push(pool.expiryDate ? `⛔ Expired ${formatDate(pool.expiryDate, at.timeZone)}` : '⛔ Expired');
  if (expiringInDays !== null) markers.push(`⏳ Expires ${datedText(pool.expiryDate, at)}`);
  if (full) markers.push('⛔ No free seats');
  if (low) markers.push('⚠️ Low on seats');
  return { retired: pool.retired, expired, expiringInDays, full, low, markers };
}
