import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { VendorApiError } from '../../../../src/errors.js';
import { createZohoCrmLicensesClient } from '../../../../src/sync/vendors/zoho/zoho-crm-licenses.js';
import {
  createZohoTokenSource,
  type ZohoTokenSourceOptions,
} from '../../../../src/sync/vendors/zoho/zoho-token-source.js';
import { startZohoEmulator, type ZohoEmulator } from '../../../../src/sandbox/vendor-emulators/zoho-emulator.js';

let emu: ZohoEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  clock = fixedClock('2026-11-22T12:00:00Z');
  emu = await startZohoEmulator({ clock });
});
afterEach(async () => {
  await emu.close();
});

function source(o: Partial<ZohoTokenSourceOptions> = {}) {
  return createZohoTokenSource({
    accountsUrl: emu.url,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    refreshToken: emu.refreshToken,
    fetch: globalThis.fetch,
    clock,
    sleep: () => Promise.resolve(),
    ...o,
  });
}

function client(tokenSource: ReturnType<typeof source>) {
  return createZohoCrmLicensesClient({
    tokenSource,
    apiUrl: emu.url,
    fetch: globalThis.fetch,
    clock,
    sleep: () => Promise.resolve(),
  });
}

const tokenCalls = (): number => emu.requests.filter((r) => r.path === '/oauth/v2/token').length;
const apiCalls = (path: string): (string | null)[] =>
  emu.requests.filter((r) => r.path === path).map((r) => r.authorization);

async function failure(p: Promise<unknown>): Promise<VendorApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorApiError);
  const text = `${String(err)} ${JSON.stringify(err)}`;
  expect(text).not.toContain(emu.refreshToken);
  expect(text).not.toContain(emu.clientSecret);
  for (const r of emu.requests) {
    const token = r.authorization?.split(' ')[1];
    if (token !== undefined) expect(text).not.toContain(token);
  }
  return err as VendorApiError;
}

describe('Zoho token source', () => {
  it('refreshes with the refresh-token grant in a form body, keeping secrets out of the URL', async () => {
    const t = await source().getToken();
    expect(t.accessToken).toMatch(/^1000\./);
    expect(t.apiDomain).toBe(emu.url);
    const req = emu.requests.find((r) => r.path === '/oauth/v2/token');
    expect(req?.method).toBe('POST');
    expect(req?.query).toEqual({});
  });

  it('reuses the cached token across snapshots', async () => {
    const ts = source();
    const c = client(ts);
    await c.fetchSnapshot();
    await c.fetchSnapshot();
    expect(emu.tokensIssued).toBe(1);
    expect(new Set(apiCalls('/crm/v7/org')).size).toBe(1);
  });

  it('refreshes only once the token is within five minutes of expiry', async () => {
    const ts = source();
    const first = await ts.getToken();
    clock.advance(54 * 60_000);
    expect((await ts.getToken()).accessToken).toBe(first.accessToken);
    clock.advance(60_000);
    const second = await ts.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(emu.tokensIssued).toBe(2);
  });

  it('shares one refresh between concurrent callers', async () => {
    const ts = source();
    const tokens = await Promise.all([ts.getToken(), ts.getToken(), ts.getToken()]);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(tokenCalls()).toBe(1);
    const c1 = client(ts);
    const c2 = client(ts);
    ts.invalidate(tokens[0].accessToken);
    await Promise.all([c1.fetchSnapshot(), c2.fetchSnapshot()]);
    expect(tokenCalls()).toBe(2);
  });

  it('keeps a newer token when an older one is invalidated', async () => {
    const ts = source();
    const old = await ts.getToken();
    ts.invalidate(old.accessToken);
    const fresh = await ts.getToken();
    ts.invalidate(old.accessToken);
    expect((await ts.getToken()).accessToken).toBe(fresh.accessToken);
    expect(emu.tokensIssued).toBe(2);
  });

  it('on INVALID_TOKEN refreshes once and retries the call once', async () => {
    const ts = source();
    const c = client(ts);
    await c.fetchSnapshot();
    emu.expireAllTokens();
    const snap = await c.fetchSnapshot();
    expect(snap.assignments).toHaveLength(20);
    expect(emu.tokensIssued).toBe(2);
    const orgAuth = apiCalls('/crm/v7/org');
    expect(orgAuth).toHaveLength(3);
    expect(orgAuth[1]).toBe(orgAuth[0]);
    expect(orgAuth[2]).not.toBe(orgAuth[1]);
  });

  it('stops with VENDOR_AUTH when the refreshed token is refused too, without looping', async () => {
    const ts = source();
    const c = client(ts);
    emu.tokensRejected = true;
    const err = await failure(c.fetchSnapshot());
    expect(err.code).toBe('VENDOR_AUTH');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/data centre/);
    expect(emu.tokensIssued).toBe(2);
    expect(apiCalls('/crm/v7/org')).toHaveLength(2);
  });

  it('reports the HTTP-200 "Access Denied" cap answer as VENDOR_RATE_LIMITED and recovers later', async () => {
    const ts = source();
    emu.refreshCapReached = true;
    const err = await failure(ts.getToken());
    expect(err.code).toBe('VENDOR_RATE_LIMITED');
    expect(err.vendorCode).toBe('Access Denied');
    expect(err.message).toMatch(/too many requests/i);
    emu.refreshCapReached = false;
    expect((await ts.getToken()).accessToken).toMatch(/^1000\./);
  });

  it('is refused by the emulator after ten tokens in ten minutes', async () => {
    const ts = source();
    for (let i = 0; i < 10; i++) ts.invalidate((await ts.getToken()).accessToken);
    expect((await failure(ts.getToken())).code).toBe('VENDOR_RATE_LIMITED');
    clock.advance(10 * 60_000);
    expect((await ts.getToken()).accessToken).toMatch(/^1000\./);
  });

  it('reports a bad refresh token as VENDOR_AUTH naming the setting to check', async () => {
    const err = await failure(source({ refreshToken: '1000.not-the-right-refresh-token' }).getToken());
    expect(err.code).toBe('VENDOR_AUTH');
    expect(err.vendorCode).toBe('invalid_code');
    expect(err.message).toContain('ZOHO_REFRESH_TOKEN');
    expect(err.message).not.toContain('not-the-right-refresh-token');
  });

  it('reports bad client credentials as VENDOR_AUTH', async () => {
    const err = await failure(source({ clientSecret: 'wrong-secret-value' }).getToken());
    expect(err.code).toBe('VENDOR_AUTH');
    expect(err.message).toContain('ZOHO_CLIENT_SECRET');
    expect(err.message).not.toContain('wrong-secret-value');
  });

  it('fails a snapshot without touching the API when the token cannot be had', async () => {
    emu.refreshCapReached = true;
    const err = await failure(client(source()).fetchSnapshot());
    expect(err.code).toBe('VENDOR_RATE_LIMITED');
    expect(emu.requests.filter((r) => r.path.startsWith('/crm/'))).toEqual([]);
  });
});
