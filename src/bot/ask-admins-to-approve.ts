import type { LicensePool, SeatAssignment } from '../domain/ledger.js';
import type { BotContext } from './bot-context.js';
import { askAdmins } from './ask-admins.js';
import { personText } from './card-views.js';
import { replyCard } from './reply-card.js';
import type { MissedNotice } from './send-notices.js';

/** The approval card for a pending seat, to every admin target (a request, or a waitlist claim on an approval pool). */
export function askAdminsToApprove(ctx: BotContext, seat: SeatAssignment, pool: LicensePool, days: number | null): Promise<MissedNotice[]> {
  const view = ctx.deps.store.read();
  const card = {
    now: ctx.now,
    timeZone: ctx.timeZone,
    assignmentId: seat.id,
    requester: personText(view, seat),
    pool,
    usage: view.usage(pool.id),
    seats: seat.seats,
    reason: seat.reason,
    days,
    requestedAt: seat.requestedAt,
  };
  return askAdmins(ctx, (to) => replyCard(to, 'approval-request', card));
}
