import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyText } from './reply-card.js';
import { askAdminsToApprove } from './ask-admins-to-approve.js';
import { adminTargets } from './notify-targets.js';
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
  const misses = await askAdminsToApprove(ctx, seat, pool, null);
  if (misses.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked the license admins; you will get a direct message with the decision.`, ctx.parentId)];
  return [replyText(ctx.here, safeMd`${result.message} ${missedNoticesText(misses, safeMd`The admins still find it in their list of pending requests.`)}`, ctx.parentId)];
}
