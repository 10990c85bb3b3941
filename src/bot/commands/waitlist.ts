import { safeMd } from '../../cards/safe-md.js';
import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { resolvePool } from '../resolve-pool.js';
import { ledger } from '../bot-context.js';
import { answerFailure } from '../answer-failure.js';
import { replyText } from '../reply-card.js';
import { claimFlow } from '../claim-flow.js';
import { waitlistQueue } from '../../domain/waitlist-queue.js';

/**
 * The waitlist of a full license: join it, leave it, claim a seat held for you, or see the queue (your place;
 * admins see everyone). A claimed seat follows the pool's approval policy, like a request.
 */
export const waitlist: Command = {
  name: 'waitlist',
  usage: 'waitlist <product> | join waitlist <product> | leave waitlist <product> | claim <product>',
  help: 'Queue for a full license; the first in line is offered the next freed seat for 24 hours.',
  adminOnly: false,
  match: byPhrase([
    '(?<verb>join|get on|add me to|put me on) (?:the )?(?:waitlist|waiting list|wait list)(?: (?:for|of))? {product}',
    '(?<verb>leave|quit|exit|take me off|remove me from) (?:the )?(?:waitlist|waiting list|wait list)(?: (?:for|of))? {product}',
    '(?<verb>claim) {product}',
    '(?:(?:show|see|view)(?: me)? )?(?:the )?(?:waitlist|waiting list|wait list)(?: (?:for|of))? {product}',
  ]),
  run: async (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return found.replies;
    const { pool } = found;
    const verb = args['verb'] ?? 'show';
    if (verb === 'claim') return claimFlow(ctx, pool.id);
    if (verb !== 'show') {
      const join = !/^(?:leave|quit|exit|take me off|remove me from)$/.test(verb);
      const result = await ledger(ctx, { op: join ? 'joinWaitlist' : 'leaveWaitlist', poolId: pool.id });
      if (!result.ok) return answerFailure(ctx, result);
      return [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)];
    }
    const queue = waitlistQueue(ctx.deps.store.read(), pool.id);
    if (queue.length === 0) return [replyText(ctx.here, safeMd`Nobody is waiting for **${pool.productName}**.`, ctx.parentId)];
    const email = ctx.person.email.toLowerCase();
    const mine = queue.findIndex((e) => e.person.id === ctx.person.id || e.person.email === email);
    const place = mine < 0 ? safeMd`You are not on it.` : safeMd`You are number ${String(mine + 1)}.`;
    if (!ctx.isAdmin) return [replyText(ctx.here, safeMd`**${pool.productName}** waitlist: ${String(queue.length)} waiting. ${place}`, ctx.parentId)];
    const names = queue.map((e, i) => `${i + 1}. ${e.person.name ?? e.person.email ?? e.person.id}${e.status === 'offered' ? ' (offered)' : ''}`).join('; ');
    return [replyText(ctx.here, safeMd`**${pool.productName}** waitlist: ${names}. ${place}`, ctx.parentId)];
  },
};
