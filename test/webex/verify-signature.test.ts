import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifySignature } from '../../src/webex/verify-signature.js';
import { signBody } from '../../src/webex/sign-body.js';

const SECRET = 'verify-secret-0123456789abcdef';

describe('signBody', () => {
  it('computes the lowercase hex HMAC-SHA1 of the bytes (RFC 2202-style known answer)', () => {
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9',
    );
    expect(signBody(Buffer.from('The quick brown fox jumps over the lazy dog'), 'key')).toBe(
      'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9',
    );
  });
});

describe('verifySignature', () => {
  const body = Buffer.from('{"resource":"messages","event":"created","data":{"id":"x"}}');

  it('accepts the signature of the exact bytes under any configured secret', () => {
    expect(verifySignature(body, signBody(body, SECRET), [SECRET])).toBe(true);
    expect(verifySignature(body, signBody(body, SECRET), ['another-secret-0123456789', SECRET])).toBe(true);
  });

  it('rejects a missing, empty, truncated, uppercase or non-hex header', () => {
    const good = signBody(body, SECRET);
    for (const h of [
      undefined,
      '',
      good.slice(0, 39),
      good.toUpperCase(),
      `${good}00`,
      'z'.repeat(40),
      `sha1=${good}`,
    ]) {
      expect(verifySignature(body, h, [SECRET])).toBe(false);
    }
  });

  it('rejects a signature made with another secret, and any signature when no secret is configured', () => {
    expect(verifySignature(body, signBody(body, 'other-secret-0123456789'), [SECRET])).toBe(false);
    expect(verifySignature(body, signBody(body, SECRET), [])).toBe(false);
    expect(verifySignature(body, signBody(body, ''), [''])).toBe(false);
  });

  it('rejects the signature of any other body (one changed byte is enough)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, pos) => {
        const raw = Buffer.from(bytes);
        const sig = signBody(raw, SECRET);
        const tampered = Buffer.from(raw);
        const i = pos % tampered.length;
        tampered[i] = (tampered[i]! + 1) % 256;
        return verifySignature(raw, sig, [SECRET]) && !verifySignature(tampered, sig, [SECRET]);
      }),
    );
  });
});
