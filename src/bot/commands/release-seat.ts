import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { releaseFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const releaseSeatCommand: Command = {
  name: 'release',
  usage: 'release <product>',
  help: 'Give back your seat (or withdraw your request).',
  adminOnly: false,
  match: byPattern(/^(release|return|give back|drop|cancel|withdraw)( my)?( seat| licen[cs]e| request)?( (for|of|in|to))? (?<product>.+)$/i),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const seat = ctx.deps.store.read().openSeat(found.pool.id, { kind: 'user', id: ctx.person.id, email: ctx.person.email });
    if (!seat) return Promise.resolve(answerError(ctx, 'Not your seat', `You hold no ${found.pool.productName} seat.`));
    return releaseFlow(ctx, seat.id);
  },
};
