import type { BotNotices } from './chat-event.js';
import type { BotAccess } from './bot-deps.js';
import { personText } from './card-views.js';
import { replyText } from './reply-card.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { safeMd } from '../cards/safe-md.js';
import { formatDate } from '../cards/format-date.js';
import { RECLAIM_ANSWER_DAYS } from '../domain/reclaim-rules.js';
import { holderSeatCard } from './holder-seat-card.js';

/** The reclaim job's words (idle seats): the holder's Keep / Release question, the release and the admins' report. */
export function idleSeatNotices(access: BotAccess, timeZone: string): Pick<BotNotices, 'idleSeatQuestion' | 'idleSeatReleased' | 'idleSeatReport'> {
  return {
    idleSeatQuestion: (view, seat, now, idleDays) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const { markdown } = replyText(
        holderTarget(seat),
        safeMd`Your **${product}** seat has not been used for over ${idleDays} days (last used ${formatDate(seat.lastUsedAt, timeZone)}). Do you still need it? Press Keep or Release.`,
      );
      const card = holderSeatCard(view, seat, now, timeZone, { kind: 'idle', reclaim: { assignmentId: seat.id, release: seat.origin === 'ledger' } });
      return { ...card, markdown };
    },
    idleSeatReleased: (view, seat, _now, idleDays) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const who = personText(view, seat);
      const holder = replyText(holderTarget(seat), safeMd`Your **${product}** seat was released: unused for over ${idleDays} days and no answer within ${RECLAIM_ANSWER_DAYS} days. Ask again any time you need it.`);
      const admins = adminTargets(access).map((to) => replyText(to, safeMd`Released an idle **${product}** seat of ${who.email ?? who.name ?? seat.assignee.id}: unused for over ${idleDays} days, no answer within ${RECLAIM_ANSWER_DAYS} days.`));
      return [holder, ...admins];
    },
    idleSeatReport: (view, seat, _now, idleDays) => {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const who = personText(view, seat);
      const text = safeMd`Idle **${product}** seat of ${who.email ?? who.name ?? seat.assignee.id}: unused for over ${idleDays} days. It is held at the vendor (not granted through me), so I cannot release it and did not ask its holder; remove it there if it is no longer needed.`;
      return adminTargets(access).map((to) => replyText(to, text));
    },
  };
}
