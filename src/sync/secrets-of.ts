const SENSITIVE_NAME = /auth|token|key|secret|password|signature|cookie|code/i;

/** Values that must never show up in an error message or a log line. */
export function secretsOf(req: { url: string; headers?: Record<string, string> }): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!SENSITIVE_NAME.test(name)) continue;
    out.push(value);
    const parts = value.split(/\s+/);
    if (parts.length > 1) out.push(parts.slice(1).join(' '));
  }
  try {
    for (const [name, value] of new URL(req.url).searchParams) if (SENSITIVE_NAME.test(name)) out.push(value);
  } catch {
    // not a URL: nothing to collect; fetch reports it as a network error
  }
  return out.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}
