import type { PoolUsage } from '../domain/ledger-view.js';

export interface UsageText {
  /** "3 of 10 free", "unlimited" or "not metered by the vendor". */
  availability: string;
  /** "7 used · 2 pending". */
  counts: string;
  /** Available seats at or below the pool's alert threshold (never for unlimited pools). */
  low: boolean;
}

export function describeUsage(usage: PoolUsage, minFreeSeats: number): UsageText {
  const counts = `${usage.used} used · ${usage.pending} pending`;
  if (usage.total === null || usage.available === null)
    return { availability: usage.metered ? 'unlimited' : 'not metered by the vendor', counts, low: false };
  return {
    availability: `${usage.available} of ${usage.total} free`,
    counts,
    low: usage.available <= minFreeSeats,
  };
}
