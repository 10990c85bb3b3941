import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyText } from '../reply-card.js';
import { syncStatusText } from '../sync-status-text.js';

export const syncStatusCommand: Command = {
  name: 'sync status',
  usage: 'sync status',
  help: 'Last sync of each vendor, failures, and open drift findings with what to do.',
  adminOnly: true,
  match: byPhrase([
    '(?:(?:show|see|view|get|check)(?: me)? )?(?:the )?(?:vendor )?(?:sync|syncs|syncing) (?:status|state|health|report|results?)',
    '(?:(?:show|see|view|get|check)(?: me)? )?(?:the )?(?:open )?drift(?: findings)?',
    '(?:when was the )?last syncs?',
  ]),
  run: (ctx) =>
    Promise.resolve([replyText(ctx.here, syncStatusText(ctx.deps.store.read(), ctx.deps.sync?.vendors() ?? [], ctx.timeZone), ctx.parentId)]),
};
