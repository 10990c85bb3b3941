/**
 * How a message to someone other than the actor went (a DM to a requester, an approval card for the admins):
 * the transport reports it, the bot puts it in words. Reasons are what the actor can act on, not HTTP codes.
 */
import type { Outbox, Reply } from './chat-event.js';

/**
 * not_found: Webex said the person or space does not exist (404); forbidden: the bot may not post there (403);
 * rate_limited: Webex still said "slow down" after every retry; unavailable: Webex could not be reached or kept
 * failing (network, 5xx); refused: any other refusal (e.g. 400).
 */
export type DeliveryFailure = 'not_found' | 'forbidden' | 'rate_limited' | 'unavailable' | 'refused';

export type Delivery =
  | { ok: true; messageId: string }
  | { ok: false; failure: DeliveryFailure; status: number | null; trackingId: string | null };

/** The outbox the bot is given: `send` for fire-and-forget, `deliver` when the answer depends on the outcome. */
export interface NoticeOutbox extends Outbox {
  /** Sends each reply like `send` (same queue, order and retries) and reports each outcome, in order. Never rejects. */
  deliver(replies: readonly Reply[]): Promise<Delivery[]>;
}
