import type { LicensePool } from '../domain/ledger.js';
import { SENTENCE_WORDS } from './looks-like-sentence.js';
import { normalizeProductName } from './normalize-product-name.js';
import { ProductIndex } from './product-index.js';

/** Everyday words that say nothing about which license ("today", "good", "need"). */
const EVERYDAY = new Set([
  'all',
  'and',
  'any',
  'bad',
  'but',
  'free',
  'from',
  'get',
  'good',
  'got',
  'has',
  'have',
  'hello',
  'here',
  'know',
  'left',
  'like',
  'many',
  'more',
  'much',
  'need',
  'nice',
  'not',
  'now',
  'please',
  'some',
  'still',
  'tell',
  'thanks',
  'these',
  'think',
  'those',
  'time',
  'today',
  'tomorrow',
  'use',
  'using',
  'want',
  'weather',
  'with',
  'yes',
]);

/** A sentence has at most this many words looked at, and a word fitting more pools than this names none. */
const MAX_WORDS = 40;
const MAX_POOLS_PER_WORD = 4;

/**
 * The pools a sentence names by one of its words ("is Zoho any good" → the Zoho pools): a word of at least
 * three letters, not an everyday one, that fits at most four pools the way `ProductIndex.covering` matches.
 * At most four pools, for a "did you mean" answer; never a guess.
 */
export function findMentionedPools(pools: readonly LicensePool[], words: readonly string[]): LicensePool[] {
  const index = ProductIndex.of(pools);
  const found = new Map<string, LicensePool>();
  for (const word of [...new Set(words)].slice(0, MAX_WORDS)) {
    const w = normalizeProductName(word);
    if (w.length < 3 || w.includes(' ') || SENTENCE_WORDS.has(w) || EVERYDAY.has(w)) continue;
    const hits = index.covering(w);
    if (hits.length === 0 || hits.length > MAX_POOLS_PER_WORD) continue;
    for (const p of hits) found.set(p.id, p);
  }
  return [...found.values()].slice(0, MAX_POOLS_PER_WORD);
}
