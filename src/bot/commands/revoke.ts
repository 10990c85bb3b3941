import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { stripMailto } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { revokeFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const revoke: Command = {
  name: 'revoke',
  usage: 'revoke <product> from <email>',
  help: "Take back someone's seat.",
  adminOnly: true,
  match: byPhrase([
    'take {product} (?:away|back) from {email}',
    '(?:revoke|remove|take back|take away|take|pull|unassign|reclaim|withdraw)(?: (?:the|a|an))?(?: (?:seat|license))?(?: (?:for|of|in|on))? {product} (?:from|of) {email}',
    '(?:revoke|remove|unassign|kick|drop) {email} (?:from|off|out of) {product}',
    'take {email} off {product}',
  ]),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const email = stripMailto(args['email'] ?? '').toLowerCase();
    const seat = ctx.deps.store.read().openSeat(found.pool.id, { kind: 'user', id: email, email });
    if (!seat || seat.status !== 'active') return Promise.resolve(answerError(ctx, 'Unknown seat', `${email} holds no ${found.pool.productName} seat.`));
    return revokeFlow(ctx, seat.id, null);
  },
};
