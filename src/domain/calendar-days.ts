import type { Iso } from './ledger.js';

/**
 * THE day count: how many calendar days lie between two instants, read as dates in one time zone (the
 * schedule's, SCHEDULE_TIMEZONE). Every "in 5 days", "3 days ago" and "expiring within 30 days" uses it, so
 * two instants on the same date always read the same, whatever their time of day (an expiry at 00:00 and a
 * renewal at 12:00 on one date are both "in 21 days").
 */

export const DEFAULT_TIME_ZONE = 'UTC';

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/**
 * Every zone's midnight and every offset change fall on a quarter hour of UTC (offsets are whole quarter
 * hours), so all instants of one UTC quarter hour share their date in any zone: dates are cached per quarter.
 */
const QUARTER_MS = 900_000;
const MAX_CACHED = 50_000;
const cached = new Map<string, Map<number, string>>();

function dateIn(t: number, timeZone: string): string {
  if (timeZone === 'UTC') return new Date(t).toISOString().slice(0, 10);
  let dates = cached.get(timeZone);
  if (!dates) cached.set(timeZone, (dates = new Map<number, string>()));
  const quarter = Math.floor(t / QUARTER_MS);
  const hit = dates.get(quarter);
  if (hit !== undefined) return hit;
  const parts = formatIn(timeZone).formatToParts(new Date(quarter * QUARTER_MS));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  if (dates.size >= MAX_CACHED) dates.clear();
  dates.set(quarter, date);
  return date;
}

/** "2025-04-01": the date of `iso` in `timeZone`, or null when `iso` is missing or not a date. */
export function calendarDate(iso: Iso | null | undefined, timeZone = DEFAULT_TIME_ZONE): string | null {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : dateIn(t, timeZone);
}

/** Calendar days from `from` to `to` in `timeZone` (negative when `to` is earlier); null when either is unknown. */
export function calendarDaysBetween(from: Iso | null | undefined, to: Iso | null | undefined, timeZone = DEFAULT_TIME_ZONE): number | null {
  const a = calendarDate(from, timeZone);
  const b = calendarDate(to, timeZone);
  if (a === null || b === null) return null;
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}
