import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyCard, replyText } from './reply-card.js';
import { personText } from './card-views.js';
import { adminTargets } from './notify-targets.js';
import { sendNotices } from './send-notices.js';
import { missedNoticesText } from './missed-notices-text.js';
import { decisionReply } from './seat-flows.js';
import { safeMd } from '../cards/safe-md.js';

/**
 * Claim of a seat the waitlist holds for the person: by the pool's policy it is theirs at once, or it becomes a
 * request and the admins get the usual approval card.
 */
export async function claimFlow(ctx: BotContext, poolId: string): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'claimOffer', poolId, timeZone: ctx.timeZone });
  if (!result.ok) return answerFailure(ctx, result);
  const view = ctx.deps.store.read();
  const seat = view.assignment(result.assignmentId ?? '');
  const pool = view.pool(poolId);
  if (!seat || !pool) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  if (seat.status === 'active') return [decisionReply(ctx, ctx.here, 'approved', seat, 'Approved automatically: this license does not need an admin.', ctx.parentId)];
  const targets = adminTargets(ctx.deps.access);
  if (result.replayed || targets.length === 0) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const card = {
    now: ctx.now,
    timeZone: ctx.timeZone,
    assignmentId: seat.id,
    requester: personText(view, seat),
    pool,
    usage: view.usage(pool.id),
    seats: seat.seats,
    reason: seat.reason,
    days: null,
    requestedAt: seat.requestedAt,
  };
  const misses = await sendNotices(
    ctx,
    targets.map((to) => ({ reply: replyCard(to, 'approval-request', card), recipient: 'roomId' in to ? "the license admins' space" : 'personEmail' in to ? to.personEmail : 'an admin' })),
  );
  if (misses.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked the license admins; you will get a direct message with the decision.`, ctx.parentId)];
  return [replyText(ctx.here, safeMd`${result.message} ${missedNoticesText(misses, safeMd`The admins still find it in their list of pending requests.`)}`, ctx.parentId)];
}
