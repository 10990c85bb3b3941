import { provisionState } from '../domain/provision-state.js';
import type { SeatAssignment } from '../domain/ledger.js';
import type { DecisionCardData, DecisionKind } from '../cards/card-data.js';
import type { Reply, ReplyTarget } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerFailure } from './answer-failure.js';
import { replyCard, replyText } from './reply-card.js';
import { personText, poolRef } from './card-views.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { sendNotices, type MissedNotice } from './send-notices.js';
import { askAdminsToApprove } from './ask-admins-to-approve.js';
import { missedNoticesText } from './missed-notices-text.js';
import { safeMd } from '../cards/safe-md.js';
import { knownPerson } from '../domain/known-person.js';
import { tellOffered, waitlistReply, withOfferMisses } from './waitlist-flow.js';

/**
 * The seat flows shared by chat commands and card buttons: ledger change, notices to the other people
 * involved, and the actor's answer. Once the ledger has committed, the answer always says it is done; a notice
 * that did not arrive is added with its reason, never turned into an error (and never a "try again").
 */

/** The decision card about `seat`, with its Undo or Extend button when `buttons` names one. */
export function decisionReply(
  ctx: BotContext,
  to: ReplyTarget,
  kind: DecisionKind,
  seat: SeatAssignment,
  note: string | null,
  parentId: string | null,
  buttons: Pick<DecisionCardData, 'undo' | 'extend' | 'denyExtension'> = {},
): Reply {
  const view = ctx.deps.store.read();
  const decidedByBot = seat.decidedBy?.kind === 'system' && kind === 'approved';
  const vendor = provisionState(view, seat.id);
  return replyCard(
    to,
    'decision',
    {
      kind,
      pool: poolRef(view.pool(seat.poolId), seat.poolId),
      holder: personText(view, seat),
      actor: decidedByBot ? null : { name: ctx.person.displayName, email: ctx.person.email },
      at: ctx.now,
      timeZone: ctx.timeZone,
      seats: seat.seats,
      note,
      expiresAt: seat.expiresAt,
      ...(vendor === null ? {} : { vendorState: vendor.text }),
      ...buttons,
    },
    parentId,
  );
}

/** The holder, named as the actor knows them. */
function holderName(ctx: BotContext, seat: SeatAssignment): string {
  const p = personText(ctx.deps.store.read(), seat);
  return p.name?.trim() || p.email?.trim() || seat.assignee.id;
}

/** The holder's DM about a committed change (none for a replay: it was sent, or reported, the first time). */
export async function tellHolder(ctx: BotContext, replayed: boolean, kind: DecisionKind, seat: SeatAssignment, note: string | null): Promise<MissedNotice[]> {
  if (replayed) return [];
  return sendNotices(ctx, [{ reply: decisionReply(ctx, holderTarget(seat), kind, seat, note, null), recipient: holderName(ctx, seat) }]);
}

/** The actor's answer to a committed change: its card, then what did not reach the others, if anything. */
export function doneReplies(ctx: BotContext, card: Reply, done: string, misses: readonly MissedNotice[]): Reply[] {
  if (misses.length === 0) return [card];
  return [card, replyText(ctx.here, safeMd`${done} ${missedNoticesText(misses, safeMd`The change is recorded; please let them know another way.`)}`, ctx.parentId)];
}

export async function requestFlow(ctx: BotContext, poolId: string, days: number | null, reason: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'request', poolId, days, reason, timeZone: ctx.timeZone });
  // No seat (or a queue for it): the answer offers the waitlist.
  if (!result.ok && result.code === 'LEDGER_NO_FREE_SEAT') return waitlistReply(ctx, poolId, 'full', result.message);
  if (!result.ok) return answerFailure(ctx, result);
  const view = ctx.deps.store.read();
  const seat = view.assignment(result.assignmentId ?? '');
  const pool = view.pool(poolId);
  if (!seat || !pool) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  if (seat.status === 'active') return [decisionReply(ctx, ctx.here, 'approved', seat, 'Approved automatically: this license does not need an admin.', ctx.parentId)];
  let misses: MissedNotice[] = [];
  const targets = adminTargets(ctx.deps.access);
  if (!result.replayed) misses = await askAdminsToApprove(ctx, seat, pool, days ?? null);
  // The ledger's message names the product: it is vendor text, so it is escaped like any other value.
  if (targets.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked an admin (none is configured yet: set ADMIN_EMAILS); you will get a direct message with the decision.`, ctx.parentId)];
  if (misses.length === 0) return [replyText(ctx.here, safeMd`${result.message} I asked the license admins; you will get a direct message with the decision.`, ctx.parentId)];
  const still = misses.length < targets.length ? safeMd`The other admins have it.` : safeMd`The admins still find it in their list of pending requests.`;
  return [replyText(ctx.here, safeMd`${result.message} ${missedNoticesText(misses, safeMd`${still} You will get a direct message with the decision.`)}`, ctx.parentId)];
}

export async function decideFlow(ctx: BotContext, assignmentId: string, approve: boolean, note: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: approve ? 'approve' : 'deny', assignmentId, note });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const kind: DecisionKind = approve ? 'approved' : 'denied';
  const misses = await tellHolder(ctx, result.replayed, kind, seat, note);
  const offers = await tellOffered(ctx, result);
  return withOfferMisses(ctx, doneReplies(ctx, decisionReply(ctx, ctx.here, kind, seat, note, ctx.parentId), result.message, misses), offers);
}

export async function releaseFlow(ctx: BotContext, assignmentId: string): Promise<Reply[]> {
  const before = ctx.deps.store.read().assignment(assignmentId);
  const result = await ledger(ctx, { op: 'release', assignmentId });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const offers = await tellOffered(ctx, result);
  if (before?.status === 'pending') return withOfferMisses(ctx, [decisionReply(ctx, ctx.here, 'cancelled', seat, null, ctx.parentId)], offers);
  return withOfferMisses(ctx, [decisionReply(ctx, ctx.here, 'released', seat, null, ctx.parentId, { undo: { assignmentId } })], offers);
}

export async function revokeFlow(ctx: BotContext, assignmentId: string, note: string | null): Promise<Reply[]> {
  const result = await ledger(ctx, { op: 'revoke', assignmentId, note });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(assignmentId);
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  const misses = await tellHolder(ctx, result.replayed, 'revoked', seat, note);
  const offers = await tellOffered(ctx, result);
  return withOfferMisses(ctx, doneReplies(ctx, decisionReply(ctx, ctx.here, 'revoked', seat, note, ctx.parentId, { undo: { assignmentId } }), result.message, misses), offers);
}

export async function grantFlow(ctx: BotContext, poolId: string, email: string, days: number | null): Promise<Reply[]> {
  // The grantee's name, when the ledger knows them from another seat, so every card names them "Name (email)".
  const { name } = knownPerson(ctx.deps.store.read(), { id: email.trim().toLowerCase(), email, name: null });
  const assignee = name === null ? { email } : { email, name };
  const result = await ledger(ctx, { op: 'grant', poolId, assignee, days, allowedDomains: ctx.deps.access.allowedEmailDomains });
  if (!result.ok) return answerFailure(ctx, result);
  const seat = ctx.deps.store.read().assignment(result.assignmentId ?? '');
  if (!seat) return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
  // Only a granted seat is announced, to the address the ledger stored (lower-cased); a refusal tells nobody else.
  const misses = await tellHolder(ctx, result.replayed, 'granted', seat, null);
  return doneReplies(ctx, decisionReply(ctx, ctx.here, 'granted', seat, null, ctx.parentId), result.message, misses);
}
