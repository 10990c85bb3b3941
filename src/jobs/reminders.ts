import type { Clock } from '../clock.js';
import { calendarDate, DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';
import { claimDailyNotice } from '../domain/claim-daily-notice.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import { DEFAULT_REQUEST_TTL_DAYS } from '../domain/ledger-command.js';
import { noticeId } from '../domain/notice-id.js';
import type { SeatStore } from '../store/seat-store.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';
import { expireStaleRequests } from './expire-stale-requests.js';
import { remindPools } from './remind-pools.js';
import { expireSeats } from './expire-seats.js';
import { reclaimSeats } from './reclaim-seats.js';

const DAY = 86_400_000;

export interface ReminderReport {
  expired: number;
  remindedHolders: number;
  pendingReminded: number;
  /** Requests closed after REQUEST_TTL_DAYS unanswered. */
  requestsExpired: number;
  /** Pool expiry/renewal reminders and low-seat alerts (replies, one per admin target). */
  poolReminders: number;
  /** Idle-seat reclaim (pools with policy reclaim ask|auto): holders asked, seats released, seats reported. */
  reclaim?: { asked: number; released: number; reported: number };
}

export interface ReminderDeps {
  store: SeatStore;
  clock: Clock;
  outbox: Outbox;
  notices: BotNotices;
  /** SCHEDULE_TIMEZONE (default UTC): whose calendar days count. */
  timeZone?: string;
  /** REQUEST_TTL_DAYS (default 14). */
  requestTtlDays?: number;
  /** RECLAIM_AFTER_DAYS (default 60): a seat unused this long is idle. */
  reclaimAfterDays?: number;
}

/**
 * The reminder job, safe at any frequency (every notice is recorded in the ledger before it is sent, so none
 * goes twice): ends time-bound seats whose time is up and warns their holders (expireSeats, which
 * SEAT_EXPIRY_CRON also runs on its own), closes requests unanswered for REQUEST_TTL_DAYS and tells the requester, reminds the admins of pool
 * expiry/renewal dates and low seats, and once a day of requests waiting over a day (one message).
 */
export async function runReminders(deps: ReminderDeps): Promise<ReminderReport> {
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const replies: Reply[] = [];

  const seats = await expireSeats(deps);

  const closed = await expireStaleRequests({ ...deps, ttlDays: deps.requestTtlDays ?? DEFAULT_REQUEST_TTL_DAYS });
  replies.push(...closed);
  const pools = await remindPools({ ...deps, timeZone });
  replies.push(...pools);
  const reclaim = await reclaimSeats({ ...deps, ...(deps.reclaimAfterDays === undefined ? {} : { afterDays: deps.reclaimAfterDays }) });

  const stale = pendingRequests(deps.store.read()).filter((a) => a.requestedAt !== null && Date.parse(a.requestedAt) <= now.getTime() - DAY);
  const day = calendarDate(nowIso, timeZone) ?? nowIso.slice(0, 10);
  const nudge =
    stale.length > 0 && (await deps.store.update((view) => claimDailyNotice(view, { id: noticeId.pendingNudge(), kind: 'pending_nudge', subject: null, day }, nowIso)));
  const adminReminders = nudge ? deps.notices.pendingReminder(deps.store.read(), nowIso) : [];
  replies.push(...adminReminders);
  if (replies.length > 0) await deps.outbox.send(replies);
  return { expired: seats.expired, remindedHolders: seats.warned, pendingReminded: adminReminders.length, requestsExpired: closed.length, poolReminders: pools.length, reclaim };
}
