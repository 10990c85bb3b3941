/**
 * `record[key]` only when `key` is the record's own entry. Ids and names reach lookups from cards and chat;
 * a plain `record['__proto__']` or `record['constructor']` would answer Object.prototype or a function.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
