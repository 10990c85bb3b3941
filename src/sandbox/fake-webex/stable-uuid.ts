import { createHash } from 'node:crypto';

/**
 * A UUID-shaped name-based id (version 5 layout, SHA-256): the same key gives the same id in every run, so the
 * sandbox's people, spaces and memberships keep their ids when the bot (and the fake API with it) restarts, as
 * they do in Webex. Messages, webhooks and card actions keep random ids.
 */
export function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  const variant = (8 | (parseInt(h.charAt(16), 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
