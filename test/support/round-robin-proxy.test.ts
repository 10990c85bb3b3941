import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { startLoopbackServer, type LoopbackServer } from './start-loopback-server.js';

/** An upstream that says who it is and echoes what it was sent. */
function upstream(name: string): Promise<LoopbackServer> {
  const app = express();
  app.use(express.text({ type: '*/*' }));
  app.all('/{*path}', (req, res) => {
    res.setHeader('x-upstream', name);
    res.json({ name, method: req.method, path: req.path, body: req.body as unknown, signature: req.get('x-spark-signature') ?? null });
  });
  return startLoopbackServer(app);
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(names: string[]): Promise<{ proxy: RoundRobinProxy; servers: LoopbackServer[] }> {
  const servers = await Promise.all(names.map(upstream));
  const proxy = await startRoundRobinProxy(servers.map((s) => s.url));
  closers.push(...servers.map((s) => () => s.close()), () => proxy.close());
  return { proxy, servers };
}

async function who(url: string): Promise<string> {
  const res = await fetch(`${url}/healthz`);
  return ((await res.json()) as { name: string }).name;
}

describe('startRoundRobinProxy', () => {
  it('sends each request to the next upstream in turn, with method, path, headers and body intact', async () => {
    const { proxy } = await setup(['a', 'b', 'c']);
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(await who(proxy.url));
    expect(names).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    const res = await fetch(`${proxy.url}/webex/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': 'abc123' },
      body: '{"id":"1"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('a');
    expect(await res.json()).toEqual({ name: 'a', method: 'POST', path: '/webex/webhook', body: '{"id":"1"}', signature: 'abc123' });
    expect(proxy.answered).toEqual([3, 2, 2]);
  });

  it('skips an upstream that refuses connections, so the proxy keeps answering when one instance is gone', async () => {
    const { proxy, servers } = await setup(['a', 'b']);
    await servers[1]!.close();
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(await who(proxy.url));
    expect(names).toEqual(['a', 'a', 'a', 'a']);
  });

  it('answers 502 when every upstream refuses', async () => {
    const { proxy, servers } = await setup(['a', 'b']);
    for (const s of servers) await s.close();
    const res = await fetch(`${proxy.url}/healthz`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'PROXY_UPSTREAM_FAILED', message: 'ECONNREFUSED' } });
  });
});
