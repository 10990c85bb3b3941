import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { normalizeCommandText } from '../normalize-command-text.js';
import { replyCard } from '../reply-card.js';
import { poolData } from '../card-views.js';
import { resolvePool } from '../resolve-pool.js';

const phrasings = byPhrase([
  'how many (?:seats|licenses) (?:does|do|for|in|of|on|are there for|are left for|are left in|are free in|are free for|are available for|left for|left in|free in|free for|available for|available in) {product}(?: (?:have|has|got))?(?: (?:left|free|available))?',
  'how many {product}(?: (?:are|do we have|have we got|is|are there|there are|does it have|do we still have))?(?: (?:left|free|available|remaining|open|unused|in total|total|still available|still free|left over|going))?',
  '(?:are there|is there|do we have|have we got|got|are any|is any|do we still have|we have|do you have|does anyone have|any chance of)(?: (?:any|some|more|still|a|an))?(?: (?:free|available|open|spare|unused))? {product}(?: (?:left|free|available|remaining|open|to spare|going|anywhere|right now|now|at the moment))?',
  '(?:any|some|more)(?: (?:free|available|open|spare|unused))? {product}(?: (?:left|free|available|remaining|open|to spare|going))?',
  'is {product} (?:available|free|full|taken|open|still available|available now)',
  '(?:seats?|show|details?|info|information|status|availability|stats|usage|about|what about|how about|look up|lookup|check|find|search|search for|show me)(?: (?:for|of|in|on|about))? {product}',
  '{product} (?:availability|status|usage|info|details|stats)',
  'seats?|details?|info|availability',
  '(?:(?:the|our) )?(?<product>.+?) (?:seats|licenses|license seats)(?: (?:left|free|available|remaining|open))?',
]);

/** Anything no command took is read as a product name, as written; resolvePool decides if it is one. */
function asProductName(text: string): Record<string, string> {
  const normalized = normalizeCommandText(text);
  return { product: normalized.original(0, normalized.text.length), bare: 'yes' };
}

/** "seats Zoho CRM", "how many Webex Meetings seats are left?", or just a product name. */
export const poolSeats: Command = {
  name: 'seats',
  usage: 'seats <product>  (or just the product name)',
  help: 'Seats of one license, with a Request button.',
  adminOnly: false,
  match: (text) => phrasings(text) ?? asProductName(text),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product'], { bare: args['bare'] === 'yes' });
    if ('replies' in found) return Promise.resolve(found.replies);
    const view = ctx.deps.store.read();
    return Promise.resolve([replyCard(ctx.here, 'pool', poolData(view, found.pool, ctx.person, ctx), ctx.parentId)]);
  },
};
