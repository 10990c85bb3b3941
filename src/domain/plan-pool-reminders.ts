import type { Change, Iso, LicensePool, NoticeMark } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { calendarDaysBetween } from './calendar-days.js';
import { markNotice } from './mark-notice.js';
import { noticeId } from './notice-id.js';
import { ownEntry } from './own-entry.js';
import { DATE_REMINDER_DAYS, type PoolReminder } from './pool-reminder.js';

/**
 * Which pool reminders are due now, and the notice marks that record them (pure). Per pool and date kind
 * (expiry, renewal): one reminder per threshold in DATE_REMINDER_DAYS, the tightest one crossed when several
 * are (all crossed ones are then marked); a date moved later re-arms them all, a date moved earlier keeps what
 * was sent. Low seats: one alert when available seats fall to the pool's minFreeSeats or below, re-armed once
 * they are above it again.
 */
export function planPoolReminders(view: LedgerView, now: Iso, timeZone: string): { reminders: PoolReminder[]; changes: Change[] } {
  const reminders: PoolReminder[] = [];
  const changes: Change[] = [];
  for (const pool of view.pools()) {
    if (pool.retired) continue;
    for (const kind of ['expiry', 'renewal'] as const) {
      const date = kind === 'expiry' ? pool.expiryDate : pool.renewalDate;
      const due = dateReminder(view, pool, kind, date, now, timeZone);
      if (due) {
        reminders.push(due.reminder);
        changes.push(...markNotice(view, due.mark, now));
      }
    }
    const low = lowSeats(view, pool, now);
    if (low.reminder) reminders.push(low.reminder);
    changes.push(...low.changes);
  }
  return { reminders, changes };
}

function dateReminder(
  view: LedgerView,
  pool: LicensePool,
  kind: 'expiry' | 'renewal',
  date: Iso | null,
  now: Iso,
  timeZone: string,
): { reminder: PoolReminder; mark: NoticeMark } | null {
  const daysLeft = calendarDaysBetween(now, date, timeZone);
  if (date === null || daysLeft === null || daysLeft < 0) return null;
  const id = kind === 'expiry' ? noticeId.poolExpiry(pool.id) : noticeId.poolRenewal(pool.id);
  const prev = ownEntry(view.data.notices, id);
  const movedLater = prev?.on !== undefined && prev.on !== null && Date.parse(date) > Date.parse(prev.on);
  const sent = prev === undefined || movedLater ? [] : prev.thresholds;
  const crossed = DATE_REMINDER_DAYS.filter((t) => daysLeft <= t);
  const fresh = crossed.filter((t) => !sent.includes(t));
  if (fresh.length === 0) return null;
  const threshold = Math.min(...fresh);
  const thresholds = [...new Set([...sent, ...crossed])].sort((a, b) => b - a);
  return {
    reminder: { kind, pool, date, daysLeft, threshold },
    mark: { id, kind: kind === 'expiry' ? 'pool_expiry' : 'pool_renewal', subject: pool.id, on: date, thresholds, active: false, at: now },
  };
}

function lowSeats(view: LedgerView, pool: LicensePool, now: Iso): { reminder: PoolReminder | null; changes: Change[] } {
  const usage = view.usage(pool.id);
  const id = noticeId.lowSeats(pool.id);
  const prev = ownEntry(view.data.notices, id);
  const active = prev?.active === true;
  if (usage.available === null) return { reminder: null, changes: [] };
  const minFree = pool.policy.minFreeSeats;
  const isLow = usage.available <= minFree;
  if (isLow === active) return { reminder: null, changes: [] };
  const mark: NoticeMark = { id, kind: 'low_seats', subject: pool.id, on: null, thresholds: [], active: isLow, at: now };
  if (!isLow) return { reminder: null, changes: markNotice(view, mark, now, 'notice.rearmed', `${usage.available} seats free again`) };
  return { reminder: { kind: 'low_seats', pool, available: usage.available, minFree }, changes: markNotice(view, mark, now) };
}
