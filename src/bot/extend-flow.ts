import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyText } from './reply-card.js';
import { adminTargets } from './notify-targets.js';
import type { MissedNotice } from './send-notices.js';
import { askAdmins } from './ask-admins.js';
import { missedNoticesText } from './missed-notices-text.js';
import { decisionReply, doneReplies, tellHolder } from './seat-flows.js';
import { safeMd } from '../cards/safe-md.js';
import { isHolder } from '../domain/seat-rules.js';

/**
 * The Extend button: by the pool's approval policy the seat runs longer at once, or the admins get a card with
 * the same button (an admin pressing it extends). The holder hears of an extension an admin made.
 */
export async function extendFlow(ctx: BotContext, assignmentId: string, days: number): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'extend', assignmentId, days });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  if (result.status !== null) {
    const misses = isHolder(ctx.actor, seat) ? [] : await tellHolder(ctx, result.replayed, 'extended', seat, null);
    return doneReplies(ctx, decisionReply(ctx, ctx.here, 'extended', seat, null, ctx.parentId), result.message, misses);
  }
  const targets = adminTargets(ctx.deps.access);
  let misses: MissedNotice[] = [];
  if (!result.replayed) {
    misses = await askAdmins(ctx, (to) => decisionReply(ctx, to, 'extension_requested', seat, null, null, { extend: { assignmentId, days } }));
  }
  if (targets.length === 0) return [replyText(ctx.here, safeMd`${result.message} No admin is configured yet (set ADMIN_EMAILS), so nobody could be asked.`, ctx.parentId)];
  if (misses.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked the license admins; you will get a direct message when it is extended.`, ctx.parentId)];
  return [replyText(ctx.here, safeMd`${result.message} ${missedNoticesText(misses, safeMd`Please ask an admin another way.`)}`, ctx.parentId)];
}
