import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import type { Delivery } from './delivery.js';
import { deliveryFailureText } from './delivery-failure-text.js';

/** A message to someone other than the actor, sent because of a committed change. */
export interface Notice {
  reply: Reply;
  /** Who it is for, as the actor reads it: "Cy User", "the license admins' space". */
  recipient: string;
}

/** A notice that did not arrive, and why, in words. */
export interface MissedNotice {
  recipient: string;
  reason: string;
}

const UNKNOWN: Delivery = { ok: false, failure: 'unavailable', status: null, trackingId: null };

/**
 * Sends the notices of a committed change and reports the ones that did not arrive. Never throws: the change
 * is done whatever happens here, and the actor is told so (see missedNoticesText).
 */
export async function sendNotices(ctx: BotContext, notices: readonly Notice[]): Promise<MissedNotice[]> {
  if (notices.length === 0) return [];
  let deliveries: readonly Delivery[];
  try {
    deliveries = await ctx.deps.outbox.deliver(notices.map((n) => n.reply));
  } catch (err) {
    ctx.deps.logger.error({ err, eventId: ctx.eventId }, 'notices not sent');
    deliveries = [];
  }
  return notices.flatMap((notice, i) => {
    const d = deliveries[i] ?? UNKNOWN;
    if (d.ok) return [];
    ctx.deps.logger.warn(
      { eventId: ctx.eventId, failure: d.failure, status: d.status, trackingId: d.trackingId },
      'notice not delivered after a committed change',
    );
    return [{ recipient: notice.recipient, reason: deliveryFailureText(d.failure, d.status) }];
  });
}
