import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, type HealthReport } from '../../src/webex/receiver.js';
import { bearerTokenMatches } from '../../src/webex/bearer-token-matches.js';
import { capturingLogger, type LogRecord } from '../support/fake-webex-harness.js';

const TOKEN = 'health-token-0123456789abcdef';

/** What main.ts reports: everything an outsider must not see. */
const DETAILS = {
  mode: 'live',
  startedAt: '2026-11-02T08:00:00.000Z',
  process: { pid: 4242, uptimeSeconds: 17, rssBytes: 181_000_000 },
  store: { ok: true, file: '/srv/license-bot/data/ledger.json', lastError: null },
  sync: {
    running: false,
    lastRuns: [
      {
        vendor: 'meraki',
        apiUrl: 'https://api.meraki.com/api/v1',
        orgId: '549236',
        tenantId: 'tenant-7781',
        error: 'meraki: 401 Invalid API key a1b2c3',
      },
    ],
  },
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(
  health: () => HealthReport | Promise<HealthReport>,
  healthToken?: string | null,
): Promise<{ origin: string; logs: LogRecord[] }> {
  const { logger, logs } = capturingLogger();
  const receiver = createReceiver({
    path: '/webex/webhook',
    secrets: ['receiver-secret-0123456789abcdef'],
    logger,
    onEvent: () => Promise.resolve(),
    health,
    ...(healthToken === undefined ? {} : { healthToken }),
  });
  const server: Server = createServer(receiver.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs };
}

async function healthz(
  origin: string,
  authorization?: string,
): Promise<{ status: number; text: string; cacheControl: string | null }> {
  const res = await fetch(`${origin}/healthz`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: res.status, text: await res.text(), cacheControl: res.headers.get('cache-control') };
}

/** Nothing from DETAILS may leak into a public answer. */
function expectMinimal(text: string, status: 'ok' | 'degraded'): void {
  expect(JSON.parse(text)).toEqual({ status });
  for (const secret of [
    '4242',
    'pid',
    '/srv',
    'ledger.json',
    'https://',
    '549236',
    'tenant',
    'Invalid API key',
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('GET /healthz on the public port', () => {
  it('answers anyone with exactly {status}: 200 ok, 503 degraded, never the details', async () => {
    let status: 'ok' | 'degraded' = 'ok';
    const r = await start(() => ({ status, ...DETAILS }), TOKEN);
    const ok = await healthz(r.origin);
    expect(ok.status).toBe(200);
    expect(ok.cacheControl).toBe('no-store');
    expectMinimal(ok.text, 'ok');
    status = 'degraded';
    const degraded = await healthz(r.origin);
    expect(degraded.status).toBe(503);
    expectMinimal(degraded.text, 'degraded');
  });

  it('answers a wrong or malformed token with the same minimal answer (not 401), and logs why', async () => {
    const r = await start(() => ({ status: 'ok', ...DETAILS }), TOKEN);
    for (const auth of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      TOKEN,
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      const res = await healthz(r.origin, auth);
      expect(res.status).toBe(200);
      expectMinimal(res.text, 'ok');
    }
    const refused = r.logs.filter(
      (l) => l.msg === 'healthz: details refused, answered the public status only',
    );
    expect(refused.length).toBe(5);
    expect(refused[0]?.reason).toBe('token does not match');
    expect(JSON.stringify(r.logs)).not.toContain(TOKEN);
  });

  it('serves the details to the right bearer token (scheme case-insensitive)', async () => {
    const r = await start(() => ({ status: 'ok', ...DETAILS }), TOKEN);
    for (const auth of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const res = await healthz(r.origin, auth);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ status: 'ok', ...DETAILS });
    }
  });

  it('never serves the details when no HEALTH_TOKEN is configured, whatever is sent', async () => {
    const r = await start(() => ({ status: 'ok', ...DETAILS }), null);
    for (const auth of [undefined, `Bearer ${TOKEN}`, 'Bearer ', 'Bearer null', 'Bearer undefined']) {
      expectMinimal((await healthz(r.origin, auth)).text, 'ok');
    }
    expect(r.logs.some((l) => l.reason === 'HEALTH_TOKEN is not set')).toBe(true);
  });

  it('counts a report without an ok status as degraded', async () => {
    const r = await start(() => ({ store: 'fine?' }), TOKEN);
    const res = await healthz(r.origin);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toEqual({ status: 'degraded' });
  });

  it('answers a failing health check with 503 degraded: the error only in the log, its code only to the token', async () => {
    const r = await start(
      () => Promise.reject(new Error('EACCES: /srv/license-bot/data/ledger.json')),
      TOKEN,
    );
    const anon = await healthz(r.origin);
    expect(anon.status).toBe(503);
    expectMinimal(anon.text, 'degraded');
    const detailed = await healthz(r.origin, `Bearer ${TOKEN}`);
    expect(detailed.status).toBe(503);
    expect(JSON.parse(detailed.text)).toEqual({
      status: 'degraded',
      error: { code: 'HEALTH_CHECK_FAILED', message: expect.any(String) },
    });
    expect(detailed.text).not.toContain('/srv');
    expect(r.logs.some((l) => l.msg === 'health check failed' && l.err?.message?.includes('EACCES'))).toBe(
      true,
    );
  });
});

describe('bearerTokenMatches', () => {
  it('matches only `Bearer <token>` exactly, and never an empty token', () => {
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`BEARER  ${TOKEN} `, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`Bearer ${TOKEN} extra`, TOKEN)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${TOKEN.toUpperCase()}`, TOKEN)).toBe(false);
    expect(bearerTokenMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerTokenMatches(undefined, TOKEN)).toBe(false);
    expect(bearerTokenMatches('Bearer ', '')).toBe(false);
    expect(bearerTokenMatches('Bearer x', '')).toBe(false);
  });
});
