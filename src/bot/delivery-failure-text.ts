import type { DeliveryFailure } from './delivery.js';

const WORDS: Readonly<Record<DeliveryFailure, string>> = {
  not_found: 'Webex said the recipient was not found',
  forbidden: 'the bot is not allowed to message them',
  rate_limited: 'Webex kept rate-limiting',
  unavailable: 'Webex could not be reached',
  refused: 'Webex refused the message',
};

/** Why a message to someone else did not arrive, in words the actor can act on. */
export function deliveryFailureText(failure: DeliveryFailure, status: number | null): string {
  return failure === 'refused' && status !== null ? `${WORDS.refused} (HTTP ${status})` : WORDS[failure];
}
