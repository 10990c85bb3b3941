import type { Command } from '../command.js';
import { byPattern, DAYS_HINT, parseDays } from '../command.js';
import { resolvePool } from '../resolve-pool.js';
import { requestFlow } from '../seat-flows.js';
import { answerError } from '../answer-failure.js';

export const requestSeatCommand: Command = {
  name: 'request',
  usage: 'request <product> [for N days] [because ...]',
  help: 'Ask for a seat; admins approve unless the license auto-approves.',
  adminOnly: false,
  match: byPattern(
    /^(request|i need|i want|give me|get me|assign me|can i (get|have))( an?| one)?( seat| licen[cs]e)?( (for|of|in|to))? (?<product>.+?)(?: for (?<days>\S+) days?)?(?: (because|since|for|as) (?<reason>.+))?$/i,
  ),
  run: (ctx, args) => {
    const days = parseDays(args['days']);
    if (days === undefined) return Promise.resolve(answerError(ctx, 'Cannot do that', DAYS_HINT));
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return requestFlow(ctx, found.pool.id, days, args['reason']?.trim() ?? null);
  },
};
