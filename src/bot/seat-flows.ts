import type { SeatAssignment } from '../domain/ledger.js';
import type { DecisionKind } from '../cards/card-data.js';
import type { Reply, ReplyTarget } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyCard, replyText } from './reply-card.js';
import { personText, poolRef } from './card-views.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { safeMd } from '../cards/safe-md.js';

/** The seat flows shared by chat commands and card buttons: ledger change, answer, and notifications. */

function decisionReply(ctx: BotContext, to: ReplyTarget, kind: DecisionKind, seat: SeatAssignment, note: string | null, parentId: string | null): Reply {
  const view = ctx.deps.store.read();
  const decidedByBot = seat.decidedBy?.kind === 'system' && kind === 'approved';
  return replyCard(
    to,
    'decision',
    {
      kind,
      pool: poolRef(view.pool(seat.poolId), seat.poolId),
      holder: personText(seat),
      actor: decidedByBot ? null : { name: ctx.person.displayName, email: ctx.person.email },
      at: ctx.now,
      seats: seat.seats,
      note,
      expiresAt: seat.expiresAt,
    },
    parentId,
  );
}

export async function requestFlow(ctx: BotContext, poolId: string, days: number | null, reason: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'request', poolId, days, reason });
  if (!result.ok) return answerFailure(ctx, result);
  const view = ctx.deps.store.read();
  const seat = view.assignment(result.assignmentId ?? '');
  const pool = view.pool(poolId);
  if (!seat || !pool) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  if (seat.status === 'active') return [decisionReply(ctx, ctx.here, 'approved', seat, 'Approved automatically: this license does not need an admin.', ctx.parentId)];
  if (!result.replayed) {
    const card = {
      now: ctx.now,
      assignmentId: seat.id,
      requester: personText(seat),
      pool,
      usage: view.usage(pool.id),
      seats: seat.seats,
      reason: seat.reason,
      days: days ?? null,
      expiresAt: seat.expiresAt,
      requestedAt: seat.requestedAt,
    };
    const targets = adminTargets(ctx.deps.access);
    if (targets.length > 0) await ctx.deps.outbox.send(targets.map((to) => replyCard(to, 'approval-request', card)));
  }
  const where = ctx.deps.access.adminSpaceId || ctx.deps.access.adminEmails.length > 0 ? safeMd`the license admins` : safeMd`an admin (none is configured yet: set ADMIN_EMAILS)`;
  // The ledger's message names the product: it is vendor text, so it is escaped like any other value.
  return [replyText(ctx.here, safeMd`${result.message} I asked ${where}; you will get a direct message with the decision.`, ctx.parentId)];
}

export async function decideFlow(ctx: BotContext, assignmentId: string, approve: boolean, note: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: approve ? 'approve' : 'deny', assignmentId, note });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const kind: DecisionKind = approve ? 'approved' : 'denied';
  const replies = [decisionReply(ctx, ctx.here, kind, seat, note, ctx.parentId)];
  if (!result.replayed) await ctx.deps.outbox.send([decisionReply(ctx, holderTarget(seat), kind, seat, note, null)]);
  return replies;
}

export async function releaseFlow(ctx: BotContext, assignmentId: string): Promise<Reply[]> {
  const before = ctx.deps.store.read().assignment(assignmentId);
  const result = await ledger(ctx, { op: 'release', assignmentId });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  return [decisionReply(ctx, ctx.here, before?.status === 'pending' ? 'cancelled' : 'released', seat, null, ctx.parentId)];
}

export async function revokeFlow(ctx: BotContext, assignmentId: string, note: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'revoke', assignmentId, note });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  if (!result.replayed) await ctx.deps.outbox.send([decisionReply(ctx, holderTarget(seat), 'revoked', seat, note, null)]);
  return [decisionReply(ctx, ctx.here, 'revoked', seat, note, ctx.parentId)];
}

export async function grantFlow(ctx: BotContext, poolId: string, email: string, days: number | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'grant', poolId, assignee: { email }, days, allowedDomains: ctx.deps.access.allowedEmailDomains });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(result.assignmentId ?? '');
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  // Only a granted seat is announced, to the address the ledger stored (lower-cased); a refusal tells nobody else.
  if (!result.replayed) await ctx.deps.outbox.send([decisionReply(ctx, holderTarget(seat), 'granted', seat, null, null)]);
  return [decisionReply(ctx, ctx.here, 'granted', seat, null, ctx.parentId)];
}
