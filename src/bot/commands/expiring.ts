import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { expiringData, viewerOf } from '../card-views.js';
import { DEFAULT_EXPIRING_DAYS } from '../../cards/pool-markers.js';
import { MAX_LOOKAHEAD_DAYS } from '../../domain/input-limits.js';
import { answerError } from '../answer-failure.js';

export const expiring: Command = {
  name: 'expiring',
  usage: 'expiring [days]',
  help: 'Licenses and time-bound seats that end soon (default 30 days; admins see who holds them).',
  adminOnly: false,
  match: byPattern(/^(what('s| is)? )?(expiring|expires|expiry|renewals?)(?: (soon|in|within|next))?(?: (?<days>\d+))?(?: ?(days?|d))?$/i),
  run: (ctx, args) => {
    const days = args['days'] === undefined ? DEFAULT_EXPIRING_DAYS : Number(args['days']);
    if (!Number.isInteger(days) || days < 0 || days > MAX_LOOKAHEAD_DAYS) return Promise.resolve(answerError(ctx, 'Cannot do that', `Days must be a whole number from 0 to ${MAX_LOOKAHEAD_DAYS}.`));
    return Promise.resolve([replyCard(ctx.here, 'expiring', expiringData(ctx.deps.store.read(), ctx.now, days, viewerOf(ctx)), ctx.parentId)]);
  },
};
