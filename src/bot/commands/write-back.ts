import { describeProvision } from '../../domain/provision-state.js';
import { safeMd, joinMd } from '../../cards/safe-md.js';
import type { Command } from '../command.js';
import { stripMailto } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { ledger } from '../bot-context.js';
import { replyText } from '../reply-card.js';
import { resolvePool } from '../resolve-pool.js';
import { answerError, answerFailure } from '../answer-failure.js';

/**
 * Write-back controls for admins: `write-back` lists holds and changes not yet done at the vendors; `write-back
 * resume` lifts the removal brake and vendor pauses; `write-back retry|cancel <product> for <email>` acts on that
 * seat's latest vendor change (the Retry and Cancel of a refused one).
 */
export const writeBack: Command = {
  name: 'write-back',
  usage: 'write-back [resume | retry <product> for <email> | cancel <product> for <email>]',
  help: 'Vendor write-back: what is paused or waiting; resume it; retry or cancel one seat\'s change.',
  adminOnly: true,
  match: byPhrase([
    '(?:write-back|write back|writeback) (?<verb>retry|cancel) {product} (?:for|of|from) {email}',
    '(?:write-back|write back|writeback) (?<verb>resume|status)',
    '(?:write-back|write back|writeback)',
  ]),
  run: async (ctx, args) => {
    const verb = args['verb'] ?? 'status';
    if (verb === 'resume') {
      const result = await ledger(ctx, { op: 'resumeWriteBack' });
      return result.ok ? [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)] : answerFailure(ctx, result);
    }
    const view = ctx.deps.store.read();
    if (verb === 'status') {
      const holds = view.provisionHolds().map((h) => safeMd`- paused (${h.id}): ${h.reason}\n`);
      const open = view.openProvisions().slice(0, 20).map((i) => {
        const seat = view.assignment(i.assignmentId);
        const product = view.pool(i.poolId)?.productName ?? i.poolId;
        return safeMd`- **${product}** for ${seat?.assignee.email ?? seat?.assignee.id ?? '?'}: ${describeProvision(i)}\n`;
      });
      if (holds.length === 0 && open.length === 0) return [replyText(ctx.here, safeMd`Write-back: nothing paused or waiting.`, ctx.parentId)];
      return [replyText(ctx.here, safeMd`**Write-back**\n${joinMd([...holds, ...open], '')}`, ctx.parentId)];
    }
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return found.replies;
    const email = stripMailto(args['email'] ?? '').toLowerCase();
    const seat = view
      .assignmentsOfPerson({ email })
      .filter((s) => s.poolId === found.pool.id && view.provisionsOf(s.id).length > 0)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))[0];
    const latest = seat === undefined ? undefined : view.provisionsOf(seat.id).at(-1);
    if (latest === undefined) return answerError(ctx, 'Cannot do that', `No vendor change is recorded for ${email} in ${found.pool.productName}.`);
    const result = await ledger(ctx, { op: verb === 'retry' ? 'retryProvision' : 'cancelProvision', intentId: latest.id });
    return result.ok ? [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)] : answerFailure(ctx, result);
  },
};
