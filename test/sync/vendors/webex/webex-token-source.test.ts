import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { createWebexTokenSource, type WebexTokenSourceOptions } from '../../../../src/sync/vendors/webex/webex-token-source.js';
import type { PersistedSecret } from '../../../../src/sync/http/persisted-secret.js';
import { caughtVendorError } from '../../../support/caught-vendor-error.js';

let emu: WebexLicensesEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  clock = fixedClock('2026-11-22T12:00:00Z');
  emu = await startWebexLicensesEmulator({ clock, tokenLifetimeSec: 3600 });
});
afterEach(async () => {
  await emu.close();
});

/** A PersistedSecret in memory, recording what was saved. */
function memorySecret(initial: string | null = null): PersistedSecret & { saved: string[] } {
  let value = initial;
  const saved: string[] = [];
  return {
    saved,
    load: () => Promise.resolve(value),
    save: (s) => {
      value = s;
      saved.push(s);
      return Promise.resolve();
    },
  };
}

function source(o: Partial<WebexTokenSourceOptions> = {}) {
  return createWebexTokenSource({
    apiUrl: emu.url,
    clientId: emu.tokens.clientId,
    clientSecret: emu.tokens.clientSecret,
    refreshToken: emu.tokens.refreshToken,
    fetch: globalThis.fetch,
    clock,
    sleep: () => Promise.resolve(),
    ...o,
  });
}

const tokenCalls = (): number => emu.requests.filter((r) => r.url === '/v1/access_token').length;

/** Every credential the emulator knows of now or handed out before. */
function secretsIn(text: string, extra: readonly string[] = []): string[] {
  return [emu.tokens.clientSecret, emu.tokens.refreshToken, ...emu.tokens.liveRefreshTokens(), ...extra].filter((s) => text.includes(s));
}

describe('Webex token source', () => {
  it('refreshes with the refresh-token grant in a form body at {api}/access_token, keeping secrets out of the URL', async () => {
    const token = await source().getToken();
    expect(token).toMatch(/^wx-at-/);
    expect(emu.requests.filter((r) => r.url.startsWith('/v1/access_token')).map((r) => [r.method, r.url, r.status])).toEqual([['POST', '/v1/access_token', 200]]);
  });

  it('caches the access token until shortly before expires_in, then refreshes', async () => {
    const ts = source({ refreshMarginMs: 5 * 60_000 });
    const first = await ts.getToken();
    clock.advance(54 * 60_000);
    expect(await ts.getToken()).toBe(first);
    clock.advance(60_000 + 1);
    expect(await ts.getToken()).not.toBe(first);
    expect(tokenCalls()).toBe(2);
  });

  it('keeps a short-lived token for at least half its lifetime, whatever the margin', async () => {
    const short = await startWebexLicensesEmulator({ clock, tokenLifetimeSec: 60 });
    try {
      const ts = createWebexTokenSource({ apiUrl: short.url, clientId: short.tokens.clientId, clientSecret: short.tokens.clientSecret, refreshToken: short.tokens.refreshToken, fetch: globalThis.fetch, clock });
      const first = await ts.getToken();
      clock.advance(29_000);
      expect(await ts.getToken()).toBe(first);
      clock.advance(2_000);
      expect(await ts.getToken()).not.toBe(first);
      expect(short.tokens.tokensIssued).toBe(2);
    } finally {
      await short.close();
    }
  });

  it('shares one refresh between concurrent callers', async () => {
    const ts = source();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => ts.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokenCalls()).toBe(1);
    expect(ts.stats).toMatchObject({ refreshes: 1, requests: 1 });
  });

  it('after a 401, invalidate drops only the refused token; callers then share one new refresh', async () => {
    const ts = source();
    const old = await ts.getToken();
    ts.invalidate(old);
    const fresh = await Promise.all([ts.getToken(), ts.getToken(), ts.getToken()]);
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(old);
    ts.invalidate(old); // late 401 of a request that still carried the old token: the new one stays
    expect(await ts.getToken()).toBe(fresh[0]);
    expect(tokenCalls()).toBe(2);
  });

  it('uses the rotated refresh token for the next refresh and saves it', async () => {
    const persisted = memorySecret();
    const ts = source({ persisted });
    const first = await ts.getToken();
    ts.invalidate(first);
    await ts.getToken();
    // The emulator retires each refresh token on use: the second refresh only worked with the rotated one.
    expect(emu.tokens.refreshesRefused).toBe(0);
    expect(persisted.saved).toHaveLength(2);
    expect(emu.tokens.liveRefreshTokens()).toEqual([persisted.saved[1]]);
    expect(persisted.saved).not.toContain(emu.tokens.refreshToken);
  });

  it('starts from a saved refresh token when there is one', async () => {
    emu.tokens.revokeRefreshTokens(); // the configured one is dead: only the saved one works
    const persisted = memorySecret(emu.tokens.issueRefreshToken());
    await source({ persisted }).getToken();
    expect(emu.tokens.refreshesRefused).toBe(0);
  });

  it('falls back to the configured refresh token when the saved one cannot be read', async () => {
    const broken: PersistedSecret = { load: () => Promise.reject(new Error('disk on fire')), save: () => Promise.resolve() };
    expect(await source({ persisted: broken }).getToken()).toMatch(/^wx-at-/);
  });

  it('a refused refresh token is VENDOR_AUTH naming WEBEX_LICENSES_REFRESH_TOKEN, with no secret in it', async () => {
    emu.tokens.revokeRefreshTokens();
    const err = await caughtVendorError(source().getToken());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 400, vendorCode: 'invalid_grant' });
    expect(err.message).toBe(
      `webex: Webex refused the refresh token (invalid_grant): create a new one and set WEBEX_LICENSES_REFRESH_TOKEN (trackingId ${err.trackingId})`,
    );
    expect(secretsIn(`${err.message} ${String((err.cause as Error).message)} ${JSON.stringify(err)}`)).toEqual([]);
  });

  it('says when the refused refresh token was one Webex rotated earlier', async () => {
    const ts = source();
    ts.invalidate(await ts.getToken());
    emu.tokens.revokeRefreshTokens();
    const err = await caughtVendorError(ts.getToken());
    expect(err.message).toMatch(/invalid_grant, the rotated one Webex issued after WEBEX_LICENSES_REFRESH_TOKEN\): create a new one and set WEBEX_LICENSES_REFRESH_TOKEN/);
  });

  it('refused client credentials name the client keys', async () => {
    const err = await caughtVendorError(source({ clientSecret: 'not-the-client-secret-9999' }).getToken());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH', status: 401, vendorCode: 'invalid_client' });
    expect(err.message).toMatch(/check WEBEX_LICENSES_CLIENT_ID and WEBEX_LICENSES_CLIENT_SECRET/);
    expect(err.message).not.toContain('not-the-client-secret-9999');
  });

  it('scrubs the form body a failing token endpoint echoes back', async () => {
    emu.faults.set({ echoRequestBody: { count: 1 } });
    const err = await caughtVendorError(source().getToken());
    expect(err.code).toBe('VENDOR_AUTH');
    const text = `${err.message} ${String((err.cause as Error).message)} ${JSON.stringify(err)}`;
    expect(text).toContain('[redacted]');
    expect(secretsIn(text)).toEqual([]);
  });

  it('retries a token endpoint answering 500, and leaves a lasting outage as the transient error it is', async () => {
    emu.faults.set({ status500: 1 });
    expect(await source().getToken()).toMatch(/^wx-at-/);
    emu.faults.set({ status500: 10 });
    const err = await caughtVendorError(source({ maxAttempts: 2 }).getToken());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500 });
  });
});
