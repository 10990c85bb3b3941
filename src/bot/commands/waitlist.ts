import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { resolvePool } from '../resolve-pool.js';
import { claimFlow } from '../claim-flow.js';
import { joinOrLeaveFlow, waitlistReply } from '../waitlist-flow.js';
import { waitlistQueue } from '../../domain/waitlist-queue.js';

/**
 * The waitlist of a full license: join it, leave it, claim a seat held for you, or see the queue (your place;
 * admins see everyone), on a card with
 * Join, Claim or Leave. A claimed seat follows the pool's approval policy, like a request.
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
  run: (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return Promise.resolve(found.replies);
    const { pool } = found;
    const verb = args['verb'] ?? 'show';
    if (verb === 'claim') return claimFlow(ctx, pool.id);
    if (verb !== 'show') return joinOrLeaveFlow(ctx, pool.id, !/^(?:leave|quit|exit|take me off|remove me from)$/.test(verb));
    const queue = waitlistQueue(ctx.deps.store.read(), pool.id);
    if (queue.length === 0) return Promise.resolve(waitlistReply(ctx, pool.id, 'queue', `Nobody is waiting for ${pool.productName}.`));
    const email = ctx.person.email.toLowerCase();
    const mine = queue.findIndex((e) => e.person.id === ctx.person.id || e.person.email === email);
    const place = mine < 0 ? 'You are not on it.' : `You are number ${mine + 1}.`;
    return Promise.resolve(waitlistReply(ctx, pool.id, 'queue', `${queue.length} waiting for ${pool.productName}. ${place}`));
  },
};
