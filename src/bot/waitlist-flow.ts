import type { LedgerResult } from '../domain/ledger-command.js';
import { offersMadeBy } from '../domain/offer-freed-seats.js';
import { ownWaitlistEntry } from '../domain/waitlist-queue.js';
import type { Reply } from './chat-event.js';
import { ledger, type BotContext } from './bot-context.js';
import { answerError, answerFailure } from './answer-failure.js';
import { sendNotices, type MissedNotice } from './send-notices.js';
import { waitlistCard, waitlistOfferReply } from './waitlist-card.js';
import { missedNoticesText } from './missed-notices-text.js';
import { replyText } from './reply-card.js';
import { safeMd } from '../cards/safe-md.js';
import type { WaitlistCardKind } from '../cards/views/waitlist-view.js';

/**
 * The Claim messages for the seats a committed change offered to the waitlist (same ledger change), sent right
 * after the commit through the notices door. None for a replay: they went out, or were reported, the first time.
 */
export async function tellOffered(ctx: BotContext, result: LedgerResult): Promise<MissedNotice[]> {
  if (!result.ok || result.replayed) return [];
  const view = ctx.deps.store.read();
  const notices = offersMadeBy(view, ctx.eventId).flatMap((entry) => {
    const reply = waitlistOfferReply(view, entry, ctx.now, ctx.timeZone);
    return reply ? [{ reply, recipient: entry.person.name ?? entry.person.email ?? entry.person.id }] : [];
  });
  return sendNotices(ctx, notices);
}

/** The actor's answer plus, when a Claim message did not arrive, a line saying so. */
export function withOfferMisses(ctx: BotContext, replies: Reply[], misses: readonly MissedNotice[]): Reply[] {
  if (misses.length === 0) return replies;
  return [
    ...replies,
    replyText(
      ctx.here,
      safeMd`The freed seat is held for the next person in line. ${missedNoticesText(misses, safeMd`They can still say "claim" to take it.`)}`,
      ctx.parentId,
    ),
  ];
}

/** The pool's waitlist card for the actor, in the place they asked. */
export function waitlistReply(
  ctx: BotContext,
  poolId: string,
  kind: WaitlistCardKind,
  message: string,
): Reply[] {
  const pool = ctx.deps.store.read().pool(poolId);
  if (!pool) return answerError(ctx, 'Unknown license', 'That license no longer exists.');
  const viewer = { id: ctx.person.id, email: ctx.person.email, isAdmin: ctx.isAdmin };
  return [
    waitlistCard(ctx.deps.store.read(), pool, {
      to: ctx.here,
      viewer,
      kind,
      message,
      timeZone: ctx.timeZone,
      now: ctx.now,
      parentId: ctx.parentId,
    }),
  ];
}

/** Join (idempotent per click or message; a second join is told its place) or leave a pool's waitlist. */
export async function joinOrLeaveFlow(ctx: BotContext, poolId: string, join: boolean): Promise<Reply[]> {
  const result = await ledger(ctx, { op: join ? 'joinWaitlist' : 'leaveWaitlist', poolId });
  if (!result.ok) {
    // Already in line (a second click or message): the answer is the queue with their place, not an error.
    if (
      join &&
      result.code === 'LEDGER_ALREADY_HOLDS' &&
      ownWaitlistEntry(ctx.deps.store.read(), poolId, ctx.actor)
    )
      return waitlistReply(ctx, poolId, 'queue', result.message);
    return answerFailure(ctx, result);
  }
  const misses = await tellOffered(ctx, result);
  return withOfferMisses(ctx, waitlistReply(ctx, poolId, 'queue', result.message), misses);
}
