import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyText } from './reply-card.js';
import { safeMd } from '../cards/safe-md.js';

/** The Keep button on the reclaim question: the holder keeps an idle seat (recorded in the ledger). */
export async function keepFlow(ctx: BotContext, assignmentId: string): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'keep', assignmentId });
  if (!result.ok) return answerFailure(ctx, result);
  return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
}
