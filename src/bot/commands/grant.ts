import type { Command } from '../command.js';
import { byPattern, DAYS_HINT, parseDays, stripMailto } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { grantFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const grant: Command = {
  name: 'grant',
  usage: 'grant <product> to <email> [for N days]',
  help: 'Give someone a seat directly.',
  adminOnly: true,
  match: byPattern(/^(grant|assign|give)( an?)?( seat| licen[cs]e)?( (for|of|in))? (?<product>.+?) to (?<email>\S+?)(?: for (?<days>\S+) days?)?$/i),
  run: (ctx, args) => {
    const days = parseDays(args['days']);
    if (days === undefined) return Promise.resolve(answerError(ctx, 'Cannot do that', DAYS_HINT));
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return grantFlow(ctx, found.pool.id, stripMailto(args['email'] ?? ''), days);
  },
};

