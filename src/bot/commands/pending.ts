import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { pendingData } from '../card-views.js';

export const pending: Command = {
  name: 'pending',
  usage: 'pending',
  help: 'Requests waiting for approval, with Approve/Deny.',
  adminOnly: true,
  match: byPattern(/^(pending|approvals|requests|pending (requests|approvals)|what('s| is) pending)$/i),
  run: (ctx) => Promise.resolve([replyCard(ctx.here, 'pending', pendingData(ctx.deps.store.read(), ctx.now), ctx.parentId)]),
};
