import type { Iso, LicensePool } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { DEFAULT_RECLAIM_AFTER_DAYS } from './reclaim-rules.js';


/**
 * Reclaim candidates per pool: active seats whose `lastUsedAt` is known and older than `days` days before
 * `now`. Seats without a `lastUsedAt` (the vendor does not report use) are never counted. Most idle first.
 */
export function idleSeats(view: LedgerView, now: Iso, days = DEFAULT_RECLAIM_AFTER_DAYS): { pool: LicensePool; seats: number }[] {
  const cutoff = Date.parse(now) - days * 86_400_000;
  const out: { pool: LicensePool; seats: number }[] = [];
  for (const pool of view.pools()) {
    if (pool.retired) continue;
    let seats = 0;
    for (const a of view.assignmentsOfPool(pool.id)) if (a.status === 'active' && a.lastUsedAt !== null && Date.parse(a.lastUsedAt) < cutoff) seats += a.seats;
    if (seats > 0) out.push({ pool, seats });
  }
  return out.sort((a, b) => b.seats - a.seats || a.pool.productName.localeCompare(b.pool.productName) || a.pool.id.localeCompare(b.pool.id));
}
