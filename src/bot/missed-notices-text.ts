import { safeMd, type Markdown } from '../cards/safe-md.js';
import type { MissedNotice } from './send-notices.js';

/**
 * "I could not notify Cy User: Webex said the recipient was not found. <then>", or with several misses a list
 * of them, one a line, and `then` as its own paragraph.
 */
export function missedNoticesText(misses: readonly MissedNotice[], then: Markdown): Markdown {
  const [only] = misses;
  if (misses.length === 1 && only)
    return safeMd`I could not notify ${only.recipient}: ${only.reason}. ${then}`;
  return safeMd`I could not notify:${misses.map((m) => safeMd`\n- ${m.recipient}: ${m.reason}`)}\n\n${then}`;
}
