import { describe, expect, it } from 'vitest';
import { assertJsonable } from '../../src/store/assert-jsonable.js';

/** What JSON.stringify itself does with a value: the error message, or null when it serialises. */
function stringifyError(value: unknown): string | null {
  try {
    JSON.stringify(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function walkError(value: unknown): string | null {
  try {
    assertJsonable(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const cycle: Record<string, unknown> = { a: 1 };
cycle.back = [{ to: cycle }];
const shared = { n: 1 };
const throwingGetter = Object.defineProperty({}, 'boom', {
  enumerable: true,
  get() {
    throw new Error('getter failed');
  },
});
const hiddenBigInt = Object.defineProperty({ ok: true }, 'hidden', { enumerable: false, value: 1n });

const cases: [string, unknown, boolean][] = [
  ['a plain record', { id: 'x', n: 1, list: [1, 'a', null, true], nested: { deep: { deeper: [] } } }, false],
  ['a BigInt at the top', 5n, true],
  ['a BigInt deep in an object', { a: { b: [{ c: 1n }] } }, true],
  ['a BigInt in an array', [1, 2n], true],
  ['a boxed BigInt', { v: Object(3n) as unknown }, true],
  ['a circular structure', cycle, true],
  ['the same object twice, not circular', { x: shared, y: [shared, shared] }, false],
  ['a Date (toJSON)', { at: new Date(0) }, false],
  [
    'a toJSON that throws',
    {
      v: {
        toJSON: () => {
          throw new Error('no json');
        },
      },
    },
    true,
  ],
  ['a toJSON returning a BigInt', { v: { toJSON: () => 1n } }, true],
  ['a toJSON that hides a BigInt', { v: { big: 1n, toJSON: () => 'fine' } }, false],
  [
    'undefined, functions and symbols (skipped)',
    { u: undefined, f: () => 1n, s: Symbol('s'), [Symbol('k')]: 1n },
    false,
  ],
  ['a non-enumerable BigInt (skipped)', hiddenBigInt, false],
  ['a Map holding a BigInt (serialised as {})', { m: new Map([['k', 1n]]) }, false],
  ['an enumerable getter that throws', throwingGetter, true],
  [
    'boxed primitives',
    { n: Object(1) as unknown, s: Object('s') as unknown, b: Object(true) as unknown },
    false,
  ],
];

describe('assertJsonable', () => {
  it.each(cases)('agrees with JSON.stringify on %s', (_name, value, throws) => {
    const expected = stringifyError(value);
    expect(expected !== null).toBe(throws);
    const got = walkError(value);
    expect(got !== null).toBe(throws);
    if (expected !== null && got !== null) {
      // Same kind of failure (the message wording of V8's own errors is not copied word for word).
      const kind = (m: string): string =>
        /BigInt/.test(m) ? 'bigint' : /circular/i.test(m) ? 'circular' : m;
      expect(kind(got)).toBe(kind(expected));
    }
  });
});
