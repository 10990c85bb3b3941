import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { expiringData } from '../card-views.js';
import { answerError } from '../answer-failure.js';

export const expiring: Command = {
  name: 'expiring',
  usage: 'expiring [days]',
  help: 'Licenses and time-bound seats that end soon (default 30 days).',
  adminOnly: false,
  match: byPattern(/^(what('s| is)? )?(expiring|expires|expiry|renewals?)(?: (soon|in|within|next))?(?: (?<days>\d+))?(?: ?(days?|d))?$/i),
  run: (ctx, args) => {
    const days = args['days'] === undefined ? 30 : Number(args['days']);
    if (!Number.isInteger(days) || days < 0 || days > 3650) return Promise.resolve(answerError(ctx, 'Cannot do that', 'Days must be a whole number from 0 to 3650.'));
    return Promise.resolve([replyCard(ctx.here, 'expiring', expiringData(ctx.deps.store.read(), ctx.now, days), ctx.parentId)]);
  },
};
