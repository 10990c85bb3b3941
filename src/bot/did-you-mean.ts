import type { PoolRef } from '../cards/card-data.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { replyCard } from './reply-card.js';

/**
 * The answer when a name does not settle on one license. "Did you mean" only when there is something to
 * choose: several candidates are "fits more than one license" with the list, a single one is asked about by
 * name, none points to the list of licenses. The error card shows the candidates' full names.
 */
export function didYouMean(ctx: BotContext, name: string, kind: 'ambiguous' | 'none', suggestions: readonly PoolRef[]): Reply[] {
  const several = suggestions.length > 1;
  const title = several && kind === 'ambiguous' ? 'Which one?' : 'Unknown license';
  const message =
    several && kind === 'ambiguous'
      ? `"${name}" fits more than one license. Which one do you mean?`
      : suggestions.length === 0
        ? `I know no license called "${name}". Say "licenses" to see them all.`
        : `I know no license called exactly "${name}".`;
  return [replyCard(ctx.here, 'error', { title, message, suggestions: [...suggestions] }, ctx.parentId)];
}
