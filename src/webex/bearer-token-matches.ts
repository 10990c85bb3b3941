import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(.+?)[ \t]*$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when an `Authorization` header carries `Bearer <token>`. Both sides are hashed to equal-length digests
 * and compared in constant time, so neither the length nor a matching prefix shows in the timing.
 */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const given = BEARER.exec(header ?? '')?.[1];
  if (given === undefined || token === '') return false;
  return timingSafeEqual(digest(given), digest(token));
}
