import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyCard } from '../reply-card.js';
import { holdersData } from '../card-views.js';
import { resolvePool } from '../resolve-pool.js';

export const whoHas: Command = {
  name: 'who has',
  usage: 'who has <product>',
  help: 'Holders of a license, with Revoke.',
  adminOnly: true,
  match: byPhrase([
    '(?:who|whos|who is|who are|who else|which people|which users|what people|anyone|anybody|does anyone|does anybody|is anyone|is anybody) (?:has|have|holds?|holding|is using|are using|using|uses|use|got|has got|owns?|is on|are on|on|is assigned|assigned to|is assigned to|is in|in)(?!(?: (?:a|an|any))? (?:free|spare|available|open|unused) )(?: (?:a|an|the))?(?: (?:seats?|licenses?))?(?: (?:for|of|in|on|to))? {product}',
    '(?:(?:list|show|see|view|get)(?: me)? )?(?:the |all )?(?:holders|users|owners|people|members|assignees|seat holders)(?: (?:of|for|in|on|using|with))? {product}',
    '(?:list|show|see|view|get)(?: me)?(?: the| all)? {product} (?:holders|users|owners|members|assignees)',
    'who has|holders',
  ]),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return Promise.resolve([replyCard(ctx.here, 'holders', holdersData(ctx.deps.store.read(), found.pool, ctx), ctx.parentId)]);
  },
};
