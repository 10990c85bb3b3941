import { createHmac } from 'node:crypto';

/** Lowercase hex HMAC-SHA1 of the exact bytes, as Webex sends in `X-Spark-Signature`. */
export function signBody(raw: Buffer | string, secret: string): string {
  return createHmac('sha1', secret).update(raw).digest('hex');
}
