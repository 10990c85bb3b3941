import type { Clock } from '../clock.js';
import type { SeatStore } from '../store/seat-store.js';
import type { BotNotices, Outbox } from '../bot/chat-event.js';

/** Posts the digest card to every space that turned it on ("digest on"), and nowhere else. */
export async function runDailyDigest(deps: { store: SeatStore; clock: Clock; outbox: Outbox; notices: BotNotices }): Promise<{ spaces: number }> {
  const view = deps.store.read();
  const now = deps.clock.now().toISOString();
  const spaces = Object.values(view.data.spaces).filter((s) => s.digest);
  if (spaces.length === 0) return { spaces: 0 };
  await deps.outbox.send(spaces.map((s) => deps.notices.digest(view, now, { roomId: s.roomId, title: s.title })));
  return { spaces: spaces.length };
}
