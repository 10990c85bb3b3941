import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { poolData } from '../card-views.js';
import { resolvePool } from '../resolve-pool.js';

/** "seats Zoho CRM", "how many Webex Meetings seats are left?", or just a product name. */
export const poolSeats: Command = {
  name: 'seats',
  usage: 'seats <product>  (or just the product name)',
  help: 'Seats of one license, with a Request button.',
  adminOnly: false,
  match: byPattern(
    /^how many (?<product>.+?) (seats|licen[cs]es)(?: (are|do we have|is))?(?: (left|free|available|remaining))?$/i,
    /^(are there|is there|any) (free |available )?(?<product>.+?) (seats?|licen[cs]es?)( left| free| available)?$/i,
    /^(seats?|show|details?|info|status)( (for|of|in))? (?<product>.+)$/i,
  ),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const view = ctx.deps.store.read();
    return Promise.resolve([replyCard(ctx.here, 'pool', poolData(view, found.pool, ctx.person, ctx.now), ctx.parentId)]);
  },
};
