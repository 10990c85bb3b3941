/**
 * Threads and delivery outcomes of the send queue, against the fake Webex API: a reply names the message it
 * answers and lands under that thread's top-level message, also in a new queue with nothing in memory (a
 * restart); a parent Webex refuses costs the thread, never the reply; `deliver` reports each outcome.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSendQueue, type SendQueue } from '../../src/webex/send-queue.js';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { ALICE, BOB, BOT, capturingLogger, TOKEN, type LogRecord } from '../support/fake-webex-harness.js';

let fake: FakeWebexApi;
let logs: LogRecord[];
let room: string;

function queue(opts: { maxThreadRoots?: number } = {}): SendQueue {
  const captured = capturingLogger();
  logs = captured.logs;
  return createSendQueue({
    apiUrl: fake.url,
    token: TOKEN,
    fetch,
    logger: captured.logger,
    sleep: () => Promise.resolve(),
    random: () => 0.5,
    maxAttempts: 3,
    ...opts,
  });
}

const lookups = (): string[] =>
  fake.requests
    .filter((r) => r.method === 'GET' && r.url.startsWith('/v1/messages/'))
    .map((r) => r.url.slice('/v1/messages/'.length));
const byText = (text: string) => fake.messagesIn(room).find((m) => m.markdown === text);

beforeEach(async () => {
  fake = await startFakeWebexApi({ bot: BOT, people: [ALICE, BOB], deliverOwnMessages: false });
  room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email] }).id;
});
afterEach(async () => {
  await fake.close();
});

describe('send queue threads', () => {
  it('answers a card posted inside a thread under the thread root after a restart, reading it from Webex once', async () => {
    const before = queue();
    const top = await before.post({ to: { roomId: room }, markdown: 'summary card' });
    const threadedCard = await before.post({ to: { roomId: room }, markdown: 'pool card', parentId: top.id });
    expect(byText('pool card')?.parentId).toBe(top.id);

    const after = queue(); // a restart: nothing in memory
    const answer = await after.post({
      to: { roomId: room },
      markdown: 'answer to the pool card',
      parentId: threadedCard.id,
    });
    expect(answer.parentId).toBe(top.id);
    expect(byText('answer to the pool card')?.parentId).toBe(top.id);
    expect(lookups()).toEqual([threadedCard.id]);

    // Known now, as is the root itself: no further reads.
    await after.post({ to: { roomId: room }, markdown: 'second answer', parentId: threadedCard.id });
    await after.post({ to: { roomId: room }, markdown: 'answer to the summary', parentId: top.id });
    await after.post({ to: { roomId: room }, markdown: 'answer to an answer', parentId: answer.id });
    expect(byText('second answer')?.parentId).toBe(top.id);
    expect(byText('answer to the summary')?.parentId).toBe(top.id);
    expect(byText('answer to an answer')?.parentId).toBe(top.id);
    expect(lookups()).toEqual([threadedCard.id]);
  });

  it('keeps a top-level card as the parent after a restart', async () => {
    const card = await queue().post({ to: { roomId: room }, markdown: 'card' });
    await queue().post({ to: { roomId: room }, markdown: 'answer', parentId: card.id });
    expect(byText('answer')?.parentId).toBe(card.id);
    expect(lookups()).toEqual([card.id]);
  });

  it('posts unthreaded, not lost, when the parent is gone, and logs the tracking id', async () => {
    const card = await queue().post({ to: { roomId: room }, markdown: 'deleted card' });
    fake.state.messages.delete(card.id);
    const q = queue(); // a restart: the root is read from Webex, which no longer has the card
    const sent = await q.post({ to: { roomId: room }, markdown: 'still delivered', parentId: card.id });
    expect(sent.parentId).toBeNull();
    expect(byText('still delivered')).toBeDefined();
    expect(byText('still delivered')?.parentId).toBeUndefined();
    const refusal = logs.find(
      (l) => l.msg === 'Webex refused the thread parent; posting the reply unthreaded',
    );
    expect(refusal).toMatchObject({ parentId: card.id, status: 400 });
    expect(refusal?.trackingId).toMatch(/^ROUTER_/);
  });

  it('posts unthreaded when Webex answers 404 to the threaded post', async () => {
    const q = queue();
    const card = await q.post({ to: { roomId: room }, markdown: 'card' });
    fake.faults.failNext(1, 404, { method: 'POST', path: '/messages' });
    const sent = await q.post({ to: { roomId: room }, markdown: 'answer', parentId: card.id });
    expect(sent.parentId).toBeNull();
    expect(byText('answer')?.parentId).toBeUndefined();
    expect(
      fake.requests.filter((r) => r.method === 'POST' && r.url === '/v1/messages').map((r) => r.status),
    ).toEqual([200, 404, 200]);
  });

  it('replies to the message itself when Webex cannot be asked for its thread', async () => {
    const card = await queue().post({ to: { roomId: room }, markdown: 'card' });
    fake.faults.failNext(3, 500, { method: 'GET', path: '/messages/' });
    const q = queue();
    await q.post({ to: { roomId: room }, markdown: 'answer', parentId: card.id });
    expect(byText('answer')?.parentId).toBe(card.id);
    expect(
      logs.find((l) => l.msg === 'could not read a thread parent from Webex; replying to it as is'),
    ).toMatchObject({ status: 500 });
  });

  it('keeps a bounded cache: a root pushed out is read again', async () => {
    const q = queue({ maxThreadRoots: 2 });
    const first = await q.post({ to: { roomId: room }, markdown: 'first' });
    await q.post({ to: { roomId: room }, markdown: 'second' });
    await q.post({ to: { roomId: room }, markdown: 'third' });
    await q.post({ to: { roomId: room }, markdown: 'answer', parentId: first.id });
    expect(lookups()).toEqual([first.id]);
    expect(byText('answer')?.parentId).toBe(first.id);
  });
});

describe('send queue delivery outcomes', () => {
  it('reports each outcome in order with the reason and tracking id, and never rejects', async () => {
    const q = queue();
    const outside = fake.createRoom({
      title: 'No bot',
      type: 'group',
      members: [BOB.email],
      withBot: false,
    }).id;
    const outcomes = await q.deliver([
      { to: { roomId: room }, markdown: 'fine' },
      { to: { personEmail: 'nobody@example.com' }, markdown: 'to nobody' },
      { to: { roomId: outside }, markdown: 'not a member' },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true, messageId: byText('fine')?.id });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      failure: 'not_found',
      status: 404,
      trackingId: expect.stringMatching(/^ROUTER_/) as unknown,
    });
    expect(outcomes[2]).toMatchObject({ ok: false, failure: 'forbidden', status: 403 });
  });

  it('reports rate_limited when Webex keeps answering 429 past the retries', async () => {
    const q = queue();
    fake.faults.rateLimitNext(50, 0, { method: 'POST', path: '/messages' });
    const [outcome] = await q.deliver([{ to: { roomId: room }, markdown: 'slow down' }]);
    expect(outcome).toMatchObject({ ok: false, failure: 'rate_limited', status: 429 });
    expect(fake.messagesIn(room)).toEqual([]);
  });
});
