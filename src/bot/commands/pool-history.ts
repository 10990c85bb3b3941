import { safeMd } from '../../cards/safe-md.js';
import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { resolvePool } from '../resolve-pool.js';
import { historyReply } from '../history-reply.js';
import type { BotContext } from '../bot-context.js';
import type { Reply } from '../chat-event.js';
import type { LicensePool } from '../../domain/ledger.js';

/** One license's audit trail: page `page` (chat), or the page after the event `before` (the More button). */
export function poolHistoryReply(ctx: BotContext, pool: LicensePool, page: number, before: string | null): Reply[] {
  const view = ctx.deps.store.read();
  const events = view.data.audit.filter((e) => e.poolId === pool.id);
  return historyReply(ctx, view, events, {
    title: safeMd`**History of ${pool.productName}**`,
    about: 'pool',
    page,
    nextCommand: (p) => `history ${pool.productName} page ${p}`,
    poolId: pool.id,
    before,
  });
}

export const poolHistory: Command = {
  name: 'history of a license',
  usage: 'history <product> [page N]',
  help: "A license's audit trail, newest first.",
  adminOnly: true,
  match: byPhrase([
    '(?:(?:show|see|view|get)(?: me)? )?(?:the )?(?:history|audit trail|audit log|audit)(?: (?:of|for))? {product}(?: page (?<page>\\d+))?',
  ]),
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const page = Number(args['page'] ?? '1');
    return Promise.resolve(poolHistoryReply(ctx, found.pool, page, null));
  },
};
