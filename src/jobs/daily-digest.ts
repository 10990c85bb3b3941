import type { Clock } from '../clock.js';
import type { Vendor } from '../domain/ledger.js';
import type { SeatStore } from '../store/seat-store.js';
import type { Outbox } from '../bot/chat-event.js';
import { digestData } from '../bot/card-views.js';
import { replyCard } from '../bot/reply-card.js';

/** Posts the digest card to every space that turned it on ("digest on"), and nowhere else. */
export async function runDailyDigest(deps: { store: SeatStore; clock: Clock; outbox: Outbox; vendors: readonly Vendor[] }): Promise<{ spaces: number }> {
  const view = deps.store.read();
  const now = deps.clock.now().toISOString();
  const spaces = Object.values(view.data.spaces).filter((s) => s.digest);
  if (spaces.length === 0) return { spaces: 0 };
  const replies = spaces.map((s) => replyCard({ roomId: s.roomId }, 'digest', digestData(view, now, deps.vendors, s.title)));
  await deps.outbox.send(replies);
  return { spaces: spaces.length };
}
