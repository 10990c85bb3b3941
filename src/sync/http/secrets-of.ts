import { isSensitiveName } from './is-sensitive-name.js';

/** Shortest value treated as a secret: shorter ones would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

/**
 * Values that must never show up in an error message, a log line or a stored sync error: sensitive headers
 * (also without their `Bearer ` scheme), sensitive query parameters, sensitive fields of a form or JSON body,
 * and `known` (the connection's configured credentials). Each also in its URL-, form- and JSON-escaped form,
 * since an echoing server may hand them back encoded. Longest first, so a secret is blanked before its parts.
 */
export function secretsOf(
  req: { url: string; headers?: Record<string, string>; body?: string | URLSearchParams },
  known: readonly string[] = [],
): string[] {
  const raw: string[] = [...known];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!isSensitiveName(name)) continue;
    raw.push(value);
    const parts = value.split(/\s+/);
    if (parts.length > 1) raw.push(parts.slice(1).join(' '));
  }
  try {
    raw.push(...sensitiveParams(new URL(req.url).searchParams));
  } catch {
    // not a URL: nothing to collect; fetch reports it as a network error
  }
  if (req.body instanceof URLSearchParams) raw.push(...sensitiveParams(req.body));
  else if (typeof req.body === 'string') raw.push(...sensitiveInText(req.body));
  const out = new Set<string>();
  for (const s of raw) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    out.add(s);
    out.add(encodeURIComponent(s));
    out.add(new URLSearchParams({ s }).toString().slice(2));
    out.add(JSON.stringify(s).slice(1, -1));
  }
  return [...out].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function sensitiveParams(params: URLSearchParams): string[] {
  return [...params].filter(([name]) => isSensitiveName(name)).map(([, value]) => value);
}

/** A string body: JSON (every string under a sensitive key, at any depth) or else a form. */
function sensitiveInText(body: string): string[] {
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const out: string[] = [];
      collect(JSON.parse(text), false, out);
      return out;
    } catch {
      // not JSON after all: read it as a form below
    }
  }
  return sensitiveParams(new URLSearchParams(text));
}

function collect(value: unknown, sensitive: boolean, out: string[]): void {
  if (typeof value === 'string') {
    if (sensitive) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, sensitive, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) collect(v, sensitive || isSensitiveName(k), out);
  }
}
