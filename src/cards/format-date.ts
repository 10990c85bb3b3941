import type { Iso } from '../domain/ledger.js';
import { countOf } from './count-of.js';

const DAY_MS = 86_400_000;

/** "2025-04-01" (UTC), or "—" when unknown or unparseable. */
export function formatDate(iso: Iso | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '—' : new Date(t).toISOString().slice(0, 10);
}

/** "2025-04-01 14:05 UTC", or "—". */
export function formatDateTime(iso: Iso | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '—' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole days from `now` until `iso` (negative when past, rounded up: 1 hour left = 1 day); null if unknown. */
export function daysUntil(iso: Iso | null | undefined, now: Iso): number | null {
  const t = iso ? Date.parse(iso) : NaN;
  const n = Date.parse(now);
  if (Number.isNaN(t) || Number.isNaN(n)) return null;
  return Math.ceil((t - n) / DAY_MS);
}

/** "in 5 days", "today", "3 days ago". */
export function describeDaysLeft(days: number): string {
  if (days === 0) return 'today';
  if (days > 0) return `in ${countOf(days, 'day')}`;
  return `${-days} day${days === -1 ? '' : 's'} ago`;
}
