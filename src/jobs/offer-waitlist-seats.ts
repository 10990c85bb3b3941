import type { Clock } from '../clock.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';

/**
 * The waitlist pass: for every pool with people waiting or an offer out, lapses offers older than 24 hours and
 * offers each free seat to the next waiting person, who gets a direct message. Keyed by pool, minute and queue
 * shape, so a second firing on the same state changes and sends nothing. SEAT_EXPIRY_CRON runs it after expiring seats.
 */
export async function offerWaitlistSeats(deps: { store: SeatStore; clock: Clock; outbox: Outbox; notices: BotNotices }): Promise<{ offered: number }> {
  const nowIso = deps.clock.now().toISOString();
  const view0 = deps.store.read();
  const open = Object.values(view0.data.waitlist ?? {}).filter((e) => e.status === 'waiting' || e.status === 'offered');
  // Only pools with work: an offer past its time, or someone waiting while a seat is free.
  const due = (poolId: string): boolean => {
    const mine = open.filter((e) => e.poolId === poolId);
    if (mine.some((e) => e.status === 'offered' && e.offerExpiresAt !== null && e.offerExpiresAt <= nowIso)) return true;
    const available = view0.usage(poolId).available;
    return mine.some((e) => e.status === 'waiting') && (available === null || available > 0);
  };
  const pools = [...new Set(open.map((e) => e.poolId))].filter(due);
  // The queue's shape goes into the key, so a change within the same minute (someone left) is a new pass.
  const stateKey = (poolId: string): string => {
    const mine = open.filter((e) => e.poolId === poolId);
    return `w${mine.filter((e) => e.status === 'waiting').length}o${mine.filter((e) => e.status === 'offered').length}a${view0.usage(poolId).available ?? 'n'}`;
  };
  const replies: Reply[] = [];
  let offered = 0;
  for (const poolId of pools) {
    const result = await runLedgerCommand(deps.store, deps.clock, {
      command: { op: 'offerWaitlist', poolId },
      actor: { kind: 'system', name: 'schedule' },
      source: 'schedule',
      idempotencyKey: `waitlist:${poolId}:${nowIso.slice(0, 16)}:${stateKey(poolId)}`,
    });
    if (!result.ok || result.replayed || result.message === '') continue;
    const view = deps.store.read();
    for (const id of result.message.split(',')) {
      const entry = view.data.waitlist?.[id];
      if (!entry || !Object.hasOwn(view.data.waitlist ?? {}, id)) continue;
      offered++;
      const reply = deps.notices.waitlistOffer?.(view, entry, nowIso);
      if (reply) replies.push(reply);
    }
  }
  if (replies.length > 0) await deps.outbox.send(replies);
  return { offered };
}
