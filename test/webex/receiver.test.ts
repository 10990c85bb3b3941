import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createReceiver,
  type HealthReport,
  type Receiver,
  type WebhookEnvelope,
} from '../../src/webex/receiver.js';
import { DEFAULT_RECEIVER_LIMITS } from '../../src/webex/receiver-limits.js';
import { signBody } from '../../src/webex/sign-body.js';
import { createWebhookDedupe } from '../../src/webex/webhook-dedupe.js';
import { capturingLogger, type LogRecord } from '../support/fake-webex-harness.js';

const SECRET = 'receiver-secret-0123456789abcdef';
const OLD_SECRET = 'receiver-old-secret-0123456789ab';
const PATH = '/webex/webhook';
const fixture = readFileSync(new URL('../fixtures/webex/messages.created.json', import.meta.url));
const cardFixture = readFileSync(
  new URL('../fixtures/webex/attachmentActions.created.json', import.meta.url),
);

interface Running {
  receiver: Receiver;
  url: string;
  origin: string;
  received: WebhookEnvelope[];
  logs: LogRecord[];
  close(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(
  opts: {
    onEvent?: (e: WebhookEnvelope) => Promise<void>;
    maxBodyBytes?: number;
    health?: () => HealthReport;
    healthToken?: string;
  } = {},
): Promise<Running> {
  const { logger, logs } = capturingLogger();
  const received: WebhookEnvelope[] = [];
  const receiver = createReceiver({
    path: PATH,
    secrets: [SECRET, OLD_SECRET],
    ...(opts.maxBodyBytes === undefined ? {} : { limits: { maxBodyBytes: opts.maxBodyBytes } }),
    ...(opts.healthToken === undefined ? {} : { healthToken: opts.healthToken }),
    logger,
    onEvent: async (e) => {
      received.push(e);
      await opts.onEvent?.(e);
    },
    health: opts.health ?? (() => ({ status: 'ok', store: 'ok', lastSync: null })),
    dedupe: createWebhookDedupe({ maxEntries: 100 }),
  });
  const server: Server = createServer(receiver.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running = {
    receiver,
    url: `${origin}${PATH}`,
    origin,
    received,
    logs,
    close: async () => {
      await receiver.drain();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
  return running;
}

async function post(
  url: string,
  body: Buffer | string,
  signature?: string,
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-spark-signature'] = signature;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Sends `head` (and then `body` chunks) on a raw socket; resolves with what came back once the server closes. */
function rawExchange(
  origin: string,
  head: string,
  body: readonly (string | Buffer)[] = [],
): Promise<{ response: string; bytesWritten: number }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      response += d;
    });
    socket.on('error', reject);
    socket.once('connect', () => {
      socket.write(head);
      for (const part of body) socket.write(part);
    });
    socket.once('close', () => resolve({ response, bytesWritten: socket.bytesWritten }));
  });
}

function envelope(dataId: string): string {
  const e = JSON.parse(fixture.toString('utf8')) as { data: { id: string } };
  e.data.id = dataId;
  return JSON.stringify(e);
}

describe('createReceiver', () => {
  it('accepts a correctly signed webhook with 200 and hands the parsed envelope to onEvent', async () => {
    const r = await start();
    const res = await post(r.url, fixture, signBody(fixture, SECRET));
    expect(res).toEqual({ status: 200, json: { ok: true } });
    await r.receiver.drain();
    expect(r.received).toHaveLength(1);
    expect(r.received[0]?.resource).toBe('messages');
    expect(r.received[0]?.data.id).toBe('Y2lzY29zcGFyazovL3VzL01FU1NBR0UvZml4dHVyZS1tZXNzYWdlLTAwMDE');
  });

  it('verifies over the raw bytes, so an indented body signed as sent is accepted', async () => {
    const r = await start();
    // The fixture file is indented; the signature covers exactly those bytes.
    expect(fixture.toString('utf8')).toContain('\n  "id"');
    expect((await post(r.url, cardFixture, signBody(cardFixture, SECRET))).status).toBe(200);
    await r.receiver.drain();
    expect(r.received.map((e) => e.resource)).toEqual(['attachmentActions']);
  });

  it('accepts a signature made with an older secret still in the list (rotation)', async () => {
    const r = await start();
    expect((await post(r.url, fixture, signBody(fixture, OLD_SECRET))).status).toBe(200);
    await r.receiver.drain();
    expect(r.received).toHaveLength(1);
  });

  it('answers 401 with a JSON error and processes nothing when the signature is missing', async () => {
    const r = await start();
    const res = await post(r.url, fixture);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'WEBHOOK_SIGNATURE_MISSING', message: expect.any(String) } });
    await r.receiver.drain();
    expect(r.received).toHaveLength(0);
  });

  it('answers 401 for a forged signature (wrong secret, garbage, uppercase) and processes nothing', async () => {
    const r = await start();
    for (const sig of [
      signBody(fixture, 'not-the-secret-at-all-000000'),
      'deadbeef',
      signBody(fixture, SECRET).toUpperCase(),
      '',
    ]) {
      const res = await post(r.url, fixture, sig);
      expect(res.status).toBe(401);
      expect((res.json as { error: { code: string } }).error.code).toMatch(
        /^WEBHOOK_SIGNATURE_(INVALID|MISSING)$/,
      );
    }
    await r.receiver.drain();
    expect(r.received).toHaveLength(0);
  });

  it('answers 401 when the body was re-serialized after signing (same JSON, different bytes)', async () => {
    const r = await start();
    const compact = Buffer.from(JSON.stringify(JSON.parse(fixture.toString('utf8'))));
    const signature = signBody(compact, SECRET);
    const reindented = JSON.stringify(JSON.parse(compact.toString('utf8')), null, 4);
    expect((await post(r.url, reindented, signature)).status).toBe(401);
    await r.receiver.drain();
    expect(r.received).toHaveLength(0);
  });

  it('answers 400 for malformed JSON with a valid signature, and 400 for JSON that is no envelope', async () => {
    const r = await start();
    const broken = '{"resource":"messages","event":"created","data":{"id":';
    const res = await post(r.url, broken, signBody(broken, SECRET));
    expect(res).toEqual({
      status: 400,
      json: { error: { code: 'WEBHOOK_MALFORMED_JSON', message: expect.any(String) } },
    });
    const notEnvelope = JSON.stringify({ hello: 'world' });
    const res2 = await post(r.url, notEnvelope, signBody(notEnvelope, SECRET));
    expect(res2.status).toBe(400);
    expect((res2.json as { error: { code: string } }).error.code).toBe('WEBHOOK_INVALID_ENVELOPE');
    await r.receiver.drain();
    expect(r.received).toHaveLength(0);
  });

  it('answers 413 for a body over the limit, before looking at the signature', async () => {
    const r = await start({ maxBodyBytes: 2048 });
    const big = JSON.stringify({ ...JSON.parse(fixture.toString('utf8')), padding: 'x'.repeat(4096) });
    const res = await post(r.url, big, signBody(big, SECRET));
    expect(res.status).toBe(413);
    expect((res.json as { error: { code: string } }).error.code).toBe('WEBHOOK_BODY_TOO_LARGE');
    expect((await post(r.url, fixture, signBody(fixture, SECRET))).status).toBe(200);
    await r.receiver.drain();
    expect(r.received).toHaveLength(1);
  });

  it('uses a 64 KiB body limit by default: Webex envelopes are about 1 KB', async () => {
    const r = await start();
    expect(r.receiver.limits).toEqual(DEFAULT_RECEIVER_LIMITS);
    expect(DEFAULT_RECEIVER_LIMITS.maxBodyBytes).toBe(64 * 1024);
    const padded = JSON.stringify({
      ...(JSON.parse(fixture.toString('utf8')) as object),
      padding: 'x'.repeat(60 * 1024),
    });
    expect((await post(r.url, padded, signBody(padded, SECRET))).status).toBe(200);
    const over = JSON.stringify({ ...(JSON.parse(padded) as object), more: 'x'.repeat(8 * 1024) });
    expect((await post(r.url, over, signBody(over, SECRET))).status).toBe(413);
  });

  it('answers 413 on a Content-Length over the limit before the body is sent, and closes the connection', async () => {
    const r = await start();
    const { response } = await rawExchange(
      r.origin,
      `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `X-Spark-Signature: ${'0'.repeat(40)}\r\nContent-Length: ${1024 * 1024 - 1}\r\n\r\n`,
    );
    // The server answered and hung up although not one body byte was sent: it did not wait to read 1 MiB.
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect(response).toContain('"code":"WEBHOOK_BODY_TOO_LARGE"');
    expect(r.logs.some((l) => l.msg === 'webhook rejected before reading the body')).toBe(true);
  });

  it('stops reading a chunked body once it passes the limit, answers 413 and closes', async () => {
    const r = await start({ maxBodyBytes: 4096 });
    const chunk = (data: string): string => `${data.length.toString(16)}\r\n${data}\r\n`;
    // 3 x 2 KiB chunks and no terminating chunk: the body never ends, yet the answer comes.
    const { response } = await rawExchange(
      r.origin,
      `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`,
      [chunk('a'.repeat(2048)), chunk('b'.repeat(2048)), chunk('c'.repeat(2048))],
    );
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain('"code":"WEBHOOK_BODY_TOO_LARGE"');
    await r.receiver.drain();
    expect(r.received).toHaveLength(0);
    // A normal signed envelope is still accepted afterwards.
    expect((await post(r.url, fixture, signBody(fixture, SECRET))).status).toBe(200);
  });

  it('answers 415 for a compressed body instead of inflating it', async () => {
    const r = await start();
    const res = await fetch(r.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-spark-signature': signBody(fixture, SECRET),
      },
      body: new Uint8Array(fixture),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'WEBHOOK_BODY_ENCODING_UNSUPPORTED',
    );
  });

  it('answers a replay with 200 {duplicate:true} and processes it once', async () => {
    const r = await start();
    const sig = signBody(fixture, SECRET);
    expect((await post(r.url, fixture, sig)).json).toEqual({ ok: true });
    expect((await post(r.url, fixture, sig)).json).toEqual({ ok: true, duplicate: true });
    await r.receiver.drain();
    expect(r.received).toHaveLength(1);
  });

  it('acknowledges before the handler finishes, and drain() waits for the in-flight handler', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    const r = await start({
      onEvent: async () => {
        await gate;
        finished = true;
      },
    });
    const body = envelope('msg-slow');
    expect((await post(r.url, body, signBody(body, SECRET))).status).toBe(200);
    expect(r.receiver.inFlight).toBe(1);
    const drained = r.receiver.drain().then(() => finished);
    release();
    expect(await drained).toBe(true);
    expect(r.receiver.inFlight).toBe(0);
  });

  it('logs a failing handler with its error and keeps serving the next webhook', async () => {
    const r = await start({
      onEvent: (e) =>
        e.data.id === 'msg-bad' ? Promise.reject(new Error('handler exploded')) : Promise.resolve(),
    });
    const bad = envelope('msg-bad');
    const good = envelope('msg-good');
    expect((await post(r.url, bad, signBody(bad, SECRET))).status).toBe(200);
    await r.receiver.drain();
    expect((await post(r.url, good, signBody(good, SECRET))).status).toBe(200);
    await r.receiver.drain();
    expect(r.received.map((e) => e.data.id)).toEqual(['msg-bad', 'msg-good']);
    const failure = r.logs.find((l) => l.msg === 'webhook handler failed');
    expect(failure?.err?.message).toBe('handler exploded');
    expect(failure?.dataId).toBe('msg-bad');
  });

  it('never writes the signature or the secret to the log', async () => {
    const r = await start();
    const sig = signBody(fixture, SECRET);
    await post(r.url, fixture, sig);
    await post(r.url, fixture, sig);
    await post(r.url, fixture, signBody(fixture, 'wrong-secret-0000000000000000'));
    await r.receiver.drain();
    const text = JSON.stringify(r.logs);
    expect(r.logs.length).toBeGreaterThan(0);
    expect(text).not.toContain(sig);
    expect(text).not.toContain(SECRET);
  });

  it('refuses to start without a secret', () => {
    const { logger } = capturingLogger();
    expect(() =>
      createReceiver({
        path: PATH,
        secrets: [''],
        logger,
        onEvent: () => Promise.resolve(),
        health: () => ({}),
      }),
    ).toThrow(/secret/);
  });
});
