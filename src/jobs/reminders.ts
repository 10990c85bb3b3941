import type { Clock } from '../clock.js';
import { calendarDate, DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';
import { claimDailyNotice } from '../domain/claim-daily-notice.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import type { Change, SeatAssignment } from '../domain/ledger.js';
import { DEFAULT_REQUEST_TTL_DAYS } from '../domain/ledger-command.js';
import { markNotice } from '../domain/mark-notice.js';
import { noticeId } from '../domain/notice-id.js';
import { ownEntry } from '../domain/own-entry.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';
import { expireStaleRequests } from './expire-stale-requests.js';
import { remindPools } from './remind-pools.js';

const DAY = 86_400_000;

export interface ReminderReport {
  expired: number;
  remindedHolders: number;
  pendingReminded: number;
  /** Requests closed after REQUEST_TTL_DAYS unanswered. */
  requestsExpired: number;
  /** Pool expiry/renewal reminders and low-seat alerts (replies, one per admin target). */
  poolReminders: number;
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
}

/**
 * The reminder job, safe at any frequency (every notice is recorded in the ledger before it is sent, so none
 * goes twice): ends time-bound seats whose time is up, warns holders once of a seat ending within a day,
 * closes requests unanswered for REQUEST_TTL_DAYS and tells the requester, reminds the admins of pool
 * expiry/renewal dates and low seats, and once a day of requests waiting over a day (one message).
 */
export async function runReminders(deps: ReminderDeps): Promise<ReminderReport> {
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const replies: Reply[] = [];
  let expired = 0;

  const active = Object.values(deps.store.read().data.assignments).filter((a) => a.status === 'active' && a.expiresAt !== null && a.origin === 'ledger');
  for (const seat of active.filter((a) => a.expiresAt! <= nowIso)) {
    const result = await runLedgerCommand(deps.store, deps.clock, {
      command: { op: 'expire', assignmentId: seat.id },
      actor: { kind: 'system', name: 'schedule' },
      source: 'schedule',
      idempotencyKey: `expire:${seat.id}`,
    });
    if (result.ok && !result.replayed) {
      expired++;
      replies.push(deps.notices.seatExpired(deps.store.read(), seat, nowIso));
    }
  }

  const soon = new Date(now.getTime() + DAY).toISOString();
  const ending = await deps.store.update((view) => {
    const warn: SeatAssignment[] = [];
    const changes: Change[] = [];
    for (const seat of active) {
      if (seat.expiresAt! <= nowIso || seat.expiresAt! > soon) continue;
      const id = noticeId.seatEnding(seat.id);
      if (ownEntry(view.data.notices, id)?.on === seat.expiresAt) continue;
      warn.push(seat);
      changes.push(...markNotice(view, { id, kind: 'seat_ending', subject: seat.id, on: seat.expiresAt, thresholds: [], active: false, at: nowIso }, nowIso));
    }
    return { changes, result: warn };
  });
  for (const seat of ending) replies.push(deps.notices.seatEndingSoon(deps.store.read(), seat));

  const closed = await expireStaleRequests({ ...deps, ttlDays: deps.requestTtlDays ?? DEFAULT_REQUEST_TTL_DAYS });
  replies.push(...closed);
  const pools = await remindPools({ ...deps, timeZone });
  replies.push(...pools);

  const stale = pendingRequests(deps.store.read()).filter((a) => a.requestedAt !== null && Date.parse(a.requestedAt) <= now.getTime() - DAY);
  const day = calendarDate(nowIso, timeZone) ?? nowIso.slice(0, 10);
  const nudge =
    stale.length > 0 && (await deps.store.update((view) => claimDailyNotice(view, { id: noticeId.pendingNudge(), kind: 'pending_nudge', subject: null, day }, nowIso)));
  const adminReminders = nudge ? deps.notices.pendingReminder(deps.store.read(), nowIso) : [];
  replies.push(...adminReminders);
  if (replies.length > 0) await deps.outbox.send(replies);
  return { expired, remindedHolders: ending.length, pendingReminded: adminReminders.length, requestsExpired: closed.length, poolReminders: pools.length };
}
