import type { Command } from '../command.js';
import { byPattern } from '../command.js';
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
    const days = args['days'] === undefined ? null : Number(args['days']);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 365)) {
      return Promise.resolve(answerError(ctx, 'Cannot do that', 'The number of days must be a whole number from 1 to 365.'));
    }
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return requestFlow(ctx, found.pool.id, days, args['reason']?.trim() ?? null);
  },
};
