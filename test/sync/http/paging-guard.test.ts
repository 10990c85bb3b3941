import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VendorApiError } from '../../../src/errors.js';
import { HttpJson } from '../../../src/sync/http/http-json.js';
import { listedRecords } from '../../../src/sync/http/listed-records.js';
import { normalizePageUrl } from '../../../src/sync/http/normalize-page-url.js';
import { PagingGuard } from '../../../src/sync/http/paging-guard.js';
import { caughtVendorError } from '../../support/caught-vendor-error.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/start-loopback-server.js';

const guard = (maxPages = 100): PagingGuard => new PagingGuard({ vendor: 'webex', maxPages, where: 'GET https://h/list' });

/** Walks `urls` as one listing: reads each with its records, following on to the next; the first throw or null. */
function walk(g: PagingGuard, pages: readonly { url: string; records: readonly unknown[] }[]): VendorApiError | null {
  try {
    pages.forEach((p, i) => {
      g.read(p.url, p.records);
      const next = pages[i + 1];
      if (next !== undefined) g.follow(next.url);
    });
    return null;
  } catch (err) {
    if (err instanceof VendorApiError) return err;
    throw err;
  }
}

const recs = (page: number, n = 3): { id: string }[] => Array.from({ length: n }, (_, i) => ({ id: `r${page}-${i}` }));

describe('normalizePageUrl', () => {
  it('sorts the query and leaves out cache-buster parameters and the fragment', () => {
    expect(normalizePageUrl('https://h/list?cursor=abc&_=1')).toBe(normalizePageUrl('https://h/list?_=2&cursor=abc#x'));
    expect(normalizePageUrl('https://H/list?b=2&a=1&nocache=9&_dc=1&cb=3')).toBe('https://h/list?a=1&b=2');
  });

  it('keeps every paging parameter: cursor, next, startingAfter, endingBefore, offset, page, page_token, limit', () => {
    for (const name of ['cursor', 'next', 'startingAfter', 'endingBefore', 'offset', 'page', 'page_token', 'limit', 'perPage', 'per_page']) {
      expect(normalizePageUrl(`https://h/l?${name}=1`), name).not.toBe(normalizePageUrl(`https://h/l?${name}=2`));
    }
  });
});

describe('listedRecords', () => {
  it('takes a bare array or the arrays of an envelope, and nothing from an empty page', () => {
    expect(listedRecords([1, 2])).toEqual([1, 2]);
    expect(listedRecords({ users: [{ id: 'a' }], info: { page: 3 } })).toEqual([[{ id: 'a' }]]);
    expect(listedRecords({ items: [], next_cursor: 'x' })).toEqual([]);
    expect(listedRecords({ id: 'L1', name: 'Messaging' })).toEqual([]);
    expect(listedRecords(null)).toEqual([]);
  });
});

describe('PagingGuard', () => {
  it("lets each vendor's real paging through: Webex `next`, Meraki `startingAfter`, Zoho `page`, cPod cursor variants", () => {
    const webex = ['', '&next=Zm9v', '&next=YmFy', '&next=YmF6'].map((n) => `https://webexapis.com/v1/licenses/L1?includeAssignedTo=user&limit=300${n}`);
    const meraki = ['', '&startingAfter=AAA', '&startingAfter=BBB'].map((n) => `https://api.meraki.com/api/v1/organizations/1/licenses?perPage=1000${n}`);
    const zoho = [1, 2, 3, 4].map((p) => `https://www.zohoapis.eu/crm/v7/users?type=ActiveUsers&page=${p}&per_page=200`);
    const cpod = ['?limit=100', '?limit=100&cursor=bzoyMA', '?cursor=bzo0MA&limit=100', '?p=3', '?limit=100&cursor=bzo2MA&_=1'].map((q) => `https://cpod.example.com/api/v1/licenses${q}`);
    for (const urls of [webex, meraki, zoho, cpod]) {
      expect(walk(guard(), urls.map((url, i) => ({ url, records: recs(i) })))).toBeNull();
    }
  });

  it('lets pages that list nothing through, however alike (an empty page says nothing of a loop)', () => {
    expect(walk(guard(), [1, 2, 3].map((p) => ({ url: `https://h/l?page=${p}`, records: [] })))).toBeNull();
  });

  it('calls a next link back to a page already read a loop, junk cache-busters or not', () => {
    const err = walk(guard(), [
      { url: 'https://h/list', records: recs(1) },
      { url: 'https://h/list?cursor=abc', records: recs(2) },
      { url: 'https://h/list?cursor=abc&_=1', records: recs(3) },
    ]);
    expect(err).toMatchObject({ code: 'VENDOR_PAGING_LOOP', vendor: 'webex' });
    expect(err?.message).toBe(
      'webex: GET https://h/list: paging goes round in a loop: the next link after page 2 leads back to page 2 (only cache-buster parameters differ); stopped reading',
    );
  });

  it('calls a page listing the records of an earlier one a loop, even behind fresh cursors and unknown junk', () => {
    const err = walk(guard(), [
      { url: 'https://h/list', records: recs(1) },
      { url: 'https://h/list?cursor=c2&zz=1', records: recs(2) },
      { url: 'https://h/list?cursor=c3&zz=2', records: recs(2) },
    ]);
    expect(err).toMatchObject({ code: 'VENDOR_PAGING_LOOP' });
    expect(err?.message).toContain('page 3 lists exactly the records of page 2');
  });

  it('stops after maxPages pages with VENDOR_TOO_MANY_PAGES naming the budget and its setting', () => {
    const pages = Array.from({ length: 6 }, (_, i) => ({ url: `https://h/l?page=${i + 1}`, records: recs(i) }));
    const g = guard(5);
    const err = walk(g, pages);
    expect(err).toMatchObject({ code: 'VENDOR_TOO_MANY_PAGES' });
    expect(err?.message).toBe('webex: GET https://h/list: still more pages after 5 (the VENDOR_MAX_PAGES budget); stopped reading');
    expect(g.pages).toBe(5);
    expect(walk(guard(5), pages.slice(0, 5))).toBeNull();
  });
});

describe('HttpJson.paginate with budgets', () => {
  let server: LoopbackServer;
  let handler: (url: URL, res: ServerResponse) => void;
  let seen: string[];
  beforeEach(async () => {
    seen = [];
    server = await startLoopbackServer((req: IncomingMessage, res) => {
      seen.push(req.url ?? '');
      handler(new URL(req.url ?? '/', server.url), res);
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const Page = z.object({ items: z.array(z.object({ id: z.string() })) });
  const answer = (res: ServerResponse, items: { id: string }[], next: string | null): void => {
    res.writeHead(200, { 'content-type': 'application/json', ...(next === null ? {} : { link: `<${next}>; rel="next"` }) });
    res.end(JSON.stringify({ items }));
  };
  const drain = async (h: HttpJson, url: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const p of h.paginate({ url, schema: Page })) ids.push(...p.data.items.map((i) => i.id));
    return ids;
  };
  const http = (maxPages?: number) => new HttpJson({ vendor: 'webex', fetch: globalThis.fetch, ...(maxPages === undefined ? {} : { maxPages }) });

  it('stops a Link loop whose URL only gains a junk `_` parameter without reading the page again', async () => {
    let junk = 0;
    handler = (url, res) => answer(res, [{ id: url.searchParams.get('cursor') ?? 'first' }], `/list?cursor=abc&_=${++junk}`);
    const err = await caughtVendorError(drain(http(), `${server.url}/list?cursor=abc`));
    expect(err.code).toBe('VENDOR_PAGING_LOOP');
    expect(seen).toEqual(['/list?cursor=abc']);
  });

  it('stops endless paging after maxPages requests, never yielding more', async () => {
    let n = 0;
    handler = (_url, res) => {
      n++;
      answer(res, [{ id: `p${n}` }], `/list?cursor=c${n}`);
    };
    const ids: string[] = [];
    const walkAll = async (): Promise<void> => {
      for await (const p of http(50).paginate({ url: `${server.url}/list`, schema: Page })) ids.push(...p.data.items.map((i) => i.id));
    };
    expect((await caughtVendorError(walkAll())).code).toBe('VENDOR_TOO_MANY_PAGES');
    expect(seen).toHaveLength(50);
    expect(ids).toHaveLength(50);
  });

  it('never yields a page that repeats an earlier one behind a fresh cursor', async () => {
    let n = 0;
    handler = (_url, res) => answer(res, [{ id: 'same' }], `/list?cursor=c${++n}`);
    const ids: string[] = [];
    const walkAll = async (): Promise<void> => {
      for await (const p of http().paginate({ url: `${server.url}/list`, schema: Page })) ids.push(...p.data.items.map((i) => i.id));
    };
    expect((await caughtVendorError(walkAll())).code).toBe('VENDOR_PAGING_LOOP');
    expect(ids).toEqual(['same']);
  });

  it('walks real paging whose links carry a changing cache-buster next to the cursor', async () => {
    handler = (url, res) => {
      const page = Number(url.searchParams.get('cursor') ?? '1');
      answer(res, [{ id: `p${page}` }], page < 5 ? `/list?cursor=${page + 1}&_=${Math.random()}` : null);
    };
    expect(await drain(http(5), `${server.url}/list`)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });
});
