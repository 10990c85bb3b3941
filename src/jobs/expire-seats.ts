import type { Clock } from '../clock.js';
import type { Change, SeatAssignment } from '../domain/ledger.js';
import { markNotice } from '../domain/mark-notice.js';
import { noticeId } from '../domain/notice-id.js';
import { ownEntry } from '../domain/own-entry.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';
import { offerWaitlistSeats } from './offer-waitlist-seats.js';
import { offerNotices } from './offer-notices.js';

const HOUR = 3_600_000;
/** A time-bound seat's holder is warned once a day before its end and once an hour before, each once. */
export const SEAT_WARNING_HOURS: readonly number[] = [24, 1];

export interface SeatExpiryReport {
  expired: number;
  /** Warnings sent to holders (each threshold once per end date). */
  warned: number;
}

/**
 * Ends, through the ledger, every time-bound seat whose time is up and tells its holder; warns holders of
 * seats ending within a day and within an hour, each once per end date (marked in the ledger before it is
 * sent, so any firing frequency sends nothing twice; an extension moves the end and re-arms both).
 * SEAT_EXPIRY_CRON runs it every minute; the reminder job runs it too.
 */
export async function expireSeats(deps: { store: SeatStore; clock: Clock; outbox: Outbox; notices: BotNotices }): Promise<SeatExpiryReport> {
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
      // The seat went to the first in its waitlist in the same change: their Claim message goes out now.
      replies.push(...offerNotices(deps, `expire:${seat.id}`, nowIso));
    }
  }

  const ending = await deps.store.update((view) => {
    const warn: SeatAssignment[] = [];
    const changes: Change[] = [];
    for (const listed of active) {
      // Re-read inside the update: an extension or release since the list was taken wins.
      const seat = view.assignment(listed.id);
      if (seat?.status !== 'active' || seat.expiresAt === null || seat.expiresAt <= nowIso) continue;
      const left = Date.parse(seat.expiresAt) - now.getTime();
      const due = SEAT_WARNING_HOURS.filter((h) => left <= h * HOUR);
      if (due.length === 0) continue;
      const tightest = Math.min(...due);
      const id = noticeId.seatEnding(seat.id);
      const prev = ownEntry(view.data.notices, id);
      const sent = prev?.on === seat.expiresAt ? prev.thresholds : [];
      if (sent.includes(tightest)) continue;
      warn.push(seat);
      const thresholds = [...new Set([...sent, ...due])].sort((a, b) => b - a);
      changes.push(...markNotice(view, { id, kind: 'seat_ending', subject: seat.id, on: seat.expiresAt, thresholds, active: false, at: nowIso }, nowIso));
    }
    return { changes, result: warn };
  });
  for (const seat of ending) replies.push(deps.notices.seatEndingSoon(deps.store.read(), seat, nowIso));
  if (replies.length > 0) await deps.outbox.send(replies);
  // The backstop: offers past 24 h lapse to the next person, and seats a sync added go to the waitlist.
  await offerWaitlistSeats(deps);
  return { expired, warned: ending.length };
}
