/**
 * Whether a redirect or next link from `from` may be followed to `to` with the request's headers (credentials):
 * same origin always (never from https down to http); another origin only over https and only to a host on
 * `allowedHostSuffixes` (the vendor's own cloud, e.g. behind a proxy base: '.meraki.com' matches any subdomain,
 * 'webexapis.com' that host exactly). Credentials never travel in cleartext to another host.
 */
export function isTrustedTarget(from: URL, to: URL, allowedHostSuffixes: readonly string[] | undefined): boolean {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
  if (from.protocol === 'https:' && to.protocol === 'http:') return false;
  if (from.origin === to.origin) return true;
  if (to.protocol !== 'https:') return false;
  const host = to.hostname.toLowerCase();
  return (allowedHostSuffixes ?? []).some((suffix) => {
    const s = suffix.toLowerCase();
    return s.startsWith('.') ? host.endsWith(s) : host === s;
  });
}
