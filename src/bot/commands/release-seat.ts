import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { resolvePool } from '../resolve-pool.js';
import { releaseFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const releaseSeatCommand: Command = {
  name: 'release',
  usage: 'release <product>',
  help: 'Give back your seat (or withdraw your request).',
  adminOnly: false,
  match: byPhrase([
    '(?:(?:i )?(?:want|would like|need|wanna|have) to |id like to |can i |could i |let me |ill |i will |im going to )?(?:release|return|give back|hand back|drop|cancel|withdraw|free up|unassign me from|remove me from|get rid of|give up|relinquish|surrender|stop using|quit|leave)(?: (?:my|the|our))?(?: (?:seat|license|request|access))?(?: (?:for|of|in|on|to|from))? {product}',
    '(?:give|hand) {product} back',
    '(?:i )?(?:dont|do not|no longer|dont really|do not really) (?:need|use|want) {product}(?: (?:anymore|any more|any longer|now))?',
    '(?:im|i am) (?:done|finished) (?:with|using) {product}',
    '(?:you can )?(?:take|have) (?:back )?my {product}(?: back)?',
    '(?:release|return|give back|drop|withdraw)(?: (?:my|a|the))?(?: (?:seat|license|request))?',
  ]),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const seat = ctx.deps.store.read().openSeat(found.pool.id, { kind: 'user', id: ctx.person.id, email: ctx.person.email });
    if (!seat) return Promise.resolve(answerError(ctx, 'Not your seat', `You hold no ${found.pool.productName} seat.`));
    return releaseFlow(ctx, seat.id);
  },
};
