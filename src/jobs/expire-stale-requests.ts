import type { Clock } from '../clock.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Reply } from '../bot/chat-event.js';

const DAY_MS = 86_400_000;

/**
 * Closes, through the ledger (audited as seat.request_expired), every request that waited longer than
 * `ttlDays` (REQUEST_TTL_DAYS) for an admin, and returns the word to each requester. A request closed by an
 * earlier firing is no longer pending, so it is closed and told once.
 */
export async function expireStaleRequests(deps: { store: SeatStore; clock: Clock; notices: BotNotices; ttlDays: number }): Promise<Reply[]> {
  const cutoff = deps.clock.now().getTime() - deps.ttlDays * DAY_MS;
  const stale = pendingRequests(deps.store.read()).filter((a) => a.requestedAt !== null && Date.parse(a.requestedAt) <= cutoff);
  const replies: Reply[] = [];
  for (const seat of stale) {
    const result = await runLedgerCommand(deps.store, deps.clock, {
      command: { op: 'expireRequest', assignmentId: seat.id, ttlDays: deps.ttlDays },
      actor: { kind: 'system', name: 'schedule' },
      source: 'schedule',
      idempotencyKey: `expire-request:${seat.id}`,
    });
    if (result.ok && !result.replayed) replies.push(deps.notices.requestExpired(deps.store.read(), seat, deps.ttlDays));
  }
  return replies;
}
