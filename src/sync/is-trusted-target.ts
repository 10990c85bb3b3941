/** Same origin always; another origin only on an allowed host and never from https down to http. */
export function isTrustedTarget(from: URL, to: URL, allowedHostSuffixes: readonly string[] | undefined): boolean {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
  if (from.protocol === 'https:' && to.protocol === 'http:') return false;
  if (from.origin === to.origin) return true;
  const host = to.hostname.toLowerCase();
  return (allowedHostSuffixes ?? []).some((suffix) => {
    const s = suffix.toLowerCase();
    return s.startsWith('.') ? host.endsWith(s) : host === s;
  });
}
