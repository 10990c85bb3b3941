import Fuse from 'fuse.js';
import type { LicensePool } from '../domain/ledger.js';

export type ProductMatch =
  | { kind: 'one'; pool: LicensePool }
  | { kind: 'ambiguous'; choices: LicensePool[] }
  | { kind: 'none'; choices: LicensePool[] };

const VENDOR_WORDS: Record<string, string> = { webex: 'webex', meraki: 'meraki', zoho: 'zoho_crm', cpod: 'cpod' };

const normalize = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(licen[cs]es?|seats?|the|a|an|of|for|my)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Words of the query found in the name, allowing plural/singular ("meetings" ~ "meeting"). */
function wordCoverage(query: string, name: string): number {
  const q = query.split(' ').filter(Boolean);
  if (q.length === 0) return 0;
  const words = name.split(' ');
  const hit = q.filter((w) => words.some((n) => n === w || n.replace(/s$/, '') === w.replace(/s$/, '') || (w.length >= 4 && n.startsWith(w))));
  return hit.length / q.length;
}

/**
 * Finds the pool a person means. Exact names win; otherwise every query word must appear in the name, then
 * fuse.js fuzzy matching for typos. A tie between distinct pools is ambiguous: we ask, never guess.
 */
export function findProduct(pools: readonly LicensePool[], query: string): ProductMatch {
  const q = normalize(query);
  if (q === '') return { kind: 'none', choices: [] };
  const live = pools.filter((p) => !p.retired);
  const candidates = live.length > 0 ? live : [...pools];

  const exact = pools.filter((p) => normalize(p.productName) === q || (p.sku !== null && normalize(p.sku) === q));
  if (exact.length === 1) return { kind: 'one', pool: exact[0]! };
  if (exact.length > 1) return pickOrAsk(exact, query);

  const covered = candidates.filter((p) => wordCoverage(q, normalize(`${p.productName} ${p.sku ?? ''}`)) === 1);
  if (covered.length === 1) return { kind: 'one', pool: covered[0]! };
  if (covered.length > 1) return pickOrAsk(covered, query);

  const fuse = new Fuse(candidates, {
    keys: [{ name: 'productName', weight: 0.8 }, { name: 'sku', weight: 0.2 }],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.45,
  });
  const found = fuse.search(q).slice(0, 4);
  const best = found[0];
  if (!best) return { kind: 'none', choices: suggestions(candidates, q) };
  const second = found[1];
  if (second && (second.score ?? 0) - (best.score ?? 0) < 0.1) {
    return { kind: 'ambiguous', choices: found.map((f) => f.item) };
  }
  return (best.score ?? 1) <= 0.3 ? { kind: 'one', pool: best.item } : { kind: 'ambiguous', choices: found.map((f) => f.item) };
}

/** Several pools fit: a vendor named in the query may settle it. */
function pickOrAsk(pools: LicensePool[], query: string): ProductMatch {
  const vendors = Object.entries(VENDOR_WORDS)
    .filter(([word]) => query.toLowerCase().includes(word))
    .map(([, v]) => v);
  const narrowed = vendors.length > 0 ? pools.filter((p) => vendors.includes(p.vendor)) : [];
  if (narrowed.length === 1) return { kind: 'one', pool: narrowed[0]! };
  return { kind: 'ambiguous', choices: pools.slice(0, 4) };
}

function suggestions(pools: readonly LicensePool[], q: string): LicensePool[] {
  const first = q.split(' ')[0] ?? '';
  const fuse = new Fuse(pools, { keys: ['productName'], includeScore: true, ignoreLocation: true, threshold: 0.7 });
  const byWord = first.length >= 3 ? fuse.search(first).map((r) => r.item) : [];
  return byWord.slice(0, 4);
}
