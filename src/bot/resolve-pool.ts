import type { LicensePool } from '../domain/ledger.js';
import { MAX_PRODUCT_QUERY_CHARS, tooLong } from '../domain/input-limits.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { findProduct } from './find-product.js';
import { findMentionedPools } from './find-mentioned-pools.js';
import { helpPointer } from './help-pointer.js';
import { looksLikeSentence } from './looks-like-sentence.js';
import { normalizeCommandText } from './normalize-command-text.js';
import { replyCard } from './reply-card.js';
import { answerError } from './answer-failure.js';
import { didYouMean } from './did-you-mean.js';

const refsOf = (pools: readonly LicensePool[]) => pools.map((p) => ({ id: p.id, productName: p.productName, vendor: p.vendor }));

/**
 * The pool a person named, or the "did you mean" answer to send instead. Never a silent guess.
 * `bare`: the whole message was taken as the name because no command fitted it. Then a sentence (a question
 * word or pronoun, or more than four words) that names no license by its name or its words gets the help
 * pointer instead of "I know no license called …": a license one of its words names is offered as "did you
 * mean", and a typo'd name (a short message with no question word) still gets "did you mean".
 */
export function resolvePool(ctx: BotContext, query: string | undefined, options: { bare?: boolean } = {}): { pool: LicensePool } | { replies: Reply[] } {
  const name = (query ?? '').trim();
  if (name === '') {
    if (options.bare) return { replies: helpPointer(ctx, 'greeting') };
    return { replies: [replyCard(ctx.here, 'error', { title: 'Which license?', message: 'Name a license, e.g. "seats Zoho CRM". Say "licenses" to list them all.' }, ctx.parentId)] };
  }
  // The budget comes before any matching.
  if (name.length > MAX_PRODUCT_QUERY_CHARS) return { replies: answerError(ctx, 'Too long', tooLong('That product name', MAX_PRODUCT_QUERY_CHARS)) };
  const pools = ctx.deps.store.read().pools();
  const match = findProduct(pools, name);
  if (options.bare && (match.kind === 'none' || match.by === 'fuzzy')) {
    const words = normalizeCommandText(name).text.split(' ').filter(Boolean);
    if (looksLikeSentence(words)) {
      const mentioned = findMentionedPools(pools, words);
      if (mentioned.length === 0) return { replies: helpPointer(ctx, 'unknown') };
      return { replies: [replyCard(ctx.here, 'error', { title: 'Which license?', message: 'I am not sure which license you mean. Is it one of these?', suggestions: refsOf(mentioned) }, ctx.parentId)] };
    }
  }
  if (match.kind === 'one') return { pool: match.pool };
  return { replies: didYouMean(ctx, name, match.kind, refsOf(match.choices)) };
}
