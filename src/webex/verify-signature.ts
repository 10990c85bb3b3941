import { timingSafeEqual } from 'node:crypto';
import { signBody } from './sign-body.js';

const HEX_SHA1 = /^[0-9a-f]{40}$/;

/**
 * True when `header` is the lowercase hex HMAC-SHA1 of the raw request bytes under any of `secrets`
 * (several allowed so a secret can be rotated). Compared in constant time after a length check.
 */
export function verifySignature(
  raw: Buffer,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (header === undefined || !HEX_SHA1.test(header)) return false;
  const given = Buffer.from(header, 'utf8');
  let ok = false;
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = Buffer.from(signBody(raw, secret), 'utf8');
    // Evaluate every secret (no early exit) so timing does not reveal which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
