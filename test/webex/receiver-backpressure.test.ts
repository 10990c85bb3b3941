// The receiver under a burst at its default limits: 64 events processed at once, 1,000 waiting, the rest refused
// with 503 and Retry-After; memory held by the queue measured; an unread event's replay processed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createReceiver,
  type EventOutcome,
  type Receiver,
  type WebhookEnvelope,
} from '../../src/webex/receiver.js';
import { DEFAULT_RECEIVER_LIMITS } from '../../src/webex/receiver-limits.js';
import { signBody } from '../../src/webex/sign-body.js';
import { capturingLogger, waitUntil } from '../support/fake-webex-harness.js';

const SECRET = 'receiver-secret-0123456789abcdef';
const PATH = '/webex/webhook';
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/webex/messages.created.json', import.meta.url), 'utf8'),
) as {
  data: { id: string };
};

/** A full garbage collection, so heap numbers show what is retained, not what is waiting to be collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedHeap = (): number => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const body = (dataId: string): string =>
  JSON.stringify({ ...fixture, data: { ...fixture.data, id: dataId } });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(onEvent: (e: WebhookEnvelope) => Promise<EventOutcome | void>) {
  const { logger, logs } = capturingLogger();
  const receiver: Receiver = createReceiver({
    path: PATH,
    secrets: [SECRET],
    logger,
    onEvent,
    health: () => ({ status: 'ok' }),
  });
  const server: Server = createServer(receiver.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  close = async () => {
    await receiver.drain();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  };
  const post = async (raw: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': signBody(raw, SECRET) },
      body: raw,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      json: (await res.json()) as unknown,
    };
  };
  return { receiver, logs, post, server };
}

describe('receiver back-pressure at the default limits', () => {
  it('holds a burst of 1,200 envelopes to 64 running and 1,000 queued (~1 KB each); refuses 136 with 503', async () => {
    // Warm-up, so that code compiled on first use is not counted as held by the queue.
    const warm = await start(() => Promise.resolve());
    await Promise.all(Array.from({ length: 300 }, (_, i) => warm.post(body(`warm-${i}`))));
    await close?.();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const seen: string[] = [];
    const r = await start(async (e) => {
      seen.push(e.data.id);
      await gate;
    });
    const raws = Array.from({ length: 1_200 }, (_, i) => body(`burst-${i}`));
    try {
      const heapBefore = retainedHeap();
      // Sent in order, in waves, so which ones are refused is known: the last 136.
      const answers: Awaited<ReturnType<typeof r.post>>[] = [];
      for (let i = 0; i < raws.length; i += 200)
        answers.push(...(await Promise.all(raws.slice(i, i + 200).map((raw) => r.post(raw)))));
      await waitUntil(() => seen.length === DEFAULT_RECEIVER_LIMITS.maxInFlightEvents, '64 running');
      const stats = r.receiver.intake;
      // The 1,200 keep-alive connections (client and server side, all answered) are not the queue's: close them.
      r.server.closeAllConnections();
      for (let connections = 1; connections > 0; ) {
        connections = await new Promise<number>((res) => r.server.getConnections((_e, n) => res(n)));
        await new Promise((res) => setImmediate(res));
      }
      const heapAfter = retainedHeap();
      expect(stats).toMatchObject({
        running: 64,
        queued: 1_000,
        peakQueued: 1_000,
        accepted: 1_064,
        refused: 136,
      });
      expect(answers.slice(0, 1_064).every((a) => a.status === 200)).toBe(true);
      expect(answers.slice(1_064).every((a) => a.status === 503 && a.retryAfter === '5')).toBe(true);
      const perEnvelope = stats.queuedBytes / stats.queued;
      expect(perEnvelope).toBeGreaterThan(300);
      expect(perEnvelope).toBeLessThan(1_500);
      expect(stats.queuedBytes).toBeLessThanOrEqual(DEFAULT_RECEIVER_LIMITS.maxQueuedBytes);
      // What the 1,064 accepted events hold while they wait (parsed envelope, raw bytes, dedupe key): measured
      // 4-8 KB each (heap and buffers after a full GC), ~5-8 MB in all; bounded here at 16 KB each.
      expect(heapAfter - heapBefore).toBeLessThan(1_064 * 16 * 1024);
      expect(r.logs.filter((l) => l.msg?.startsWith('webhook refused with 503') === true)).toHaveLength(1);
    } finally {
      open();
    }
    await r.receiver.drain();
    expect(seen).toHaveLength(1_064);
    expect(r.receiver.inFlight).toBe(0);
  });

  it('processes the replay of an event whose handler answered unread, and ignores the replay of a handled one', async () => {
    const outcomes: EventOutcome[] = ['unread', 'handled'];
    const seen: string[] = [];
    const r = await start((e) => {
      seen.push(e.data.id);
      return Promise.resolve(outcomes.shift() ?? 'handled');
    });
    const raw = body('replayed');
    expect((await r.post(raw)).json).toEqual({ ok: true });
    await r.receiver.drain();
    expect((await r.post(raw)).json).toEqual({ ok: true });
    await r.receiver.drain();
    expect((await r.post(raw)).json).toEqual({ ok: true, duplicate: true });
    await r.receiver.drain();
    expect(seen).toEqual(['replayed', 'replayed']);
  });
});
