import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../../src/log.js';
import { HttpJson } from '../../../src/sync/http/http-json.js';
import { scrubSecrets } from '../../../src/sync/http/scrub-secrets.js';
import { secretsOf } from '../../../src/sync/http/secrets-of.js';
import { caughtVendorError } from '../../support/caught-vendor-error.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/start-loopback-server.js';

const CLIENT_SECRET = 'cs+SECRET/with=odd chars-0123456789';
const REFRESH = '1000.refresh0000.token1111';

describe('secretsOf', () => {
  it('collects sensitive headers, query parameters, form fields, JSON fields and the known list, also encoded', () => {
    const form = secretsOf({
      url: 'https://h/t?client_id=abc123&code=AUTHCODE-1&page=2',
      headers: { authorization: 'Bearer TOKEN-123', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_secret: CLIENT_SECRET, refresh_token: REFRESH }),
    }, ['KNOWN-KEY-1']);
    for (const s of ['Bearer TOKEN-123', 'TOKEN-123', 'AUTHCODE-1', CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET), 'cs%2BSECRET%2Fwith%3Dodd+chars-0123456789', REFRESH, 'KNOWN-KEY-1']) {
      expect(form, s).toContain(s);
    }
    expect(form).not.toContain('abc123');
    expect(form).not.toContain('refresh_token');

    expect(secretsOf({ url: 'https://h', body: `client_secret=${encodeURIComponent(CLIENT_SECRET)}&x=1` })).toContain(CLIENT_SECRET);
    const json = secretsOf({ url: 'https://h', body: JSON.stringify({ user: 'ann', auth: { password: 'hunter22', api_key: 'k-9999' } }) });
    expect(json).toEqual(expect.arrayContaining(['hunter22', 'k-9999']));
    expect(json).not.toContain('ann');
  });
});

describe('scrubSecrets', () => {
  it('blanks known secrets, then any value of a sensitive form or JSON pair, and bearer tokens', () => {
    const text = `echo: grant_type=refresh_token&client_secret=${CLIENT_SECRET}&refresh_token=unknown-refresh&page=2 {"access_token":"at-123","scope":"x"} Authorization: Bearer abc.def.ghi`;
    const out = scrubSecrets(text, secretsOf({ url: 'https://h', body: new URLSearchParams({ client_secret: CLIENT_SECRET }) }));
    expect(out).toBe(
      'echo: grant_type=refresh_token&client_secret=[redacted]&refresh_token=[redacted]&page=2 {"access_token":"[redacted]","scope":"x"} Authorization: Bearer [redacted]',
    );
  });

  it('leaves ordinary error text alone', () => {
    for (const text of ['token refresh refused (invalid_code): check ZOHO_REFRESH_TOKEN', 'GET https://h/v1/licenses answered HTTP 500 (trackingId ROUTER_1)', 'limit=100 is too large']) {
      expect(scrubSecrets(text)).toBe(text);
    }
  });
});

describe('HttpJson with an echoing server', () => {
  let server: LoopbackServer;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  beforeEach(async () => {
    server = await startLoopbackServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => handler(req, res, body));
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('keeps a form body echoed back (even cut at 200 characters right inside a secret) out of the error and the logs', async () => {
    handler = (req, res, body) => {
      res.writeHead(req.url === '/retry' ? 503 : 400, { 'content-type': 'text/plain' });
      // The padding puts the 200-character cut of the error text in the middle of the client secret.
      res.end(`${'x'.repeat(160)} you sent: ${body}`);
    };
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    const http = new HttpJson({ vendor: 'zoho_crm', fetch: globalThis.fetch, logger, sleep: () => Promise.resolve(), maxAttempts: 2 });
    for (const path of ['/token', '/retry']) {
      const err = await caughtVendorError(
        http.request({ url: `${server.url}${path}`, method: 'POST', body: new URLSearchParams({ client_secret: CLIENT_SECRET, refresh_token: REFRESH }), schema: z.unknown() }),
      );
      const everything = `${err.message} ${JSON.stringify(err)} ${lines.join('')}`;
      for (const s of [CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET), 'cs%2BSECRET', REFRESH, REFRESH.slice(0, 10)]) expect(everything).not.toContain(s);
      expect(err.message).toMatch(/you sent: client_secret=\[redac/);
    }
  });

  it('keeps a secret of the known list out of a JSON error answer', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'key KNOWN-KEY-0000 is not valid for org 1' }));
    };
    const http = new HttpJson({ vendor: 'meraki', fetch: globalThis.fetch, knownSecrets: ['KNOWN-KEY-0000'] });
    const err = await caughtVendorError(http.request({ url: `${server.url}/x`, schema: z.unknown() }));
    expect(err.message).toBe(`meraki: GET ${server.url}/x answered HTTP 401: key [redacted] is not valid for org 1`);
  });
});
