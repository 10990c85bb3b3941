import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { DAYS_HINT, parseDays, stripMailto } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { grantFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const grant: Command = {
  name: 'grant',
  usage: 'grant <product> to <email> [for N days]',
  help: 'Give someone a seat directly.',
  adminOnly: true,
  match: byPhrase([
    '(?:grant|assign|give|allocate|add|provision)(?: (?:a|an|one))?(?: (?:seat|license))?(?: (?:for|of|in|on|to))? {product} to {email}{days}',
    '(?:grant|give|assign|allocate)(?: to)? {email}(?: (?:a|an|one))?(?: (?:seat|license))?(?: (?:for|of|in|on|to))? {product}{days}',
    'add {email} to {product}{days}',
  ]),
  run: (ctx, args) => {
    const days = parseDays(args['days']);
    if (days === undefined) return Promise.resolve(answerError(ctx, 'Cannot do that', DAYS_HINT));
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return grantFlow(ctx, found.pool.id, stripMailto(args['email'] ?? ''), days);
  },
};

