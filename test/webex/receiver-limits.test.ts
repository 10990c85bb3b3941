// The receiver under a slow-upload flood, on a real listening server: memory stays bounded, oversized
// declarations are refused at once, and stalled clients are cut off by the header and request timeouts.
// Timeouts are shortened through the receiver's options so the whole file runs in a few seconds.
import type { Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createReceiver, type ReceiverLimits } from '../../src/webex/receiver.js';
import { receiverLimits } from '../../src/webex/receiver-limits.js';
import { signBody } from '../../src/webex/sign-body.js';
import { capturingLogger } from '../support/fake-webex-harness.js';

const SECRET = 'receiver-secret-0123456789abcdef';
const PATH = '/webex/webhook';
const MiB = 1024 * 1024;
const CLIENTS = 300;
const SHORT = { headersTimeoutMs: 1000, requestTimeoutMs: 1500, keepAliveTimeoutMs: 1000 } as const;
/** One buffer shared by every client, so the clients themselves add next to nothing to the RSS. */
const CHUNK = Buffer.alloc(16 * 1024, 0x7b);

let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((r) => {
    if (!server) return r();
    server.close(() => r());
    server.closeAllConnections();
  });
  server = undefined;
});

async function listen(limits: Partial<ReceiverLimits>): Promise<{ port: number; origin: string }> {
  const { logger } = capturingLogger();
  const receiver = createReceiver({
    path: PATH,
    secrets: [SECRET],
    limits,
    logger,
    onEvent: () => Promise.resolve(),
    health: () => ({ status: 'ok' }),
  });
  server = await receiver.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return { port, origin: `http://127.0.0.1:${port}` };
}

interface Outcome {
  /** First bytes the server sent back ('' if none). */
  response: string;
  /** From connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * A client that sends `head`, then up to `bodyBytes` of body as fast as the server takes it (never more than
 * the socket accepts: it stalls when the server stops reading), then stalls for good. Resolves on close.
 */
function slowClient(port: number, head: string, bodyBytes = 0): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    sockets.add(socket);
    let response = '';
    socket.on('data', (d: Buffer) => {
      if (response.length < 256) response += d.toString('latin1');
    });
    socket.on('error', () => {
      // A reset after the server gave up on us is the expected end.
    });
    socket.once('connect', () => {
      socket.write(head);
      let sent = 0;
      const pump = (): void => {
        while (sent < bodyBytes && !socket.destroyed) {
          const n = Math.min(CHUNK.length, bodyBytes - sent);
          sent += n;
          if (!socket.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    socket.once('close', () => {
      sockets.delete(socket);
      resolve({ response, closedAfterMs: performance.now() - started });
    });
  });
}

const postHead = (contentLength: number): string =>
  `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
  `X-Spark-Signature: ${'0'.repeat(40)}\r\nContent-Length: ${contentLength}\r\n\r\n`;

/**
 * 100 clients of the same kind first, so lazily compiled code and V8's young generation are already grown:
 * "idle" is a server that has been up and served, not a cold one.
 */
async function warmUp(run: (i: number) => Promise<Outcome>): Promise<void> {
  await Promise.all(Array.from({ length: 100 }, (_, i) => run(i)));
}

/**
 * Runs `attack` (up to 3 times) while sampling this process's RSS; returns the attempt with the smallest rise.
 * The 300 clients live in this process too, so a late GC on a busy 2-core machine can spike one attempt
 * past the bound (seen once in ~20 full-suite runs); the fault this guards against (bodies pinned until a
 * timeout) raised RSS by ~290 MB on every attempt, so "some attempt within 50 MB" still fails it.
 */
async function measureRss<T>(attack: () => Promise<T>): Promise<{ result: T; idle: number; peak: number }> {
  let best: { result: T; idle: number; peak: number } | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = await measureOnce(attack);
    if (best === null || m.peak - m.idle < best.peak - best.idle) best = m;
    if (best.peak - best.idle < 50 * 1e6) break;
  }
  return best!;
}

async function measureOnce<T>(attack: () => Promise<T>): Promise<{ result: T; idle: number; peak: number }> {
  const idle = process.memoryUsage.rss();
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await attack();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, idle, peak };
  } finally {
    clearInterval(sampler);
  }
}

const statusOf = (o: Outcome): string => /^HTTP\/1\.1 (\d{3}) /.exec(o.response)?.[1] ?? 'none';
const countBy = (outcomes: Outcome[]): Record<string, number> =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    acc[statusOf(o)] = (acc[statusOf(o)] ?? 0) + 1;
    return acc;
  }, {});
const report: Record<string, unknown> = {};

describe('receiver limits under a slow-upload flood (real server, 127.0.0.1)', () => {
  afterAll(async () => {
    const path = process.env['RECEIVER_LOAD_REPORT']; // optional: where to write the measurements as JSON
    if (path) await writeFile(path, JSON.stringify(report, null, 2));
  });

  it(`refuses ${CLIENTS} clients declaring 1 MiB - 1 and pushing it, at once, with RSS within 50 MB of idle`, async () => {
    const { port } = await listen(SHORT);
    const client = (): Promise<Outcome> => slowClient(port, postHead(MiB - 1), MiB - 1);
    await warmUp(client);
    const { result, idle, peak } = await measureRss(() =>
      Promise.all(Array.from({ length: CLIENTS }, client)),
    );
    const statuses = countBy(result);
    report['declared1MiB'] = {
      idleMB: idle / 1e6,
      peakMB: peak / 1e6,
      statuses,
      maxClosedAfterMs: Math.max(...result.map((o) => o.closedAfterMs)),
    };
    expect(peak - idle).toBeLessThan(50 * 1e6);
    // Every socket is closed with the 413 (or, past the connection cap, a plain close), not with the 408 of
    // the request timeout: the body was never waited for.
    expect(result).toHaveLength(CLIENTS);
    expect(Object.keys(statuses).every((s) => s === '413' || s === 'none')).toBe(true);
    expect(statuses['413']).toBeGreaterThan(0);
  }, 40_000);

  it(`cuts off ${CLIENTS} stalled clients (body short of its length, or headers never finished) by the timeouts`, async () => {
    const { port } = await listen(SHORT);
    // Just under the 64 KiB cap: the server reads and holds all but the last byte, then waits.
    const under = 64 * 1024 - 1;
    const client = (i: number): Promise<Outcome> =>
      i % 3 === 0
        ? slowClient(port, `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Len`)
        : slowClient(port, postHead(under), under - 1);
    await warmUp(client);
    const { result, idle, peak } = await measureRss(() =>
      Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i))),
    );
    const headerStalls = result.filter((_, i) => i % 3 === 0);
    const bodyStalls = result.filter((_, i) => i % 3 !== 0);
    const cut = (o: Outcome[]): number[] =>
      o.filter((x) => statusOf(x) === '408').map((x) => x.closedAfterMs);
    report['stalled'] = {
      idleMB: idle / 1e6,
      peakMB: peak / 1e6,
      statuses: countBy(result),
      headerStallCutMs: [Math.min(...cut(headerStalls)), Math.max(...cut(headerStalls))],
      bodyStallCutMs: [Math.min(...cut(bodyStalls)), Math.max(...cut(bodyStalls))],
    };
    expect(peak - idle).toBeLessThan(50 * 1e6);
    // Connections over the cap (256) are closed at once without an answer; every other one gets 408 from
    // the timeouts: headers after ~1 s, a body short of its Content-Length after ~1.5 s from connecting.
    const statuses = countBy(result);
    expect(Object.keys(statuses).every((s) => s === '408' || s === 'none')).toBe(true);
    expect(statuses['408']).toBeGreaterThanOrEqual(receiverLimits().maxConnections - 10);
    expect(cut(headerStalls).length).toBeGreaterThan(0);
    expect(cut(bodyStalls).length).toBeGreaterThan(0);
    for (const ms of cut(headerStalls)) expect(ms).toBeGreaterThanOrEqual(SHORT.headersTimeoutMs - 50);
    for (const ms of cut(bodyStalls)) expect(ms).toBeGreaterThanOrEqual(SHORT.requestTimeoutMs - 50);
    expect(Math.max(...result.map((o) => o.closedAfterMs))).toBeLessThan(SHORT.requestTimeoutMs + 3000);
  }, 30_000);

  it('closes connections over maxConnections at once, and serves a signed envelope again once they are gone', async () => {
    const { port, origin } = await listen({ ...SHORT, maxConnections: 4 });
    const held = Array.from({ length: 4 }, () => slowClient(port, 'POST /x HTTP/1.1\r\nHost: a\r\n'));
    // Wait (bounded) until the server counts the four, then a fifth is closed without an answer.
    const deadline = performance.now() + 5000;
    for (;;) {
      const n = await new Promise<number>((r) => server!.getConnections((_e, c) => r(c)));
      if (n === 4) break;
      if (performance.now() > deadline) throw new Error('the 4 connections were never counted');
      await new Promise((r) => setTimeout(r, 5));
    }
    const extra = await slowClient(port, postHead(2));
    expect(extra.response).toBe('');
    expect(extra.closedAfterMs).toBeLessThan(SHORT.headersTimeoutMs);
    expect((await Promise.all(held)).map(statusOf)).toEqual(['408', '408', '408', '408']);
    const body = JSON.stringify({ name: 'n', resource: 'messages', event: 'created', data: { id: 'm1' } });
    const res = await fetch(`${origin}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': signBody(body, SECRET) },
      body,
    });
    expect(res.status).toBe(200);
  }, 15_000);
});

describe('receiverLimits', () => {
  it('fills in the defaults and refuses values no server could honour', () => {
    expect(receiverLimits()).toEqual({
      maxBodyBytes: 65536,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 256,
      maxInFlightEvents: 64,
      maxQueuedEvents: 1000,
      maxQueuedBytes: 8 * 1024 * 1024,
    });
    expect(receiverLimits({ maxConnections: 8 }).maxConnections).toBe(8);
    expect(() => receiverLimits({ maxBodyBytes: 0 })).toThrow(TypeError);
    expect(() => receiverLimits({ requestTimeoutMs: 1.5 })).toThrow(TypeError);
    expect(() => receiverLimits({ headersTimeoutMs: 20_000 })).toThrow(/headersTimeoutMs/);
  });
});
