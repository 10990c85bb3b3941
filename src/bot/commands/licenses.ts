import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { summaryData } from '../card-views.js';

export const licenses: Command = {
  name: 'licenses',
  usage: 'licenses',
  help: 'All licenses with free seats.',
  adminOnly: false,
  match: byPattern(
    /^(licen[cs]es|list|summary|status|overview|all( licen[cs]es)?|(show|list)( me)?( all)?( the)? licen[cs]es)$/i,
    /^(what|which) licen[cs]es( do we have| are there)?$/i,
    /^how many seats( are)? (left|free|available)$/i,
  ),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'summary', summaryData(ctx.deps.store.read(), ctx.now), ctx.parentId)]),
};
