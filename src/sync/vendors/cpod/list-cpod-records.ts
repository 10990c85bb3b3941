import type { z } from 'zod';
import { VendorApiError } from '../../../errors.js';
import type { HttpJson } from '../../http/http-json.js';
import { CpodListPage, CpodSoftDeleted } from './cpod-schemas.js';

const VENDOR = 'cpod';

/*
 * cPod's list envelope and paging are undocumented (vendor-apis.md 4). Accepted here:
 *   body: a bare array, or an object with the records in `items`, `data` or `results`;
 *   next page: a `Link: <url>; rel="next"` header, else `next` / `next_cursor` / `nextCursor` / `next_page_token` /
 *   `nextPageToken` in the envelope, holding either a URL (absolute or /relative) or an opaque cursor, which is sent
 *   back as `?cursor=` on the first page's URL. `has_more: false` ends paging even if a cursor is present.
 * Next URLs must stay on the configured origin (the bearer token goes with them). The walk has the client's
 * page budget and loop check (HttpJson.startWalk): a cursor that leads back, or a page that repeats, is a loop.
 */
const NEXT_KEYS = ['next', 'next_cursor', 'nextCursor', 'next_page_token', 'nextPageToken'] as const;

/** Where and how one client lists: the API root (ending in '/'), its bearer token and the page size asked for. */
export interface CpodListTarget {
  base: URL;
  token: string;
  pageSize: number;
}

function schemaError(message: string): VendorApiError {
  return new VendorApiError(VENDOR, 'VENDOR_SCHEMA', message);
}

function recordsOf(data: CpodListPage, where: string): unknown[] {
  if (Array.isArray(data)) return data;
  for (const k of ['items', 'data', 'results']) {
    const v = data[k];
    if (Array.isArray(v)) return v as unknown[];
  }
  throw schemaError(`${where} answered an object without an items, data or results array`);
}

function envelopeNext(data: CpodListPage): string | null {
  if (Array.isArray(data) || data['has_more'] === false || data['hasMore'] === false) return null;
  for (const k of NEXT_KEYS) {
    const v = data[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

/** Every record of every page, by id (a record seen twice while the list shifts is kept once, last wins). */
export async function listCpodRecords<T extends { id: string }>(
  http: HttpJson,
  target: CpodListTarget,
  path: string,
  schema: z.ZodType<T>,
  signal?: AbortSignal,
): Promise<T[]> {
  const { base, token, pageSize } = target;
  const first = new URL(path, base);
  first.searchParams.set('limit', String(pageSize));
  const walk = http.startWalk(`GET ${first.origin}${first.pathname}`);
  const out = new Map<string, T>();
  let url = first.toString();
  for (let page = 1; ; page++) {
    const res = await http.request({
      url,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      schema: CpodListPage,
      ...(signal === undefined ? {} : { signal }),
    });
    const where = `GET ${first.pathname} page ${page}`;
    const records = recordsOf(res.data, where);
    walk.read(url, records);
    records.forEach((raw, i) => {
      const head = CpodSoftDeleted.safeParse(raw);
      if (head.success && head.data.is_deleted === true) return;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at =
          issue === undefined ? '' : ` at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
        const which = head.success ? ` (id ${head.data.id.slice(0, 60)})` : '';
        throw schemaError(`${where}: record ${i}${which} is invalid${at}`);
      }
      out.set(parsed.data.id, parsed.data);
    });
    const cursor = res.next ?? envelopeNext(res.data);
    if (cursor === null) return [...out.values()];
    let next: URL;
    if (/^(https?:)?\//i.test(cursor)) next = new URL(cursor, url);
    else {
      next = new URL(first);
      next.searchParams.set('cursor', cursor);
    }
    if (next.origin !== base.origin)
      throw new VendorApiError(VENDOR, 'VENDOR_BAD_LINK', `${where}: next page on another host ${next.host}`);
    walk.follow(next.toString());
    url = next.toString();
  }
}
