import { CARD_ACTION_WORDS, type CardAction, type CardActionName, type CardActionOf } from '../cards/card-actions.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { ledger } from './bot-context.js';
import { replyCard } from './reply-card.js';
import { answerError, answerFailure } from './answer-failure.js';
import { expiringData, holdersData, mySeatsData, pendingData, poolData, summaryData, viewerOf } from './card-views.js';
import { DEFAULT_EXPIRING_DAYS } from '../cards/pool-markers.js';
import { releaseFlow, requestFlow, revokeFlow } from './seat-flows.js';
import { decideOrExtendFlow, extendFlow } from './extend-flow.js';
import { restoreFlow } from './restore-flow.js';
import { keepFlow } from './keep-flow.js';
import { claimFlow } from './claim-flow.js';
import { joinOrLeaveFlow } from './waitlist-flow.js';
import { myHistoryReply } from './commands/my-history.js';
import { poolHistoryReply } from './commands/pool-history.js';
import { writeBackFlow } from './write-back-flow.js';

type Route<K extends CardActionName> = { adminOnly: boolean; run(ctx: BotContext, a: CardActionOf<K>): Promise<Reply[]> };

const view = (ctx: BotContext) => ctx.deps.store.read();
const one = (r: Reply): Promise<Reply[]> => Promise.resolve([r]);

/**
 * Action.Submit `action` -> handler. The actor is always the person Webex reported for the attachment
 * action; ids in the inputs only name things, and every change re-checks the current state.
 */
export const CARD_ROUTES: { [K in CardActionName]: Route<K> } = {
  'pool.show': {
    adminOnly: false,
    run: (ctx, a) => {
      const pool = view(ctx).pool(a.poolId);
      return pool ? one(replyCard(ctx.here, 'pool', poolData(view(ctx), pool, ctx.person, ctx), ctx.parentId)) : Promise.resolve(answerError(ctx, 'Unknown license', 'That license no longer exists.'));
    },
  },
  'summary.page': { adminOnly: false, run: (ctx, a) => one(replyCard(ctx.here, 'summary', summaryData(view(ctx), ctx, a.page), ctx.parentId)) },
  'seat.request': { adminOnly: false, run: (ctx, a) => requestFlow(ctx, a.poolId, a.days ?? null, a.reason ?? null) },
  'seat.release': { adminOnly: false, run: (ctx, a) => releaseFlow(ctx, a.assignmentId) },
  'seat.cancel': { adminOnly: false, run: (ctx, a) => releaseFlow(ctx, a.assignmentId) },
  'seat.revoke': { adminOnly: true, run: (ctx, a) => revokeFlow(ctx, a.assignmentId, a.note ?? null) },
  // A seat request, or a holder's pending extension (the flow tells them apart by the seat's state).
  'seat.approve': { adminOnly: true, run: (ctx, a) => decideOrExtendFlow(ctx, a.assignmentId, true, a.note ?? null) },
  'seat.deny': { adminOnly: true, run: (ctx, a) => decideOrExtendFlow(ctx, a.assignmentId, false, a.note ?? null) },
  'seat.restore': { adminOnly: false, run: (ctx, a) => restoreFlow(ctx, a.assignmentId) },
  'seat.extend': { adminOnly: false, run: (ctx, a) => extendFlow(ctx, a.assignmentId, a.days) },
  'seat.keep': { adminOnly: false, run: (ctx, a) => keepFlow(ctx, a.assignmentId) },
  'waitlist.join': { adminOnly: false, run: (ctx, a) => joinOrLeaveFlow(ctx, a.poolId, true) },
  'waitlist.leave': { adminOnly: false, run: (ctx, a) => joinOrLeaveFlow(ctx, a.poolId, false) },
  'waitlist.claim': { adminOnly: false, run: (ctx, a) => claimFlow(ctx, a.poolId) },
  'history.more': {
    adminOnly: false,
    run: async (ctx, a) => {
      if (a.poolId === undefined) return myHistoryReply(ctx, 1, a.before);
      // A license's trail is for admins, as the chat command is.
      if (!ctx.isAdmin) {
        const result = await ledger(ctx, { op: 'noteRefusal', attempted: 'see a license history' });
        if (!result.ok) return answerFailure(ctx, result);
      }
      const pool = view(ctx).pool(a.poolId);
      return pool ? poolHistoryReply(ctx, pool, 1, a.before) : answerError(ctx, 'Unknown license', 'That license no longer exists.');
    },
  },
  'holders.page': {
    adminOnly: true,
    run: (ctx, a) => {
      const pool = view(ctx).pool(a.poolId);
      return pool ? one(replyCard(ctx.here, 'holders', holdersData(view(ctx), pool, ctx, a.page), ctx.parentId)) : Promise.resolve(answerError(ctx, 'Unknown license', 'That license no longer exists.'));
    },
  },
  'my-seats.page': { adminOnly: false, run: (ctx, a) => one(replyCard(ctx.here, 'my-seats', mySeatsData(view(ctx), ctx.person, ctx, a.page), ctx.parentId)) },
  'pending.page': { adminOnly: true, run: (ctx, a) => one(replyCard(ctx.here, 'pending', pendingData(view(ctx), ctx, a.page, ctx.person), ctx.parentId)) },
  'expiring.page': { adminOnly: false, run: (ctx, a) => one(replyCard(ctx.here, 'expiring', expiringData(view(ctx), ctx, a.days ?? DEFAULT_EXPIRING_DAYS, viewerOf(ctx), a.page), ctx.parentId)) },
  // Write-back: Retry or Cancel a vendor change the vendor refused (on the admins' card).
  'provision.retry': { adminOnly: true, run: (ctx, a) => writeBackFlow(ctx, a.intentId, true) },
  'provision.cancel': { adminOnly: true, run: (ctx, a) => writeBackFlow(ctx, a.intentId, false) },
};

export async function routeCardAction(ctx: BotContext, action: CardAction): Promise<Reply[]> {
  // parseCardAction admits only known names; an own-property check keeps "__proto__" out even so.
  if (!Object.hasOwn(CARD_ROUTES, action.action)) return answerError(ctx, 'Cannot do that', 'I could not read what this card sent; ask again for a fresh card.');
  const route = CARD_ROUTES[action.action] as Route<CardActionName>;
  if (route.adminOnly && !ctx.isAdmin) {
    const result = await ledger(ctx, { op: 'noteRefusal', attempted: CARD_ACTION_WORDS[action.action].work });
    if (!result.ok) return answerFailure(ctx, result);
  }
  return route.run(ctx, action);
}
