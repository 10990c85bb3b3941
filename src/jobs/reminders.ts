import type { Clock } from '../clock.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { Outbox, Reply } from '../bot/chat-event.js';
import type { BotAccess } from '../bot/bot-deps.js';
import { pendingData, personText, poolRef } from '../bot/card-views.js';
import { replyCard, replyText } from '../bot/reply-card.js';
import { adminTargets, holderTarget } from '../bot/notify-targets.js';

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
export async function runReminders(deps: { store: SeatStore; clock: Clock; outbox: Outbox; access: BotAccess }): Promise<ReminderReport> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const soon = new Date(now.getTime() + DAY).toISOString();
  const replies: Reply[] = [];
  let expired = 0;
  let remindedHolders = 0;

  const active = Object.values(deps.store.read().data.assignments).filter((a) => a.status === 'active' && a.expiresAt !== null && a.origin === 'ledger');
  for (const seat of active) {
    const pool = deps.store.read().pool(seat.poolId);
    if (seat.expiresAt! <= nowIso) {
      const result = await runLedgerCommand(deps.store, deps.clock, {
        command: { op: 'expire', assignmentId: seat.id },
        actor: { kind: 'system', name: 'schedule' },
        source: 'schedule',
        idempotencyKey: `expire:${seat.id}`,
      });
      if (result.ok && !result.replayed) {
        expired++;
        replies.push(
          replyCard(holderTarget(seat), 'decision', { kind: 'expired', pool: poolRef(pool, seat.poolId), holder: personText(seat), actor: null, at: nowIso, seats: seat.seats, note: null, expiresAt: seat.expiresAt }),
        );
      }
    } else if (seat.expiresAt! <= soon) {
      remindedHolders++;
      replies.push(replyText(holderTarget(seat), `Reminder: your **${pool?.productName ?? seat.poolId}** seat ends ${seat.expiresAt!.slice(0, 16).replace('T', ' ')} UTC. Ask for it again if you still need it.`));
    }
  }

  const stale = pendingRequests(deps.store.read()).filter((a) => a.requestedAt !== null && Date.parse(a.requestedAt) <= now.getTime() - DAY);
  const admins = adminTargets(deps.access);
  if (stale.length > 0) {
    for (const to of admins) replies.push(replyCard(to, 'pending', pendingData(deps.store.read(), nowIso)));
  }
  if (replies.length > 0) await deps.outbox.send(replies);
  return { expired, remindedHolders, pendingReminded: stale.length > 0 ? admins.length : 0 };
}
