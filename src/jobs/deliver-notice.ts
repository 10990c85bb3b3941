import type { JobOutbox, NoticeDelivery, Outbox, Reply } from '../bot/chat-event.js';

/**
 * Sends one scheduled notice and says how it went: through `deliver` when the outbox reports outcomes (the send
 * queue does), else through `send`, where a rejection is an unspecified failure.
 */
export async function deliverNotice(outbox: Outbox | JobOutbox, reply: Reply): Promise<NoticeDelivery> {
  if ('deliver' in outbox) {
    const [outcome] = await outbox.deliver([reply]);
    return outcome ?? { ok: false, failure: 'unavailable' };
  }
  try {
    await outbox.send([reply]);
    return { ok: true };
  } catch {
    // The outbox logged the failure with its cause; all the digest needs is "not sent".
    return { ok: false, failure: 'unavailable' };
  }
}
