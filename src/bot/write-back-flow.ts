import { safeMd } from '../cards/safe-md.js';
import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { replyText } from './reply-card.js';
import { answerFailure } from './answer-failure.js';

/** Retry or Cancel on a refused vendor change (admins): through the ledger, answered in the card's thread. */
export async function writeBackFlow(ctx: BotContext, intentId: string, retry: boolean): Promise<Reply[]> {
  const result = await ledger(ctx, { op: retry ? 'retryProvision' : 'cancelProvision', intentId });
  return result.ok ? [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)] : answerFailure(ctx, result);
}
