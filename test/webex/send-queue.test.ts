import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSendQueue, type SendQueue } from '../../src/webex/send-queue.js';
import { MAX_MESSAGE_BYTES, truncateUtf8 } from '../../src/webex/truncate-utf8.js';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { VendorApiError } from '../../src/errors.js';
import { ALICE, BOB, BOT, capturingLogger, TOKEN, type LogRecord } from '../support/fake-webex-harness.js';
import type { Reply } from '../../src/bot/chat-event.js';

let fake: FakeWebexApi;
let logs: LogRecord[];
let waits: number[];
let roomA: string;
let roomB: string;

function queue(opts: { fetch?: typeof fetch; maxAttempts?: number } = {}): SendQueue {
  const captured = capturingLogger();
  logs = captured.logs;
  return createSendQueue({
    apiUrl: fake.url,
    token: TOKEN,
    fetch: opts.fetch ?? fetch,
    logger: captured.logger,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    maxAttempts: opts.maxAttempts ?? 4,
    baseBackoffMs: 200,
  });
}

const posts = (): { url: string; status: number }[] =>
  fake.requests
    .filter((r) => r.method === 'POST' && r.url === '/v1/messages')
    .map((r) => ({ url: r.url, status: r.status }));
const textsIn = (roomId: string): string[] => fake.messagesIn(roomId).map((m) => m.markdown ?? '');

beforeEach(async () => {
  fake = await startFakeWebexApi({ bot: BOT, people: [ALICE, BOB], deliverOwnMessages: false });
  waits = [];
  roomA = fake.createRoom({ title: 'A', type: 'group', members: [ALICE.email] }).id;
  roomB = fake.createRoom({ title: 'B', type: 'group', members: [BOB.email] }).id;
});
afterEach(async () => {
  await fake.close();
});

describe('createSendQueue', () => {
  it('answers a threaded message in its top-level thread, as Webex requires', async () => {
    const q = queue();
    const top = await q.post({ to: { roomId: roomA }, markdown: 'card' });
    const reply = await q.post({ to: { roomId: roomA }, markdown: 'answer', parentId: top.id });
    await q.post({ to: { roomId: roomA }, markdown: 'answer to the answer', parentId: reply.id });
    const byText = new Map(fake.messagesIn(roomA).map((m) => [m.markdown, m.parentId]));
    expect(byText.get('answer')).toBe(top.id);
    expect(byText.get('answer to the answer')).toBe(top.id);
    expect(byText.get('card')).toBeUndefined();
  });

  it('posts markdown, one adaptive card and parentId to /messages with the bearer token', async () => {
    const q = queue();
    const card = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'hi' }] };
    const parent = await q.post({ to: { roomId: roomA }, markdown: 'parent' });
    await q.send([{ to: { roomId: roomA }, markdown: 'with card', card, parentId: parent.id }]);
    const [, second] = fake.messagesIn(roomA);
    expect(second?.markdown).toBe('with card');
    expect(second?.parentId).toBe(parent.id);
    expect(second?.attachments).toEqual([
      { contentType: 'application/vnd.microsoft.card.adaptive', content: card },
    ]);
  });

  it('addresses people by id or email (toPersonId / toPersonEmail)', async () => {
    const q = queue();
    const alice = [...fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    const a = await q.post({ to: { personId: alice.id }, markdown: 'by id' });
    const b = await q.post({ to: { personEmail: ALICE.email }, markdown: 'by email' });
    expect(a.roomId).not.toBeNull();
    expect(b.roomId).toBe(a.roomId);
    expect(textsIn(a.roomId!)).toEqual(['by id', 'by email']);
  });

  it('honours Retry-After on 429 (seconds) and delivers', async () => {
    const q = queue();
    fake.faults.rateLimitNext(2, 3, { method: 'POST', path: '/messages' });
    await q.send([{ to: { roomId: roomA }, markdown: 'after the storm' }]);
    expect(waits).toEqual([3000, 3000]);
    expect(posts().map((p) => p.status)).toEqual([429, 429, 200]);
    expect(textsIn(roomA)).toEqual(['after the storm']);
  });

  it('retries 5xx with bounded, growing backoff and then succeeds', async () => {
    const q = queue();
    fake.faults.failNext(2, 502, { method: 'POST', path: '/messages' });
    await q.send([{ to: { roomId: roomA }, markdown: 'eventually' }]);
    // random() = 0.5 -> 3/4 of the ceiling: 200 ms, then 400 ms ceilings.
    expect(waits).toEqual([150, 300]);
    expect(textsIn(roomA)).toEqual(['eventually']);
  });

  it('gives up after maxAttempts, rejects for the caller and logs the tracking id', async () => {
    const q = queue({ maxAttempts: 3 });
    fake.faults.failNext(10, 500, { method: 'POST', path: '/messages' });
    const err = await q.post({ to: { roomId: roomA }, markdown: 'doomed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorApiError);
    const e = err as VendorApiError;
    expect(e.code).toBe('WEBEX_SEND_FAILED');
    expect(e.status).toBe(500);
    expect(posts()).toHaveLength(3);
    expect(waits).toHaveLength(2);
    const last = fake.requests.filter((r) => r.url === '/v1/messages').at(-1);
    expect(last?.status).toBe(500);
    const failure = logs.find((l) => l.msg === 'message not sent: Webex refused it');
    expect(failure?.trackingId).toMatch(/^ROUTER_/);
    expect(e.trackingId).toBe(failure?.trackingId);
    expect(textsIn(roomA)).toEqual([]);
  });

  it('does not retry a 4xx other than 423/429', async () => {
    const q = queue();
    fake.faults.failNext(1, 400, { method: 'POST', path: '/messages' });
    await expect(q.send([{ to: { roomId: roomA }, markdown: 'bad' }])).rejects.toMatchObject({
      code: 'WEBEX_SEND_FAILED',
    });
    expect(posts()).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries network errors, then gives up with a clear error', async () => {
    let failures = 1;
    const flaky: typeof fetch = (input, init) => {
      if (failures-- > 0) return Promise.reject(new TypeError('fetch failed: ECONNRESET'));
      return fetch(input, init);
    };
    await queue({ fetch: flaky }).send([{ to: { roomId: roomA }, markdown: 'after reset' }]);
    expect(textsIn(roomA)).toEqual(['after reset']);
    const dead: typeof fetch = () => Promise.reject(new TypeError('fetch failed: ECONNREFUSED'));
    await expect(
      queue({ fetch: dead, maxAttempts: 2 }).post({ to: { roomId: roomA }, markdown: 'x' }),
    ).rejects.toThrow(/network error/);
    expect(
      logs.some(
        (l) => l.msg === 'message not sent: network error' && l.err?.message?.includes('ECONNREFUSED'),
      ),
    ).toBe(true);
  });

  it('keeps FIFO order per space through 429s', async () => {
    const q = queue();
    fake.faults.rateLimitNext(4, 1, { method: 'POST', path: '/messages' });
    const replies: Reply[] = ['1', '2', '3', '4', '5'].map((n) => ({
      to: { roomId: roomA },
      markdown: `m${n}`,
    }));
    await Promise.all([q.send(replies.slice(0, 2)), q.send(replies.slice(2))]);
    expect(textsIn(roomA)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('lets another space proceed while one space is held up', async () => {
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => {
      releaseA = r;
    });
    const gated: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes(roomA)) await gateA;
      return fetch(input, init);
    };
    const q = queue({ fetch: gated });
    const a = q.send([
      { to: { roomId: roomA }, markdown: 'a1' },
      { to: { roomId: roomA }, markdown: 'a2' },
    ]);
    await q.send([
      { to: { roomId: roomB }, markdown: 'b1' },
      { to: { roomId: roomB }, markdown: 'b2' },
    ]);
    expect(textsIn(roomB)).toEqual(['b1', 'b2']);
    expect(textsIn(roomA)).toEqual([]);
    releaseA();
    await a;
    expect(textsIn(roomA)).toEqual(['a1', 'a2']);
  });

  it('continues a space after a failed message and reports the failure to the caller only', async () => {
    const q = queue({ maxAttempts: 1 });
    fake.faults.failNext(1, 500, { method: 'POST', path: '/messages' });
    const result = await q
      .send([
        { to: { roomId: roomA }, markdown: 'lost' },
        { to: { roomId: roomA }, markdown: 'kept' },
      ])
      .catch((e: unknown) => e);
    expect(result).toMatchObject({ code: 'WEBEX_SEND_FAILED', message: '1 of 2 replies were not sent' });
    expect(textsIn(roomA)).toEqual(['kept']);
    await q.idle();
  });

  it('truncates markdown over 7439 UTF-8 bytes without splitting a character (Webex accepts it)', async () => {
    const q = queue();
    const long = '€'.repeat(4000); // 12,000 bytes
    await q.send([{ to: { roomId: roomA }, markdown: long }]);
    const [m] = fake.messagesIn(roomA);
    const sent = m?.markdown ?? '';
    expect(Buffer.byteLength(sent, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(sent).not.toContain('\uFFFD');
    expect(sent.endsWith('(truncated)')).toBe(true);
    expect(truncateUtf8('short')).toBe('short');
    expect(truncateUtf8('😀'.repeat(3000))).toMatch(/^(😀)+\n\n… \(truncated\)$/u);
  });
});
