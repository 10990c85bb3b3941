import type { Command } from '../command.js';
import { byPattern, stripMailto } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { revokeFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const revoke: Command = {
  name: 'revoke',
  usage: 'revoke <product> from <email>',
  help: "Take back someone's seat.",
  adminOnly: true,
  match: byPattern(/^(revoke|remove|take back|take)( the)?( seat| licen[cs]e)?( (for|of|in))? (?<product>.+?) from (?<email>\S+)$/i),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const email = stripMailto(args['email'] ?? '').toLowerCase();
    const seat = ctx.deps.store.read().openSeat(found.pool.id, { kind: 'user', id: email, email });
    if (!seat || seat.status !== 'active') return Promise.resolve(answerError(ctx, 'Unknown seat', `${email} holds no ${found.pool.productName} seat.`));
    return revokeFlow(ctx, seat.id, null);
  },
};
