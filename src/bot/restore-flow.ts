import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyText } from './reply-card.js';
import { decisionReply, doneReplies, tellHolder } from './seat-flows.js';
import { safeMd } from '../cards/safe-md.js';
import { isHolder } from '../domain/seat-rules.js';

/** The Undo button of a release or revoke: the seat comes back if it is still free; the holder hears of an undone revoke. */
export async function restoreFlow(ctx: BotContext, assignmentId: string): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'restore', assignmentId });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const misses = isHolder(ctx.actor, seat) ? [] : await tellHolder(ctx, result.replayed, 'restored', seat, null);
  return doneReplies(ctx, decisionReply(ctx, ctx.here, 'restored', seat, null, ctx.parentId), result.message, misses);
}
