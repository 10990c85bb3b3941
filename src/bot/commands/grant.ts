import type { Command } from '../command.js';
import { byPattern } from '../command.js';
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
    const days = args['days'] === undefined ? null : Number(args['days']);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 365)) {
      return Promise.resolve(answerError(ctx, 'Cannot do that', 'The number of days must be a whole number from 1 to 365.'));
    }
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    return grantFlow(ctx, found.pool.id, stripMailto(args['email'] ?? ''), days);
  },
};

/** Webex turns emails into markdown links: "[a@b.c](mailto:a@b.c)" or "mailto:a@b.c". */
function stripMailto(s: string): string {
  const link = /^\[([^\]]+)\]\(mailto:[^)]+\)$/.exec(s);
  return (link?.[1] ?? s).replace(/^mailto:/i, '').replace(/[<>]/g, '');
}
