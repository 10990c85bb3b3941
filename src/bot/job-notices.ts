import type { Vendor } from '../domain/ledger.js';
import type { BotNotices } from './chat-event.js';
import type { BotAccess } from './bot-deps.js';
import { digestData, pendingData, personText, poolRef } from './card-views.js';
import { replyCard, replyText } from './reply-card.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { safeMd } from '../cards/safe-md.js';

/** The bot's words for the scheduled jobs (digest, seat expiry, reminders); main hands them to jobs/. */
export function createJobNotices(deps: { access: BotAccess; vendors: readonly Vendor[] }): BotNotices {
  return {
    digest: (view, now, space) => replyCard({ roomId: space.roomId }, 'digest', digestData(view, now, deps.vendors, space.title)),
    seatExpired: (view, seat, now) =>
      replyCard(holderTarget(seat), 'decision', {
        kind: 'expired',
        pool: poolRef(view.pool(seat.poolId), seat.poolId),
        holder: personText(seat),
        actor: null,
        at: now,
        seats: seat.seats,
        note: null,
        expiresAt: seat.expiresAt,
      }),
    seatEndingSoon: (view, seat) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const ends = (seat.expiresAt ?? '').slice(0, 16).replace('T', ' ');
      return replyText(holderTarget(seat), safeMd`Reminder: your **${product}** seat ends ${ends} UTC. Ask for it again if you still need it.`);
    },
    pendingReminder: (view, now) => adminTargets(deps.access).map((to) => replyCard(to, 'pending', pendingData(view, now))),
  };
}
