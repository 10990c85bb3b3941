import { createHash } from 'node:crypto';

/**
 * The one text of a JSON value: object keys sorted (by UTF-16 code units, as Array#sort), two-space
 * indent, a final newline; values JSON drops (undefined, functions) are dropped. Two ledgers are equal
 * exactly when their canonical texts are, whatever order their records were written in.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const json: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return sortKeys((json as () => unknown).call(value));
  if (Array.isArray(value)) return value.map(sortKeys);
  const out = Object.create(null) as Record<string, unknown>; // a key "__proto__" stays a key
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
