import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/webex/http-transport.js';
import { createWebexCall } from '../../src/webex/webex-call.js';
import { capturingLogger } from '../support/fake-webex-harness.js';

let server: Server | undefined;
const sockets = new Set<Socket>();

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('createHttpTransport', () => {
  it('sends the body with its length, reads status, headers and text, and reuses one kept-alive socket', async () => {
    const seen: { method: string | undefined; body: string; length: string | undefined }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, body, length: req.headers['content-length'] });
        res.setHeader('trackingid', 'T-1');
        res.end(JSON.stringify({ échoed: body }));
      });
    });
    const send = createHttpTransport();
    for (const body of ['{"a":"é"}', '{"b":2}']) {
      const res = await send(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        timeoutMs: 1000,
      });
      expect(res.status).toBe(200);
      expect(res.ok).toBe(true);
      expect(res.headers.get('TrackingId')).toBe('T-1');
      expect(JSON.parse(await res.text())).toEqual({ échoed: body });
    }
    expect(seen).toEqual([
      { method: 'POST', body: '{"a":"é"}', length: String(Buffer.byteLength('{"a":"é"}')) },
      { method: 'POST', body: '{"b":2}', length: '7' },
    ]);
    expect(sockets.size).toBe(1);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const url = await serve(() => undefined);
    await expect(
      createHttpTransport()(url, { method: 'GET', headers: {}, timeoutMs: 50 }),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

describe('createWebexCall without an injected fetch', () => {
  it('goes over node:http and still waits the Retry-After of a 429', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': '2' });
        res.end('{}');
        return;
      }
      res.end('{"id":"m1"}');
    });
    const waits: number[] = [];
    const call = createWebexCall({
      apiUrl: `${url}/v1/`,
      token: 't',
      log: capturingLogger().logger,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const answer = await call({
      method: 'POST',
      path: '/messages',
      body: { text: 'hi' },
      what: 'message post',
      context: {},
    });
    expect(answer).toEqual({ ok: true, status: 200, body: { id: 'm1' }, trackingId: null });
    expect(waits).toEqual([2000]);
  });
});
