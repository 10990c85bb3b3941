import type { Reply } from '../bot/chat-event.js';

/**
 * The answer to a card click whose action could not be read from Webex: in the card's space, in its thread
 * (the send queue posts unthreaded if Webex refuses the parent). Nothing was changed, so clicking again is safe.
 */
export function unreadClickReply(roomId: string, cardMessageId: string | null): Reply {
  const markdown =
    'Sorry, I could not read your click on this card: Webex did not answer when I asked for it. ' +
    'Nothing was changed. Please click the button again.';
  return cardMessageId === null
    ? { to: { roomId }, markdown }
    : { to: { roomId }, markdown, parentId: cardMessageId };
}
