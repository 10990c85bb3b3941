import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { fixedClock } from '../../../src/clock.js';
import { createLogger } from '../../../src/log.js';
import { HttpJson } from '../../../src/sync/http/http-json.js';
import type { HttpJsonOptions } from '../../../src/sync/http/http-json-types.js';
import { parseLinkNext } from '../../../src/sync/http/parse-link-next.js';
import { backoffDelayMs, parseRetryAfterMs } from '../../../src/sync/http/retry-policy.js';
import { caughtVendorError } from '../../support/caught-vendor-error.js';
import { cloudHostFetch } from '../cloud-host-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  handler: Handler;
  server: Server;
}

async function startServer(): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    seen: [],
    handler: (_req, res) => res.end('{}'),
    server: undefined as unknown as Server,
  };
  state.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      state.handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

async function stopServer(s: TestServer): Promise<void> {
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Answers from a script, one entry per request; the last entry repeats. */
function script(...steps: Handler[]): Handler {
  let i = 0;
  return (req, res, body) => {
    const step = steps[Math.min(i, steps.length - 1)]!;
    i++;
    step(req, res, body);
  };
}

const Items = z.object({ items: z.array(z.object({ id: z.string(), n: z.number() })) });
const TOKEN = 'tok-SECRET-1234567890';

describe('parseLinkNext', () => {
  const base = 'https://api.example.com/v1/things?x=1';

  it('finds a quoted rel="next" and keeps absolute URLs as they are', () => {
    expect(parseLinkNext('<https://api.example.com/v1/things?next=abc>; rel="next"', base)).toBe('https://api.example.com/v1/things?next=abc');
  });

  it('finds an unquoted rel=next among first/prev/last in any order', () => {
    const link = '<https://a.io/l?perPage=3>; rel=first, <https://a.io/l?startingAfter=X,Y>; rel=next, <https://a.io/l?endingBefore=Z>; rel=last';
    expect(parseLinkNext(link, base)).toBe('https://a.io/l?startingAfter=X,Y');
  });

  it('resolves a relative next URL against the request URL', () => {
    expect(parseLinkNext('</v1/things?cursor=2>; rel="next"', base)).toBe('https://api.example.com/v1/things?cursor=2');
    expect(parseLinkNext('<page3>; rel=next', 'https://h.io/a/page2')).toBe('https://h.io/a/page3');
  });

  it('accepts several rel values and any case', () => {
    expect(parseLinkNext('<https://h.io/2>; title="a, b"; REL="Next last"', base)).toBe('https://h.io/2');
  });

  it('returns null when there is no next link', () => {
    expect(parseLinkNext(null, base)).toBeNull();
    expect(parseLinkNext('', base)).toBeNull();
    expect(parseLinkNext('<https://h.io/1>; rel="prev", <https://h.io/0>; rel=first', base)).toBeNull();
    expect(parseLinkNext('<https://h.io/1>; rel="nextish"', base)).toBeNull();
  });
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP-date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('0.5', now)).toBe(500);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 00:00:07 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('-4', now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });

  it('backs off exponentially with bounded jitter', () => {
    const o = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelayMs(1, { ...o, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(1, { ...o, random: () => 1 })).toBe(100);
    expect(backoffDelayMs(3, { ...o, random: () => 1 })).toBe(400);
    expect(backoffDelayMs(10, { ...o, random: () => 1 })).toBe(1000);
  });
});

describe('HttpJson', () => {
  let srv: TestServer;
  let other: TestServer;
  let sleeps: number[];

  beforeAll(async () => {
    srv = await startServer();
    other = await startServer();
  });
  afterAll(async () => {
    await stopServer(srv);
    await stopServer(other);
  });
  beforeEach(() => {
    srv.seen = [];
    other.seen = [];
    sleeps = [];
  });

  function http(extra: Partial<HttpJsonOptions> = {}): HttpJson {
    return new HttpJson({
      vendor: 'webex',
      fetch: globalThis.fetch,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      baseBackoffMs: 100,
      maxBackoffMs: 1000,
      ...extra,
    });
  }
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('returns validated data, status and headers for a 200', async () => {
    srv.handler = (_q, res) => json(res, 200, { items: [{ id: 'a', n: 1, extra: true }] }, { trackingid: 'T1' });
    const h = http();
    const res = await h.request({ url: `${srv.url}/v1/things`, headers: auth, schema: Items });
    expect(res.status).toBe(200);
    expect(res.data.items).toEqual([{ id: 'a', n: 1 }]);
    expect(res.next).toBeNull();
    expect(srv.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(h.stats).toEqual({ requests: 1, retries: 0, pages: 1, rateLimited: 0 });
  });

  it('sends the method and body it is given', async () => {
    srv.handler = (_q, res) => json(res, 200, { items: [] });
    await http().request({ url: `${srv.url}/x`, method: 'post', body: new URLSearchParams({ a: '1' }), schema: Items });
    expect(srv.seen[0]).toMatchObject({ method: 'POST', body: 'a=1' });
  });

  it('honours Retry-After seconds on 429 and then succeeds', async () => {
    srv.handler = script(
      (_q, res) => json(res, 429, { errors: ['API rate limit exceeded for organization'] }, { 'retry-after': '3' }),
      (_q, res) => json(res, 200, { items: [] }),
    );
    const h = http();
    await h.request({ url: `${srv.url}/x`, schema: Items });
    expect(sleeps).toEqual([3000]);
    expect(h.stats).toMatchObject({ requests: 2, retries: 1, rateLimited: 1 });
  });

  it('honours an HTTP-date Retry-After against the injected clock, and caps long waits', async () => {
    const clock = fixedClock('2025-01-01T00:00:00Z');
    srv.handler = script(
      (_q, res) => json(res, 503, {}, { 'retry-after': 'Wed, 01 Jan 2025 00:00:09 GMT' }),
      (_q, res) => json(res, 423, {}, { 'retry-after': '3600' }),
      (_q, res) => json(res, 200, { items: [] }),
    );
    await http({ clock, maxRetryAfterMs: 20_000 }).request({ url: `${srv.url}/x`, schema: Items });
    expect(sleeps).toEqual([9000, 20_000]);
  });

  it('uses the fallback wait when a 429 has no usable Retry-After', async () => {
    srv.handler = script(
      (_q, res) => json(res, 429, {}),
      (_q, res) => json(res, 429, {}, { 'retry-after': 'whenever' }),
      (_q, res) => json(res, 200, { items: [] }),
    );
    await http({ retryAfterFallbackMs: 1234 }).request({ url: `${srv.url}/x`, schema: Items });
    expect(sleeps).toEqual([1234, 1234]);
  });

  it('gives up on endless 429 with VENDOR_RATE_LIMITED after maxAttempts', async () => {
    srv.handler = (_q, res) => json(res, 429, { errors: ['API rate limit exceeded for organization'] }, { 'retry-after': '1' });
    const err = await caughtVendorError(http({ maxAttempts: 3 }).request({ url: `${srv.url}/x`, schema: Items }));
    expect(err.code).toBe('VENDOR_RATE_LIMITED');
    expect(err.status).toBe(429);
    expect(err.message).toContain('API rate limit exceeded for organization');
    expect(srv.seen).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('retries a 500 with jittered backoff, then succeeds', async () => {
    srv.handler = script(
      (_q, res) => json(res, 500, {}),
      (_q, res) => json(res, 502, {}),
      (_q, res) => json(res, 200, { items: [] }),
    );
    const h = http({ random: () => 1 });
    await h.request({ url: `${srv.url}/x`, schema: Items });
    expect(sleeps).toEqual([100, 200]);
    expect(h.stats.retries).toBe(2);
  });

  it('fails with VENDOR_HTTP after persistent 500s, having tried maxAttempts times', async () => {
    srv.handler = (_q, res) => json(res, 500, { message: 'boom', errors: [{ description: 'backend down' }], trackingId: 'TRK-9' });
    const err = await caughtVendorError(http().request({ url: `${srv.url}/x`, schema: Items }));
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500, trackingId: 'TRK-9', vendor: 'webex' });
    expect(err.message).toContain('boom');
    expect(srv.seen).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('never retries other 4xx and reads the Webex error body and tracking header', async () => {
    srv.handler = (_q, res) =>
      json(res, 400, { message: 'License not recognized', errors: [{ errorCode: 400000, description: 'bad license id' }] }, { trackingid: 'ROUTER_ABC' });
    const err = await caughtVendorError(http().request({ url: `${srv.url}/x`, schema: Items }));
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 400, vendorCode: '400000', trackingId: 'ROUTER_ABC' });
    expect(err.message).toContain('License not recognized');
    expect(srv.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('maps 401 and 403 to VENDOR_AUTH without retrying', async () => {
    for (const status of [401, 403]) {
      srv.seen = [];
      srv.handler = (_q, res) => json(res, status, { errors: ['Invalid API key'] });
      const err = await caughtVendorError(http({ vendor: 'meraki' }).request({ url: `${srv.url}/x`, schema: Items }));
      expect(err).toMatchObject({ code: 'VENDOR_AUTH', status, vendor: 'meraki' });
      expect(err.message).toContain('Invalid API key');
      expect(srv.seen).toHaveLength(1);
    }
  });

  it('reads the Zoho error shape and keeps cPod raw text short', async () => {
    srv.handler = (_q, res) => json(res, 401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
    const zoho = await caughtVendorError(http({ vendor: 'zoho_crm' }).request({ url: `${srv.url}/x`, schema: Items }));
    expect(zoho).toMatchObject({ code: 'VENDOR_AUTH', vendorCode: 'INVALID_TOKEN' });
    expect(zoho.message).toContain('invalid oauth token');

    srv.handler = (_q, res) => {
      res.writeHead(409, { 'content-type': 'text/plain' });
      res.end(`conflict: ${'x'.repeat(5000)}`);
    };
    const cpod = await caughtVendorError(http({ vendor: 'cpod' }).request({ url: `${srv.url}/x`, schema: Items }));
    expect(cpod).toMatchObject({ code: 'VENDOR_HTTP', status: 409, vendorCode: null });
    expect(cpod.message).toContain('conflict: xxx');
    expect(cpod.message.length).toBeLessThan(400);
  });

  it('times out a slow answer with VENDOR_TIMEOUT after retrying', async () => {
    const timers: NodeJS.Timeout[] = [];
    srv.handler = (_q, res) => {
      timers.push(setTimeout(() => json(res, 200, { items: [] }), 2000));
    };
    const err = await caughtVendorError(http({ timeoutMs: 50, maxAttempts: 2 }).request({ url: `${srv.url}/slow`, schema: Items }));
    timers.forEach(clearTimeout);
    expect(err.code).toBe('VENDOR_TIMEOUT');
    expect(srv.seen).toHaveLength(2);
    expect(sleeps).toEqual([75]);
  });

  it('reports a refused connection as VENDOR_NETWORK after retrying', async () => {
    const gone = await startServer();
    const url = gone.url;
    await stopServer(gone);
    const err = await caughtVendorError(http({ maxAttempts: 3 }).request({ url: `${url}/x`, headers: auth, schema: Items }));
    expect(err.code).toBe('VENDOR_NETWORK');
    expect(err.message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(2);
  });

  it('rejects a body that is not JSON with VENDOR_BAD_JSON, without retrying', async () => {
    srv.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [ {"id": "a"');
    };
    const err = await caughtVendorError(http().request({ url: `${srv.url}/x`, schema: Items }));
    expect(err).toMatchObject({ code: 'VENDOR_BAD_JSON', status: 200 });
    expect(srv.seen).toHaveLength(1);
  });

  it('rejects a shape violation with VENDOR_SCHEMA naming the path but not the body', async () => {
    srv.handler = (_q, res) => json(res, 200, { items: [{ id: 'a', n: 1 }, { id: 'PRIVATE-VALUE', n: 'seven' }] });
    const err = await caughtVendorError(http().request({ url: `${srv.url}/x`, schema: Items }));
    expect(err.code).toBe('VENDOR_SCHEMA');
    expect(err.message).toContain('items.1.n');
    expect(err.message).not.toContain('PRIVATE-VALUE');
  });

  it('returns emptyAs for a 204 and refuses an empty body when no emptyAs is given', async () => {
    srv.handler = (_q, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await http().request({ url: `${srv.url}/users`, schema: Items, emptyAs: { items: [] } });
    expect(res).toMatchObject({ status: 204, data: { items: [] } });
    const err = await caughtVendorError(http().request({ url: `${srv.url}/users`, schema: Items }));
    expect(err.code).toBe('VENDOR_BAD_JSON');
  });

  it('never puts tokens, keys or query secrets into error messages or logs', async () => {
    srv.handler = script(
      (q, res) => json(res, 500, { message: `bad header ${String(q.headers.authorization)} key ${String(q.headers['x-cisco-meraki-api-key'])}` }),
      (q, res) => json(res, 401, { message: `token ${String(q.headers.authorization)} rejected; secret=${new URL(q.url!, 'http://h').searchParams.get('client_secret')}` }),
    );
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    const err = await caughtVendorError(
      http({ logger }).request({
        url: `${srv.url}/oauth?client_secret=SHHH-secret-value&x=1`,
        headers: { authorization: `Zoho-oauthtoken ${TOKEN}`, 'x-cisco-meraki-api-key': 'MERAKI-KEY-0000' },
        schema: Items,
      }),
    );
    expect(err.code).toBe('VENDOR_AUTH');
    const everything = `${err.message} ${JSON.stringify(err)} ${lines.join('')}`;
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, 'MERAKI-KEY-0000', 'SHHH-secret-value']) expect(everything).not.toContain(secret);
    expect(err.message).toContain('[redacted]');
  });

  it('follows a same-origin redirect itself, keeping the headers', async () => {
    srv.handler = (q, res) => {
      if (q.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else json(res, 200, { items: [] });
    };
    await http().request({ url: `${srv.url}/old`, headers: auth, schema: Items });
    expect(srv.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/old', `Bearer ${TOKEN}`],
      ['/new', `Bearer ${TOKEN}`],
    ]);
  });

  it('follows a cross-origin redirect with headers only to an allowed https host, and resolves Link against the final URL', async () => {
    // api.meraki.com is answered by `other` on 127.0.0.1 (see cloudHostFetch).
    const cloud = cloudHostFetch({ routes: { 'https://api.meraki.com': other.url } });
    srv.handler = (_q, res) => {
      res.writeHead(307, { location: 'https://api.meraki.com/api/v1/orgs' });
      res.end();
    };
    other.handler = (_q, res) => json(res, 200, { items: [] }, { link: '<orgs?p=2>; rel=next' });
    const res = await http({ fetch: cloud.fetch, allowedHostSuffixes: ['.meraki.com'] }).request({ url: `${srv.url}/api/v1/orgs`, headers: auth, schema: Items });
    expect(other.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(res.next).toBe('https://api.meraki.com/api/v1/orgs?p=2');

    other.seen = [];
    const err = await caughtVendorError(http({ fetch: cloud.fetch, allowedHostSuffixes: ['webexapis.com'] }).request({ url: `${srv.url}/api/v1/orgs`, headers: auth, schema: Items }));
    expect(err.code).toBe('VENDOR_REDIRECT');
    expect(other.seen).toHaveLength(0);
  });

  it('never follows a redirect to another origin over plain http, even on an allowed host', async () => {
    srv.handler = (_q, res) => {
      res.writeHead(307, { location: `${other.url}/api/v1/orgs` });
      res.end();
    };
    other.seen = [];
    const err = await caughtVendorError(http({ allowedHostSuffixes: ['127.0.0.1'] }).request({ url: `${srv.url}/api/v1/orgs`, headers: auth, schema: Items }));
    expect(err.code).toBe('VENDOR_REDIRECT');
    expect(other.seen).toHaveLength(0);
  });

  it('turns a 303 after POST into a GET without body, and stops after 5 redirects', async () => {
    srv.handler = (q, res) => {
      if (q.url === '/submit') {
        res.writeHead(303, { location: '/result' });
        res.end();
      } else if (q.url?.startsWith('/loop')) {
        res.writeHead(302, { location: `/loop${srv.seen.length}` });
        res.end();
      } else json(res, 200, { items: [] });
    };
    await http().request({ url: `${srv.url}/submit`, method: 'POST', body: 'a=1', schema: Items });
    expect(srv.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/submit', 'a=1'],
      ['GET', '/result', ''],
    ]);
    srv.seen = [];
    const err = await caughtVendorError(http().request({ url: `${srv.url}/loop`, schema: Items }));
    expect(err.code).toBe('VENDOR_REDIRECT');
    expect(srv.seen).toHaveLength(6);
  });

  it('paginates over quoted and unquoted, absolute and relative next links', async () => {
    srv.handler = (q, res) => {
      const page = Number(new URL(q.url!, srv.url).searchParams.get('p') ?? '1');
      const link =
        page === 1 ? `<${srv.url}/list?p=2>; rel="next"` : page === 2 ? '</list?p=1>; rel=first, </list?p=3>; rel=next' : '</list?p=1>; rel=first';
      json(res, 200, { items: [{ id: `p${page}`, n: page }] }, { link });
    };
    const h = http();
    const ids: string[] = [];
    for await (const page of h.paginate({ url: `${srv.url}/list`, headers: auth, schema: Items })) ids.push(...page.data.items.map((i) => i.id));
    expect(ids).toEqual(['p1', 'p2', 'p3']);
    expect(srv.seen.every((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(h.stats).toMatchObject({ pages: 3, requests: 3 });
  });

  it('throws when a page in the middle keeps failing, after yielding only the earlier pages', async () => {
    srv.handler = (q, res) => {
      const page = Number(new URL(q.url!, srv.url).searchParams.get('p') ?? '1');
      if (page === 2) json(res, 500, { errors: ['page 2 broke'] });
      else json(res, 200, { items: [{ id: `p${page}`, n: page }] }, { link: `</list?p=${page + 1}>; rel=next` });
    };
    const ids: string[] = [];
    const walk = async (): Promise<void> => {
      for await (const page of http().paginate({ url: `${srv.url}/list`, schema: Items })) ids.push(...page.data.items.map((i) => i.id));
    };
    const err = await caughtVendorError(walk());
    expect(err).toMatchObject({ code: 'VENDOR_HTTP', status: 500 });
    expect(ids).toEqual(['p1']);
  });

  it('refuses a next link that loops back or leaves for an untrusted host', async () => {
    srv.handler = (_q, res) => json(res, 200, { items: [] }, { link: '</list>; rel="next"' });
    const loop = async (): Promise<void> => {
      for await (const _ of http().paginate({ url: `${srv.url}/list`, schema: Items }));
    };
    expect((await caughtVendorError(loop())).code).toBe('VENDOR_PAGING_LOOP');

    srv.handler = (_q, res) => json(res, 200, { items: [] }, { link: `<${other.url}/steal>; rel="next"` });
    const away = async (): Promise<void> => {
      for await (const _ of http().paginate({ url: `${srv.url}/list`, headers: auth, schema: Items }));
    };
    expect((await caughtVendorError(away())).code).toBe('VENDOR_BAD_LINK');
    expect(other.seen).toHaveLength(0);
  });

  it('runs every exchange through the throttle', async () => {
    srv.handler = script(
      (_q, res) => json(res, 500, {}),
      (_q, res) => json(res, 200, { items: [] }),
    );
    let calls = 0;
    await http({
      throttle: (fn) => {
        calls++;
        return fn();
      },
    }).request({ url: `${srv.url}/x`, schema: Items });
    expect(calls).toBe(2);
  });

  it('stops with VENDOR_ABORTED when the caller aborts during a retry wait', async () => {
    srv.handler = (_q, res) => json(res, 503, {}, { 'retry-after': '1' });
    const controller = new AbortController();
    const h = http({
      sleep: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    const err = await caughtVendorError(h.request({ url: `${srv.url}/x`, schema: Items, signal: controller.signal }));
    expect(err.code).toBe('VENDOR_ABORTED');
    expect(srv.seen).toHaveLength(1);
  });

  it('cuts a long Retry-After wait short when the caller aborts (the default timer, not a fake)', async () => {
    // Retry-After 120 s: only an abort that ends the real wait lets this finish inside the test timeout.
    srv.handler = (_q, res) => json(res, 429, {}, { 'retry-after': '120' });
    const controller = new AbortController();
    const h = new HttpJson({ vendor: 'webex', fetch: globalThis.fetch, maxRetryAfterMs: 120_000 });
    const pending = caughtVendorError(h.request({ url: `${srv.url}/x`, schema: Items, signal: controller.signal }));
    await vi.waitFor(() => expect(srv.seen).toHaveLength(1));
    controller.abort();
    const err = await pending;
    expect(err.code).toBe('VENDOR_ABORTED');
    expect(srv.seen).toHaveLength(1);
  });
});
