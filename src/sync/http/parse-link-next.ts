/**
 * The `rel=next` target of an RFC 8288 `Link` header, resolved against the request URL.
 * Accepts quoted (`rel="next"`, Webex) and unquoted (`rel=next`, Meraki) forms, several rel values
 * (`rel="next last"`), any order of links and commas inside the `<…>` URL.
 * Returns null when there is no next link. Throws a TypeError when the next link is not a URL.
 */
export function parseLinkNext(link: string | null, requestUrl: string): string | null {
  if (link === null || link.trim() === '') return null;
  const entry = /<([^>]*)>([^<]*)/g;
  for (let m = entry.exec(link); m !== null; m = entry.exec(link)) {
    const target = m[1] ?? '';
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (values.includes('next')) return new URL(target.trim(), requestUrl).toString();
  }
  return null;
}
