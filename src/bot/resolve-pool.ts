import type { LicensePool } from '../domain/ledger.js';
import { MAX_PRODUCT_QUERY_CHARS, tooLong } from '../domain/input-limits.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { findProduct } from './find-product.js';
import { replyCard } from './reply-card.js';
import { answerError } from './answer-failure.js';

/** The pool a person named, or the "did you mean" answer to send instead. Never a silent guess. */
export function resolvePool(ctx: BotContext, query: string | undefined): { pool: LicensePool } | { replies: Reply[] } {
  const name = (query ?? '').trim();
  if (name === '') {
    return { replies: [replyCard(ctx.here, 'error', { title: 'Which license?', message: 'Name a license, e.g. "seats Zoho CRM". Say "licenses" to list them all.' }, ctx.parentId)] };
  }
  // The budget comes before any matching.
  if (name.length > MAX_PRODUCT_QUERY_CHARS) return { replies: answerError(ctx, 'Too long', tooLong('That product name', MAX_PRODUCT_QUERY_CHARS)) };
  const match = findProduct(ctx.deps.store.read().pools(), name);
  if (match.kind === 'one') return { pool: match.pool };
  const refs = match.choices.map((p) => ({ id: p.id, productName: p.productName, vendor: p.vendor }));
  const message =
    match.kind === 'ambiguous'
      ? `"${name}" fits more than one license. Which one do you mean?`
      : refs.length > 0
        ? `I know no license called "${name}". Did you mean one of these?`
        : `I know no license called "${name}". Say "licenses" to see them all.`;
  return { replies: [replyCard(ctx.here, 'error', { title: match.kind === 'ambiguous' ? 'Which one?' : 'Unknown license', message, suggestions: refs }, ctx.parentId)] };
}
