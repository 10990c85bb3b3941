import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
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
  match: byPhrase([
    '(?:(?:what|whats|what is|which|which licenses|which seats|anything|any licenses|is anything|are any licenses|show|list)(?: are| is)? )?(?:expiring|expires|expire|expiry|ending|ends|renewals?|renewing|renews|due for renewal|up for renewal|running out|lapsing){window}',
    '(?:upcoming|next|coming) (?:renewals|expiries|expirations)(?: dates)?{window}',
    '(?:(?:show|list)(?: me)? )?(?:the )?(?:expirations|expiries|expiring licenses|expiring seats|renewal dates){window}',
    'when (?:do|does) (?:licenses|seats|anything|things) (?:expire|renew|end)',
  ]),
  run: (ctx, args) => {
    const days = args['days'] === undefined ? DEFAULT_EXPIRING_DAYS : Number(args['days']);
    if (!Number.isInteger(days) || days < 0 || days > MAX_LOOKAHEAD_DAYS) return Promise.resolve(answerError(ctx, 'Cannot do that', `Days must be a whole number from 0 to ${MAX_LOOKAHEAD_DAYS}.`));
    return Promise.resolve([replyCard(ctx.here, 'expiring', expiringData(ctx.deps.store.read(), ctx, days, viewerOf(ctx)), ctx.parentId)]);
  },
};
