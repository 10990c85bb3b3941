import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyCard } from '../reply-card.js';
import { summaryData } from '../card-views.js';

export const licenses: Command = {
  name: 'licenses',
  usage: 'licenses',
  help: 'All licenses with free seats.',
  adminOnly: false,
  match: byPhrase([
    '(?:all )?licenses|list|summary|overview|status|inventory|everything|all',
    '(?:show|list|see|view|get|give)(?: me)?(?: all| every)?(?: the| our| of the)? (?:licenses|seats|products|software|tools|inventory|everything)(?: we have| there are| available)?',
    '(?:what|which) (?:licenses|software|products|tools|seats)(?: do we have| are there| exist| are available| can i get| can i request| have we got)?',
    'how many (?:seats|licenses)(?: are| do we have| have we got| there are| are there)?(?: left| free| available| remaining| in total| total| open)?',
    '(?:are there |is there |do we have |have we got )?(?:any )?(?:free|available|open|spare|unused) (?:seats|licenses)(?: left| anywhere)?',
    '(?:what|whats|what is|what are|anything) (?:still )?(?:available|free|left)',
    'what can i (?:get|request|ask for)',
  ]),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'summary', summaryData(ctx.deps.store.read(), ctx), ctx.parentId)]),
};
