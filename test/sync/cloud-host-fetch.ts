/** One request as the fetch below saw it. */
export interface SentRequest {
  url: string;
  authorization: string | null;
}

export interface CloudHostFetchOptions {
  /** Pretend origins (a vendor's cloud, e.g. https://webexapis.com) and the loopback origin that answers for each. */
  routes: Readonly<Record<string, string>>;
  /** Rewrites each answer's `Link` header (a proxy passing on the cloud's own links). */
  rewriteLink?: (link: string) => string;
}

/**
 * A fetch for tests that stay on 127.0.0.1 while a client talks to a vendor's cloud host: requests to a routed
 * origin go to its loopback server (as DNS would send them), loopback requests pass, any other host is recorded
 * and refused without a connection. `sent` records every request with the credential it carried.
 */
export function cloudHostFetch(o: CloudHostFetchOptions): { fetch: typeof globalThis.fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    sent.push({ url: url.href, authorization: new Headers(init?.headers).get('authorization') });
    const routed = o.routes[url.origin];
    if (routed === undefined && url.hostname !== '127.0.0.1') throw new TypeError(`fetch failed: ${url.host} is not reachable from tests`);
    const res = await globalThis.fetch(routed === undefined ? url.href : `${routed}${url.pathname}${url.search}`, init);
    const link = res.headers.get('link');
    if (link === null || o.rewriteLink === undefined) return res;
    const headers = new Headers(res.headers);
    headers.set('link', o.rewriteLink(link));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
  return { fetch, sent };
}
