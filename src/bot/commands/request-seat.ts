import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { DAYS_HINT, parseDays } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { requestFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const requestSeatCommand: Command = {
  name: 'request',
  usage: 'request <product> [for N days] [because ...]',
  help: 'Ask for a seat; admins approve unless the license auto-approves.',
  adminOnly: false,
  match: byPhrase([
    '(?:request|requesting|i request|i would like to (?:get|have|use|request|borrow|try)|i would like|id like to (?:get|have|use|request|borrow|try)|id like|id love|i want to (?:use|try|get|have|request)|i want|i wanna (?:use|try|get|have)|i wanna|i need to (?:use|get|have|try)|i need|need|want|give me|get me|assign me|grant me|sign me up (?:for|to)|add me to|put me on|(?:can|could|may) (?:i|we) (?:get|have|use|request|borrow|try)|how (?:do|can) i get|i require|apply for|order)(?: (?:access (?:to|for)|(?:a |one )?(?:seat|license|spot) (?:for|of|in|on|to)|for|to|on))? {product}{days}{reason}',
    'request(?: (?:a|one))?(?: (?:seat|license))?',
  ]),
  run: (ctx, args) => {
    const days = parseDays(args['days']);
    if (days === undefined) return Promise.resolve(answerError(ctx, 'Cannot do that', DAYS_HINT));
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return requestFlow(ctx, found.pool.id, days, args['reason']?.trim() ?? null);
  },
};
