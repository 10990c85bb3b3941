import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyCard } from '../reply-card.js';
import { pendingData } from '../card-views.js';

export const pending: Command = {
  name: 'pending',
  usage: 'pending',
  help: 'Requests waiting for approval, with Approve/Deny.',
  adminOnly: true,
  match: byPhrase([
    '(?:(?:show|list|see|view|check)(?: me)? )?(?:the |all |my )?(?:pending|open|waiting|outstanding|unanswered|new)(?: (?:seat |license )?(?:requests?|approvals?|items|ones))?(?: for me)?',
    '(?:(?:show|list|see|view|check)(?: me)? )?(?:the |all |my )?(?:approvals?|requests|approval queue|queue|inbox|review queue)',
    '(?:whats|what is|what|anything|is there anything|are there any|any|something) (?:pending|waiting|open|outstanding|to approve|to review|needing approval|that needs approval|needs approval|need approval|awaiting approval|for me to approve|requests(?: waiting| pending)?)(?: for (?:me|approval|review))?',
    '(?:what|who|which requests?|anyone) (?:needs?|is waiting for|are waiting for|waiting for|awaits?|await) (?:my |an? )?(?:approval|review|decision|ok)',
    '(?:who is|whos|anyone) waiting(?: for (?:approval|a seat|seats|me))?',
    '(?:approve|review|decide|handle)(?: (?:the |some |all |pending |open )?(?:requests?|pending|approvals?|something|stuff|them|seats))?',
  ]),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'pending', pendingData(ctx.deps.store.read(), ctx, 0, ctx.person), ctx.parentId)]),
};
