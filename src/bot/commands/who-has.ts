import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { holdersData } from '../card-views.js';
import { resolvePool } from '../resolve-pool.js';

export const whoHas: Command = {
  name: 'who has',
  usage: 'who has <product>',
  help: 'Holders of a license, with Revoke.',
  adminOnly: true,
  match: byPattern(/^(who|which people|which users) (has|have|holds?|uses?|is using)( an?)?( seat| licen[cs]e)?( (for|of|in))? (?<product>.+)$/i, /^holders( (of|for))? (?<product>.+)$/i),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return Promise.resolve([replyCard(ctx.here, 'holders', holdersData(ctx.deps.store.read(), found.pool, ctx.now), ctx.parentId)]);
  },
};
