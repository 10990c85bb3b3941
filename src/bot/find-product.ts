import Fuse from 'fuse.js';
import type { LicensePool } from '../domain/ledger.js';
import { MAX_PRODUCT_QUERY_CHARS } from '../domain/input-limits.js';
import { normalizeProductName } from './normalize-product-name.js';
import { ProductIndex } from './product-index.js';

/** How a match was found: the whole name or SKU, every word of the query, or a fuzzy (typo-tolerant) guess. */
export type MatchedBy = 'name' | 'words' | 'fuzzy';

export type ProductMatch =
  | { kind: 'one'; pool: LicensePool; by: MatchedBy }
  | { kind: 'ambiguous'; choices: LicensePool[]; by: MatchedBy }
  | { kind: 'none'; choices: LicensePool[] };

/**
 * The fuzzy pass is the costly one (bitap over every candidate), so it gets a bounded query and a bounded
 * number of pools: typos sit in short names, and the trigram shortlist keeps the pools a typo still
 * resembles. With at most FUZZY_MAX_POOLS pools in the ledger, all of them are searched, as before.
 */
const FUZZY_QUERY_CHARS = 64;
const FUZZY_MAX_POOLS = 200;

const VENDOR_WORDS: Record<string, string> = {
  webex: 'webex',
  meraki: 'meraki',
  zoho: 'zoho_crm',
  cpod: 'cpod',
};

/**
 * Finds the pool a person means. Exact names win; otherwise every query word must appear in the name, then
 * fuse.js fuzzy matching for typos. A tie between distinct pools is ambiguous: we ask, never guess.
 * Costs about the size of the query and of the pools sharing its words, whatever the number of pools
 * (the query is cut at MAX_PRODUCT_QUERY_CHARS here too; the bot refuses longer ones before).
 */
export function findProduct(pools: readonly LicensePool[], query: string): ProductMatch {
  const q = normalizeProductName(query.slice(0, MAX_PRODUCT_QUERY_CHARS));
  if (q === '') return { kind: 'none', choices: [] };
  const index = ProductIndex.of(pools);

  const exact = index.exactly(q);
  if (exact.length === 1) return { kind: 'one', pool: exact[0]!, by: 'name' };
  if (exact.length > 1) return pickOrAsk(exact, query, 'name');

  const covered = index.covering(q);
  if (covered.length === 1) return { kind: 'one', pool: covered[0]!, by: 'words' };
  if (covered.length > 1) return pickOrAsk(covered, query, 'words');

  const fuzzy = q.slice(0, FUZZY_QUERY_CHARS).trim();
  const fuse = new Fuse(index.candidates(fuzzy, FUZZY_MAX_POOLS), {
    keys: [
      { name: 'productName', weight: 0.8 },
      { name: 'sku', weight: 0.2 },
    ],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.45,
  });
  const found = fuse.search(fuzzy).slice(0, 4);
  const best = found[0];
  if (!best) return { kind: 'none', choices: suggestions(index, fuzzy) };
  const second = found[1];
  if (second && (second.score ?? 0) - (best.score ?? 0) < 0.1) {
    return { kind: 'ambiguous', choices: found.map((f) => f.item), by: 'fuzzy' };
  }
  return (best.score ?? 1) <= 0.3
    ? { kind: 'one', pool: best.item, by: 'fuzzy' }
    : { kind: 'ambiguous', choices: found.map((f) => f.item), by: 'fuzzy' };
}

/** Several pools fit: a vendor named in the query may settle it. */
function pickOrAsk(pools: LicensePool[], query: string, by: MatchedBy): ProductMatch {
  const vendors = Object.entries(VENDOR_WORDS)
    .filter(([word]) => query.normalize('NFKC').toLowerCase().includes(word))
    .map(([, v]) => v);
  const narrowed = vendors.length > 0 ? pools.filter((p) => vendors.includes(p.vendor)) : [];
  if (narrowed.length === 1) return { kind: 'one', pool: narrowed[0]!, by };
  return { kind: 'ambiguous', choices: pools.slice(0, 4), by };
}

function suggestions(index: ProductIndex, q: string): LicensePool[] {
  const first = q.split(' ')[0] ?? '';
  if (first.length < 3) return [];
  const fuse = new Fuse(index.candidates(first, FUZZY_MAX_POOLS), {
    keys: ['productName'],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.7,
  });
  return fuse
    .search(first)
    .map((r) => r.item)
    .slice(0, 4);
}
