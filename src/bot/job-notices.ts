import type { Vendor } from '../domain/ledger.js';
import type { BotNotices } from './chat-event.js';
import type { BotAccess } from './bot-deps.js';
import { digestData, pendingData } from './card-views.js';
import { replyCard, replyText } from './reply-card.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { safeMd } from '../cards/safe-md.js';
import { formatDateTime } from '../cards/format-date.js';
import { DEFAULT_TIME_ZONE } from '../domain/calendar-days.js';
import { seatTermDays } from '../domain/seat-term-days.js';
import { idleSeatNotices } from './idle-seat-notices.js';
import { holderSeatCard } from './holder-seat-card.js';
import { waitlistOfferReply } from './waitlist-card.js';

/** The bot's words for the scheduled jobs (digest, seat expiry, reminders); main hands them to jobs/. */
export function createJobNotices(deps: { access: BotAccess; vendors: readonly Vendor[]; timeZone?: string }): BotNotices {
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  return {
    digest: (view, now, space) => replyCard({ roomId: space.roomId }, 'digest', digestData(view, { now, timeZone }, deps.vendors, space.title, space.since ?? null)),
    seatExpired: (view, seat, now) => holderSeatCard(view, seat, now, timeZone, { kind: 'expired' }),
    seatEndingSoon: (view, seat, now) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const ends = formatDateTime(seat.expiresAt, timeZone);
      const days = seatTermDays(seat);
      const { markdown } = replyText(holderTarget(seat), safeMd`Reminder: your **${product}** seat ends ${ends}. Press Extend to keep it ${days} more ${days === 1 ? 'day' : 'days'}.`);
      const card = holderSeatCard(view, seat, now, timeZone, { kind: 'ending', extend: { assignmentId: seat.id, days } });
      return { ...card, markdown };
    },
    ...idleSeatNotices(deps.access, timeZone),
    waitlistOffer: (view, entry, now) => waitlistOfferReply(view, entry, now, timeZone) ?? replyText({ personId: entry.person.id }, safeMd`A seat is held for you: say "waitlist" to see it.`),
    extensionExpired: (view, seat, ttlDays) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      return replyText(holderTarget(seat), safeMd`Your request to extend your **${product}** seat waited ${ttlDays} days without an answer, so it was closed; the seat still ends ${formatDateTime(seat.expiresAt, timeZone)}. Press Extend on a reminder to ask again.`);
    },
    requestExpired: (view, seat, ttlDays) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      return replyText(holderTarget(seat), safeMd`Your request for **${product}** waited ${ttlDays} days without an answer, so it was closed. Ask again if you still need it.`);
    },
    poolReminder: (_view, r) => {
      const product = r.pool.productName;
      const text =
        r.kind === 'low_seats'
          ? safeMd`**${product}** is running low: ${r.available} seats free (alert at ${r.minFree}).`
          : safeMd`**${product}** ${r.kind === 'expiry' ? 'expires' : 'renews'} ${formatDateTime(r.date, timeZone)} (in ${r.daysLeft} days).`;
      return adminTargets(deps.access).map((to) => replyText(to, text));
    },
    pendingReminder: (view, now) => adminTargets(deps.access).map((to) => replyCard(to, 'pending', pendingData(view, { now, timeZone }))),
    webhooksRepaired: (repairs, now) => {
      const what = (r: { resource: string }): string => (r.resource === 'attachmentActions' ? 'card clicks' : 'messages');
      const lines = repairs.map((r) =>
        r.action === 'reactivated'
          ? safeMd`- switched the webhook for ${what(r)} back on (Webex had switched it off after failed deliveries)\n`
          : safeMd`- recreated the missing webhook for ${what(r)}\n`,
      );
      const at = now.slice(0, 16).replace('T', ' ');
      const text = safeMd`**Webex webhooks repaired** at ${at} UTC: I\n${lines}Messages and card clicks sent to me while a webhook was off never reached me: anyone who got no answer should send or click again.`;
      return adminTargets(deps.access).map((to) => replyText(to, text));
    },
  };
}
