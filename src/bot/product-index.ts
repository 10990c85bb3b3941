import type { LicensePool } from '../domain/ledger.js';
import { normalizeProductName } from './normalize-product-name.js';

/** At most this many trigrams of a query are looked up (a 64-character query has fewer). */
const MAX_QUERY_GRAMS = 256;

const stem = (w: string): string => w.replace(/s$/, '');

function add<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [i]);
  else if (list[list.length - 1] !== i) list.push(i);
}

/** The character trigram at k, as a number (three UTF-16 units fit in 48 bits). */
const gram = (s: string, k: number): number =>
  s.charCodeAt(k) * 2 ** 32 + s.charCodeAt(k + 1) * 2 ** 16 + s.charCodeAt(k + 2);

/** Distinct trigrams of each word padded with spaces (" ac", "acr", "cro" … "at "). */
function trigrams(words: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const w of words) {
    if (w === '') continue;
    const padded = ` ${w} `;
    for (let k = 0; k + 3 <= padded.length && out.size < MAX_QUERY_GRAMS; k++) out.add(gram(padded, k));
  }
  return out;
}

function sameRecords(a: readonly LicensePool[], b: readonly LicensePool[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** First position in the sorted list whose word is >= w. */
function lowerBound(sorted: readonly string[], w: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < w) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Lookup tables over one set of pools, so that finding a product costs about the size of the query and of
 * the pools sharing its words, never a scan of every pool: exact names and SKUs, words (with a sorted
 * vocabulary for prefixes) and character trigrams (to pick the few pools worth a fuzzy look). Built once
 * per set of pool records: the store replaces a record whenever a pool changes, so identity tells.
 */
export class ProductIndex {
  private static last: ProductIndex | undefined;

  static of(pools: readonly LicensePool[]): ProductIndex {
    const last = ProductIndex.last;
    if (last !== undefined && sameRecords(last.pools, pools)) return last;
    const built = new ProductIndex(pools, last?.normalized);
    ProductIndex.last = built;
    return built;
  }

  readonly pools: readonly LicensePool[];
  /** Pools searched beyond exact names: the live ones, or every pool when none is live. */
  private readonly inScope: Uint8Array;
  private readonly scopeCount: number;
  private readonly exact = new Map<string, number[]>();
  private readonly words: (readonly string[])[] = [];
  private readonly byWord = new Map<string, number[]>();
  private readonly vocabulary: readonly string[];
  private readonly byGram = new Map<number, number[]>();
  /** Raw name or SKU -> normalized, handed to the next index: a sync replaces records, rarely names. */
  private readonly normalized = new Map<string, string>();

  private constructor(pools: readonly LicensePool[], previous: ReadonlyMap<string, string> | undefined) {
    const normalize = (raw: string): string => {
      let n = this.normalized.get(raw) ?? previous?.get(raw);
      if (n === undefined) n = normalizeProductName(raw);
      this.normalized.set(raw, n);
      return n;
    };
    this.pools = [...pools];
    const anyLive = pools.some((p) => !p.retired);
    this.inScope = Uint8Array.from(pools, (p) => (!anyLive || !p.retired ? 1 : 0));
    this.scopeCount = this.inScope.reduce((n, v) => n + v, 0);
    pools.forEach((p, i) => {
      const name = normalize(p.productName);
      add(this.exact, name, i);
      const sku = p.sku === null ? '' : normalize(p.sku);
      if (p.sku !== null) add(this.exact, sku, i);
      // The words of "name sku" (normalizing the two apart gives the same words, for half the work).
      const words = [...new Set((sku === '' ? name : name === '' ? sku : `${name} ${sku}`).split(' '))];
      this.words.push(words);
      for (const w of words) {
        add(this.byWord, w, i);
        if (w === '') continue;
        const padded = ` ${w} `;
        for (let k = 0; k + 3 <= padded.length; k++) add(this.byGram, gram(padded, k), i);
      }
    });
    this.vocabulary = [...this.byWord.keys()].sort();
  }

  /** Pools (retired ones too) whose normalized name or SKU is exactly `q`. */
  exactly(q: string): LicensePool[] {
    return this.at(this.exact.get(q) ?? []);
  }

  /**
   * Pools in scope whose words cover every word of `q`: the same word, its singular or plural, or (for 4+
   * letters) a word it begins ("meet" ~ "meetings"). Rarest query word first, then filtered per pool.
   */
  covering(q: string): LicensePool[] {
    const queryWords = [...new Set(q.split(' ').filter(Boolean))];
    if (queryWords.length === 0) return [];
    const matchers = queryWords
      .map((w) => {
        const names = this.wordsMatching(w);
        let size = 0;
        for (const n of names) size += this.byWord.get(n)?.length ?? 0;
        return { names, size };
      })
      .sort((a, b) => a.size - b.size);
    const [first, ...rest] = matchers;
    if (first === undefined || first.size === 0) return [];
    let current = new Set<number>();
    for (const n of first.names)
      for (const i of this.byWord.get(n) ?? []) if (this.inScope[i] === 1) current.add(i);
    for (const { names } of rest) {
      current = new Set([...current].filter((i) => (this.words[i] ?? []).some((w) => names.has(w))));
      if (current.size === 0) break;
    }
    return this.at([...current].sort((a, b) => a - b));
  }

  /**
   * The pools in scope worth a fuzzy look for `text`: all of them when there are at most `limit`, else the
   * `limit` sharing the most trigrams with it (in ledger order, so ties rank as they always did).
   */
  candidates(text: string, limit: number): LicensePool[] {
    if (this.scopeCount <= limit) return this.pools.filter((_p, i) => this.inScope[i] === 1);
    const score = new Uint16Array(this.pools.length);
    const touched: number[] = [];
    for (const g of trigrams(text.split(' '))) {
      for (const i of this.byGram.get(g) ?? []) {
        if (this.inScope[i] !== 1) continue;
        const s = score[i] ?? 0;
        score[i] = s + 1;
        if (s === 0) touched.push(i);
      }
    }
    touched.sort((a, b) => (score[b] ?? 0) - (score[a] ?? 0) || a - b);
    return this.at(touched.slice(0, limit).sort((a, b) => a - b));
  }

  /** Vocabulary words that match query word `w` the way `covering` describes. */
  private wordsMatching(w: string): Set<string> {
    const s = stem(w);
    const out = new Set<string>();
    for (const n of [w, s, `${s}s`]) if (this.byWord.has(n) && (n === w || stem(n) === s)) out.add(n);
    if (w.length >= 4) {
      for (let k = lowerBound(this.vocabulary, w); k < this.vocabulary.length; k++) {
        const n = this.vocabulary[k] ?? '';
        if (!n.startsWith(w)) break;
        out.add(n);
      }
    }
    return out;
  }

  private at(positions: readonly number[]): LicensePool[] {
    const out: LicensePool[] = [];
    for (const i of positions) {
      const p = this.pools[i];
      if (p !== undefined) out.push(p);
    }
    return out;
  }
}
