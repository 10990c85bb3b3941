import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpJson } from '../../../src/sync/http/http-json.js';
import { readCappedBody } from '../../../src/sync/http/read-capped-body.js';
import { caughtVendorError } from '../../support/caught-vendor-error.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/start-loopback-server.js';

const KiB = 1024;

/** Writes `total` bytes of a JSON string body in 16 KiB chunks as the client reads them; counts what it wrote. */
function streamJson(res: ServerResponse, total: number, sent: { bytes: number }, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  const chunk = Buffer.alloc(16 * KiB, 'x');
  res.write('"');
  sent.bytes = 1;
  const pump = (): void => {
    while (sent.bytes < total - 1) {
      const n = Math.min(chunk.length, total - 1 - sent.bytes);
      sent.bytes += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    sent.bytes += 1;
    res.end('"');
  };
  pump();
}

describe('readCappedBody', () => {
  it('reads a body up to the cap and refuses one byte more', async () => {
    expect(await readCappedBody(new Response('{"a":1}'), 7)).toEqual({ kind: 'text', text: '{"a":1}' });
    expect(await readCappedBody(new Response('{"a":12}'), 7)).toEqual({ kind: 'too_large', bytes: 8, declared: false });
    expect(await readCappedBody(new Response(null, { status: 204 }), 0)).toEqual({ kind: 'text', text: '' });
  });

  it('refuses on a Content-Length over the cap before reading anything', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(10));
      },
    });
    const res = new Response(body, { headers: { 'content-length': String(400 * 1000 * 1000) } });
    expect(await readCappedBody(res, 1024)).toEqual({ kind: 'too_large', bytes: 400_000_000, declared: true });
    expect(pulled).toBeLessThanOrEqual(1); // the stream's first pull happens on construction, nothing is read
  });

  it('decodes UTF-8 split across chunks and drops a byte-order mark, as Response.text() does', async () => {
    const bytes = Buffer.from('\uFEFF{"name":"Zoë"}');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 13));
        c.enqueue(bytes.subarray(13));
        c.close();
      },
    });
    expect(await readCappedBody(new Response(body), 100)).toEqual({ kind: 'text', text: '{"name":"Zoë"}' });
  });
});

describe('HttpJson response size cap', () => {
  let server: LoopbackServer;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  beforeEach(async () => {
    server = await startLoopbackServer((req, res) => handler(req, res));
  });
  afterEach(async () => {
    await server.close();
  });

  const http = (maxResponseBytes: number) =>
    new HttpJson({ vendor: 'cpod', fetch: globalThis.fetch, maxResponseBytes, sleep: () => Promise.resolve() });

  it('accepts a body of exactly the cap', async () => {
    const sent = { bytes: 0 };
    handler = (_req, res) => streamJson(res, 64 * KiB, sent);
    const res = await http(64 * KiB).request({ url: `${server.url}/x`, schema: z.string() });
    expect(res.data).toHaveLength(64 * KiB - 2);
  });

  it('stops reading a chunked body at the cap with VENDOR_TOO_LARGE naming the cap and its setting, without retrying', async () => {
    const sent = { bytes: 0 };
    let requests = 0;
    handler = (_req, res) => {
      requests++;
      streamJson(res, 50 * 1024 * KiB, sent);
    };
    const err = await caughtVendorError(http(256 * KiB).request({ url: `${server.url}/list?token=abc`, schema: z.string() }));
    expect(err).toMatchObject({ code: 'VENDOR_TOO_LARGE', vendor: 'cpod', status: 200 });
    expect(err.message).toBe(
      `cpod: GET ${server.url}/list answered HTTP 200 and sent more than 256 KiB, over the 256 KiB cap per response (VENDOR_MAX_RESPONSE_MB); refused without reading further`,
    );
    expect(requests).toBe(1);
    // The server got to write only what the socket buffers took before the client hung up, not the 50 MiB.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(sent.bytes).toBeLessThan(10 * 1024 * KiB);
  });

  it('refuses an error answer that is too large as well', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(5 * 1024 * KiB) });
      res.end('x'.repeat(5 * 1024 * KiB));
    };
    const err = await caughtVendorError(http(1024 * KiB).request({ url: `${server.url}/x`, schema: z.string() }));
    expect(err).toMatchObject({ code: 'VENDOR_TOO_LARGE', status: 500 });
    expect(err.message).toContain('declared a 5 MiB body, over the 1 MiB cap');
  });
});
