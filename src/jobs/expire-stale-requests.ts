import type { Clock } from '../clock.js';
import { pendingRequests } from '../domain/ledger-queries.js';
import { pendingExtensions } from '../domain/pending-extensions.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Reply } from '../bot/chat-event.js';
import { offerNotices } from './offer-notices.js';

const DAY_MS = 86_400_000;

/**
 * Closes, through the ledger (audited as seat.request_expired), every request that waited longer than
 * `ttlDays` (REQUEST_TTL_DAYS) for an admin, and returns the word to each requester. A request closed by an
 * earlier firing is no longer pending, so it is closed and told once. Holders' pending extension requests
 * expire alike (audited seat.extension_expired; the seat keeps its end date).
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
    if (!result.ok || result.replayed) continue;
    replies.push(deps.notices.requestExpired(deps.store.read(), seat, deps.ttlDays));
    // The seat the request reserved went to the first in the waitlist in the same change.
    replies.push(...offerNotices(deps, `expire-request:${seat.id}`, deps.clock.now().toISOString()));
  }
  // Holders' pending extensions expire the same way (the seat keeps its end date).
  for (const seat of pendingExtensions(deps.store.read()).filter((a) => Date.parse(a.extensionRequest!.requestedAt) <= cutoff)) {
    const asked = seat.extensionRequest!.requestedAt;
    const result = await runLedgerCommand(deps.store, deps.clock, {
      command: { op: 'expireExtension', assignmentId: seat.id, ttlDays: deps.ttlDays },
      actor: { kind: 'system', name: 'schedule' },
      source: 'schedule',
      idempotencyKey: `expire-extension:${seat.id}@${asked}`,
    });
    if (!result.ok || result.replayed) continue;
    const reply = deps.notices.extensionExpired?.(deps.store.read(), deps.store.read().assignment(seat.id) ?? seat, deps.ttlDays);
    if (reply) replies.push(reply);
  }
  return replies;
}
