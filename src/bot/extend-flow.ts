import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyText } from './reply-card.js';
import { adminTargets } from './notify-targets.js';
import type { MissedNotice } from './send-notices.js';
import { askAdmins } from './ask-admins.js';
import { missedNoticesText } from './missed-notices-text.js';
import { decideFlow, decisionReply, doneReplies, tellHolder } from './seat-flows.js';
import { safeMd } from '../cards/safe-md.js';
import { isHolder } from '../domain/seat-rules.js';

/**
 * The Extend button: by the pool's approval policy the seat runs longer at once, or the ask is stored as the
 * seat's pending extension and the admins get a card with the same button (an admin pressing it extends) and
 * Deny; it is also in their `pending` list. The holder hears of an extension or a denial an admin made.
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
    misses = await askAdmins(ctx, (to) => decisionReply(ctx, to, 'extension_requested', seat, null, null, { extend: { assignmentId, days }, denyExtension: { assignmentId } }));
  }
  if (targets.length === 0) return [replyText(ctx.here, safeMd`${result.message} No admin is configured yet (set ADMIN_EMAILS), so nobody could be asked.`, ctx.parentId)];
  if (misses.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked the license admins; you will get a direct message when it is extended.`, ctx.parentId)];
  return [replyText(ctx.here, safeMd`${result.message} ${missedNoticesText(misses, safeMd`Please ask an admin another way.`)}`, ctx.parentId)];
}

/**
 * Approve / Deny from the pending list or the admins' card: a pending extension of an active seat is extended by
 * the days asked or denied (the seat keeps its end; the holder is told); anything else is a seat request.
 */
export async function decideOrExtendFlow(ctx: BotContext, assignmentId: string, approve: boolean, note: string | null): Promise<Reply[]> {
  const seat = ctx.deps.store.read().assignment(assignmentId);
  const asked = seat?.status === 'active' ? (seat.extensionRequest ?? null) : null;
  if (asked === null) return decideFlow(ctx, assignmentId, approve, note);
  if (approve) return extendFlow(ctx, assignmentId, asked.days);
  const result = await ledger(ctx, { op: 'denyExtension', assignmentId, note });
  if (!result.ok) return answerFailure(ctx, result);
  const after = ctx.deps.store.read().assignment(assignmentId) ?? seat!;
  const misses = await tellHolder(ctx, result.replayed, 'extension_denied', after, note);
  return doneReplies(ctx, decisionReply(ctx, ctx.here, 'extension_denied', after, note, ctx.parentId), result.message, misses);
}
