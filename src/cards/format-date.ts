import { calendarDate, calendarDaysBetween, DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';
import type { Iso } from '../domain/ledger.js';
import type { Moment } from './card-data.js';
import { countOf } from './count-of.js';

/** "2025-04-01": the calendar date in `timeZone` (default UTC), or "—" when unknown or unparseable. */
export function formatDate(iso: Iso | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  return calendarDate(iso, timeZone) ?? '—';
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** "2025-04-01 14:05 UTC" (or "… Europe/Berlin" in that zone), or "—". */
export function formatDateTime(iso: Iso | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  const date = calendarDate(iso, timeZone);
  if (date === null || !iso) return '—';
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, f);
  }
  return `${date} ${f.format(new Date(Date.parse(iso)))} ${timeZone === 'UTC' ? 'UTC' : timeZone}`;
}

/** Calendar days from `now` until `iso` in the card's time zone (negative when past); null if unknown. */
export function daysUntil(iso: Iso | null | undefined, at: Moment): number | null {
  return calendarDaysBetween(at.now, iso, at.timeZone);
}

/** "in 5 days", "tomorrow", "today", "yesterday", "3 days ago". */
export function describeDaysLeft(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  if (days > 0) return `in ${countOf(days, 'day')}`;
  return `${countOf(-days, 'day')} ago`;
}

/** THE way a date with its distance reads on every card: "2025-04-06 (in 5 days)", or "—". */
export function datedText(iso: Iso | null | undefined, at: Moment): string {
  const days = daysUntil(iso, at);
  return days === null ? '—' : `${formatDate(iso, at.timeZone)} (${describeDaysLeft(days)})`;
}
