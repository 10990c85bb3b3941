/**
 * Query parameters that only defeat caches and never change what a page holds (`_=1712…` from jQuery-style
 * clients, ExtJS `_dc`, `cb`, `nocache`, …). Paging parameters (cursor, next, startingAfter, endingBefore,
 * offset, page, page_token, limit, perPage, …) are not among them, so two pages of a real walk never meet.
 */
const CACHE_BUSTERS: ReadonlySet<string> = new Set([
  '_', '_t', '_ts', '_dc', '_cb', '_rnd', '_random', 'cb', 'cachebuster', 'cache_buster', 'cache-buster',
  'cachebust', 'nocache', 'no_cache', 'nonce', 'rnd',
]);

/**
 * The page a URL asks for, for loop detection: origin and path plus the query parameters sorted, cache-buster
 * parameters and the fragment left out. `?cursor=abc&_=1` and `?_=2&cursor=abc` give the same key.
 */
export function normalizePageUrl(url: string): string {
  const u = new URL(url);
  const params = [...u.searchParams]
    .filter(([name]) => !CACHE_BUSTERS.has(name.toLowerCase()))
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return `${u.origin}${u.pathname}?${new URLSearchParams(params).toString()}`;
}
