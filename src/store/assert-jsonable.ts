/**
 * Throws the TypeError JSON.stringify would throw for `value` (a BigInt anywhere, a circular reference, a
 * throwing toJSON), without building the JSON text. Used to refuse a big mutation up front, before it is
 * applied, while its text is only produced later, chunk by chunk, as it is written. Follows the steps of
 * JSON.stringify: toJSON first, then wrapper objects unwrapped, then arrays by index and objects by their
 * own enumerable string keys; functions, symbols and undefined are skipped as it skips them.
 */
export function assertJsonable(value: unknown): void {
  walk({ '': value }, '', []);
}

function walk(holder: object, key: string, stack: object[]): void {
  let value: unknown = (holder as Record<string, unknown>)[key];
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function')
      value = (toJSON as (this: unknown, key: string) => unknown).call(value, key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return;
  if (typeof value === 'bigint' || value instanceof BigInt)
    throw new TypeError('Do not know how to serialize a BigInt');
  if (typeof value !== 'object' || value === null) return;
  if (stack.includes(value)) throw new TypeError('Converting circular structure to JSON');
  stack.push(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value, String(i), stack);
  } else {
    for (const k of Object.keys(value)) walk(value, k, stack);
  }
  stack.pop();
}
