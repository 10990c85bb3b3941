import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { mySeatsData } from '../card-views.js';

export const mySeats: Command = {
  name: 'my seats',
  usage: 'my seats',
  help: 'Your seats and requests, with Release buttons.',
  adminOnly: false,
  match: byPattern(/^(show |list )?my (seats?|licen[cs]es?|requests?)$/i, /^what (seats|licen[cs]es) do i have$/i),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'my-seats', mySeatsData(ctx.deps.store.read(), ctx.person, ctx.now), ctx.parentId)]),
};
