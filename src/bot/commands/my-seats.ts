import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyCard } from '../reply-card.js';
import { mySeatsData } from '../card-views.js';

export const mySeats: Command = {
  name: 'my seats',
  usage: 'my seats',
  help: 'Your seats and requests, with Release buttons.',
  adminOnly: false,
  match: byPhrase([
    '(?:(?:show|list|see|view|get|give|check)(?: me)? )?(?:all )?my (?:own )?(?:seats?|licenses?|requests?|stuff|software|tools|access)',
    '(?:what|which)(?: (?:seats?|licenses?|software|tools|requests?))? (?:do i have|have i got|am i using|are mine|do i hold|did i request|i have)',
    'do i have any (?:seats|licenses)',
    'mine|my stuff',
  ]),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'my-seats', mySeatsData(ctx.deps.store.read(), ctx.person, ctx), ctx.parentId)]),
};
