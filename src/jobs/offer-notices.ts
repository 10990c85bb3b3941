import type { Iso } from '../domain/ledger.js';
import { offersMadeBy } from '../domain/offer-freed-seats.js';
import type { SeatStore } from '../store/seat-store.js';
import type { BotNotices, Reply } from '../bot/chat-event.js';

/**
 * The Claim messages for the seats one committed job change (idempotency key `key`) offered to the waitlist in
 * the same ledger change; the job sends them with its other notices right after.
 */
export function offerNotices(
  deps: { store: SeatStore; notices: BotNotices },
  key: string,
  now: Iso,
): Reply[] {
  const view = deps.store.read();
  return offersMadeBy(view, key).flatMap((entry) => {
    const reply = deps.notices.waitlistOffer?.(view, entry, now);
    return reply ? [reply] : [];
  });
}
