import type { Clock } from '../clock.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';

const DAY = 86_400_000;

export interface ReminderReport {
  expired: number;
  remindedHolders: number;
  pendingReminded: number;
}

/**
 * The reminder job: ends time-bound seats whose time is up (through the ledger, as the schedule), tells
 * holders whose seats end within the next day, and reminds admins of requests waiting over a day.
 */
export async function runReminders(deps: { store: SeatStore; clock: Clock; outbox: Outbox; notices: BotNotices }): Promise<ReminderReport> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const soon = new Date(now.getTime() + DAY).toISOString();
  const replies: Reply[] = [];
  let expired = 0;
  let remindedHolders = 0;

  const active = Object.values(deps.store.read().data.assignments).filter((a) => a.status === 'active' && a.expiresAt !== null && a.origin === 'ledger');
  for (const seat of active) {
    if (seat.expiresAt! <= nowIso) {
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
    } else if (seat.expiresAt! <= soon) {
      remindedHolders++;
      replies.push(deps.notices.seatEndingSoon(deps.store.read(), seat));
    }
  }

  const stale = pendingRequests(deps.store.read()).filter((a) => a.requestedAt !== null && Date.parse(a.requestedAt) <= now.getTime() - DAY);
  const adminReminders = stale.length > 0 ? deps.notices.pendingReminder(deps.store.read(), nowIso) : [];
  replies.push(...adminReminders);
  if (replies.length > 0) await deps.outbox.send(replies);
  return { expired, remindedHolders, pendingReminded: adminReminders.length };
}
