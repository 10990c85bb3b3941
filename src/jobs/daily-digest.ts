import type { Clock } from '../clock.js';
import { calendarDate, DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';
import { claimDailyNotice } from '../domain/claim-daily-notice.js';
import { noticeId } from '../domain/notice-id.js';
import { ownEntry } from '../domain/own-entry.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, JobOutbox, Outbox } from '../bot/chat-event.js';
import { deliverNotice } from './deliver-notice.js';
import { forEachLimited } from './for-each-limited.js';

/**
 * Spaces claimed and sent at a time. Bounds the crash window (at most this many spaces claimed but not yet
 * sent) while the store group-commits the claims and the send queue posts to the spaces in parallel.
 */
export const DIGEST_CONCURRENCY = 4;

export interface DigestReport {
  /** Digests posted by this run. */
  spaces: number;
  /** Subscribed spaces already claimed for today (by an earlier firing, before a restart or a crash). */
  skipped: number;
  /** Spaces unsubscribed because the bot is no longer in them (Webex 404/403). */
  unsubscribed: number;
  /** Claimed but not delivered (Webex kept failing): not retried today, so none is ever sent twice. */
  failed: number;
}

/**
 * Posts the digest card to every space that turned it on ("digest on"), at most once per space per calendar
 * day in SCHEDULE_TIMEZONE, whatever fires the job. Per space: claim the day in the ledger (durable), then send.
 * At most once: a crash between claim and send loses that space's digest for the day (at most
 * DIGEST_CONCURRENCY spaces); spaces not yet claimed are sent by the next firing, and none is sent twice. A
 * space the bot was removed from (404/403) is unsubscribed through the ledger.
 */
export async function runDailyDigest(deps: {
  store: SeatStore;
  clock: Clock;
  outbox: JobOutbox | Outbox;
  notices: BotNotices;
  /** SCHEDULE_TIMEZONE: whose calendar day counts (default UTC). */
  timeZone?: string;
  /** Spaces in flight at once (default DIGEST_CONCURRENCY); 1 = a crash loses at most the space being sent. */
  concurrency?: number;
}): Promise<DigestReport> {
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const report: DigestReport = { spaces: 0, skipped: 0, unsubscribed: 0, failed: 0 };
  const spaces = Object.values(deps.store.read().data.spaces).filter((s) => s.digest);
  await forEachLimited(spaces, deps.concurrency ?? DIGEST_CONCURRENCY, async (space) => {
    const now = deps.clock.now().toISOString();
    const day = calendarDate(now, timeZone) ?? now.slice(0, 10);
    const id = noticeId.digest(space.roomId);
    // The previous digest's moment, read before the claim replaces it: the digest lists what changed since.
    let since: string | null = null;
    const claimed = await deps.store.update((view) => {
      since = ownEntry(view.data.notices, id)?.at ?? null;
      return claimDailyNotice(view, { id, kind: 'digest', subject: space.roomId, day }, now);
    });
    if (!claimed) {
      report.skipped++;
      return;
    }
    const reply = deps.notices.digest(deps.store.read(), now, { roomId: space.roomId, title: space.title, since });
    const outcome = await deliverNotice(deps.outbox, reply);
    if (outcome.ok) {
      report.spaces++;
    } else if (outcome.failure === 'not_found' || outcome.failure === 'forbidden') {
      await runLedgerCommand(deps.store, deps.clock, {
        command: { op: 'setDigest', roomId: space.roomId, digest: false, note: `digest unsubscribed: Webex answered ${outcome.failure} (the bot is no longer in the space)` },
        actor: { kind: 'system', name: 'schedule' },
        source: 'schedule',
        idempotencyKey: `digest-unsubscribe:${space.roomId}:${day}`,
      });
      report.unsubscribed++;
    } else {
      report.failed++;
    }
  });
  return report;
}
