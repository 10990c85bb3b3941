// Lossless intake, end to end: the real receiver and webex-node-bot-framework against the fake Webex API over
// loopback, with the fake failing the reads the framework used to swallow (message, card action, person).
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent, ChatHandler, Reply } from '../../src/bot/chat-event.js';
import type { FakeAttachmentAction, FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import { messageEvent } from '../../src/sandbox/fake-webex/fake-world.js';
import { signBody } from '../../src/webex/sign-body.js';
import {
  ALICE,
  BOB,
  SECRET,
  startFakeWebexHarness,
  waitUntil,
  type FakeWebexHarness,
} from '../support/fake-webex-harness.js';

const CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [],
  actions: [{ type: 'Action.Submit', title: 'Go', data: { verb: 'go' } }],
};

/** Echoes messages, sends a card for "card", answers clicks "clicked <verb>" in the card's thread. */
function echoBot(): ChatHandler & { events: ChatEvent[] } {
  const events: ChatEvent[] = [];
  return {
    events,
    handle(e) {
      events.push(e);
      const replies: Reply[] =
        e.kind === 'message'
          ? [
              e.text === 'card'
                ? { to: { roomId: e.roomId }, markdown: 'card fallback', card: CARD }
                : { to: { roomId: e.roomId }, markdown: `echo: ${e.text}` },
            ]
          : e.kind === 'cardAction'
            ? [
                {
                  to: { roomId: e.roomId },
                  markdown: `clicked ${String(e.inputs.verb)}`,
                  parentId: e.messageId,
                },
              ]
            : [];
      return Promise.resolve(replies);
    },
  };
}

let h: FakeWebexHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const botPosts = (hh: FakeWebexHarness, roomId: string): FakeMessage[] =>
  hh.fake.messagesIn(roomId).filter((m) => m.personId === hh.fake.state.bot.id);
const texts = (ms: FakeMessage[]): string[] => ms.map((m) => m.markdown ?? m.text ?? '');

/** Starts the harness with recorded retry waits and a fixed jitter (backoff = 3/4 of its ceiling). */
async function start(
  bot = echoBot(),
): Promise<{ hh: FakeWebexHarness; bot: ReturnType<typeof echoBot>; waits: number[] }> {
  const waits: number[] = [];
  h = await startFakeWebexHarness({
    handler: bot,
    retrySleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
  return { hh: h, bot, waits };
}

/** Alice gets a card from the bot in `room`; returns the card message. */
async function cardFor(hh: FakeWebexHarness, room: FakeRoom): Promise<FakeMessage> {
  await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'card' });
  await hh.fake.waitForMessages(() => botPosts(hh, room.id).some((m) => (m.attachments ?? []).length > 0));
  await hh.settle();
  return botPosts(hh, room.id).find((m) => (m.attachments ?? []).length > 0)!;
}

/** POSTs the envelope Webex would send for `ev` again, signed like Webex (a replay of that delivery). */
async function replay(hh: FakeWebexHarness, ev: Parameters<FakeWebexHarness['fake']['envelopeFor']>[0]) {
  const body = JSON.stringify(hh.fake.envelopeFor(ev));
  return hh.postWebhook(body, { 'x-spark-signature': signBody(body, SECRET) });
}

function actionEvent(a: FakeAttachmentAction) {
  const { inputs: _inputs, ...data } = a;
  return { resource: 'attachmentActions', event: 'created', actorId: a.personId, data };
}

const requestsTo = (hh: FakeWebexHarness, path: RegExp): number[] =>
  hh.fake.requests.filter((r) => r.method === 'GET' && path.test(r.url)).map((r) => r.status);

describe('lossless intake: reads retried', () => {
  it('answers a message once after a 429 with Retry-After, a 503 and a 500 on GET /messages/{id}', async () => {
    const { hh, bot, waits } = await start();
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    hh.fake.faults.rateLimitNext(1, 3, { method: 'GET', path: /^\/messages\// });
    hh.fake.faults.failNext(1, 503, { method: 'GET', path: /^\/messages\// }, 2);
    hh.fake.faults.failNext(1, 500, { method: 'GET', path: /^\/messages\// });
    const said = await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'hello' });
    await hh.settle();
    expect(texts(botPosts(hh, room.id))).toEqual(['echo: hello']);
    expect(bot.events.filter((e) => e.kind === 'message' && e.id === said.id)).toHaveLength(1);
    expect(requestsTo(hh, new RegExp(`^/v1/messages/${said.id}$`))).toEqual([429, 503, 500, 200]);
    // Retry-After 3 s and 2 s honoured; the 500 waited the first backoff (375 ms with this jitter).
    expect(waits).toEqual([3000, 2000, 375]);
    // The framework read the message from the intake, not a second time from Webex.
    expect(requestsTo(hh, /^\/v1\/messages\//)).toHaveLength(4);
  });

  it('makes a click take effect once after a 429 and a 502 on GET /attachment/actions/{id}', async () => {
    const { hh, bot, waits } = await start();
    const room = hh.fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
    const card = await cardFor(hh, room);
    waits.length = 0;
    hh.fake.faults.rateLimitNext(1, 1, { method: 'GET', path: /^\/attachment\/actions\// });
    hh.fake.faults.failNext(1, 502, { method: 'GET', path: /^\/attachment\/actions\// });
    const action = await hh.fake.userSubmits({
      messageId: card.id,
      personEmail: BOB.email,
      inputs: { verb: 'go' },
    });
    await hh.settle();
    expect(bot.events.filter((e) => e.kind === 'cardAction')).toEqual([
      expect.objectContaining({ id: action.id, messageId: card.id, inputs: { verb: 'go' } }),
    ]);
    const answers = botPosts(hh, room.id).filter((m) => m.parentId === card.id);
    expect(texts(answers)).toEqual(['clicked go']);
    expect(requestsTo(hh, /^\/v1\/attachment\/actions\//)).toEqual([429, 502, 200]);
    expect(waits).toEqual([1000, 375]);
  });

  it('answers after a 429 and a 500 on the people lookup, and after a dropped connection', async () => {
    const { hh, bot, waits } = await start();
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    hh.fake.faults.rateLimitNext(1, 4, { method: 'GET', path: '/people' });
    hh.fake.faults.failNext(1, 500, { method: 'GET', path: '/people' });
    hh.fake.faults.dropNext(1, { method: 'GET', path: /^\/messages\// });
    await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'who am i' });
    await hh.settle();
    expect(texts(botPosts(hh, room.id))).toEqual(['echo: who am i']);
    expect(bot.events).toEqual([
      expect.objectContaining({ kind: 'message', person: expect.objectContaining({ email: ALICE.email }) }),
    ]);
    const alice = [...hh.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    expect(requestsTo(hh, new RegExp(`^/v1/people/${alice.id}$`))).toEqual([429, 500, 200]);
    expect(waits).toEqual([375, 4000, 375]);
  });

  it('reads a space it has not seen yet (late discovery) through 429s on its rooms and memberships lookups', async () => {
    const { hh } = await start();
    const room = hh.fake.createRoom({ title: 'Bob', type: 'direct', members: [BOB.email] });
    hh.fake.faults.rateLimitNext(1, 1, { method: 'GET', path: /^\/rooms\// });
    hh.fake.faults.rateLimitNext(2, 1, { method: 'GET', path: '/memberships' });
    await hh.fake.userSays({ roomId: room.id, personEmail: BOB.email, text: 'first words' });
    await hh.settle();
    expect(texts(botPosts(hh, room.id))).toEqual(['echo: first words']);
  });

  it('hands both of two concurrent first messages in a new space to the bot (the framework drops one while it discovers the space)', async () => {
    const { hh, bot } = await start();
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    // Both arrive while the space is still unknown: the framework drops an event for a space it is spawning.
    await Promise.all([
      hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'one' }),
      hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'two' }),
    ]);
    await hh.settle();
    expect(bot.events.map((e) => (e.kind === 'message' ? e.text : e.kind)).sort()).toEqual(['one', 'two']);
    expect((await hh.health()).json).toMatchObject({ intake: { processed: 2, unread: 0 } });
  });
});

describe('lossless intake: reads that fail for good', () => {
  it('reports an unreadable click (log with tracking id, /healthz, the clicker told in the thread); its replay is processed', async () => {
    const { hh, bot } = await start();
    const room = hh.fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
    const card = await cardFor(hh, room);
    // Five 500s: every attempt the policy allows.
    hh.fake.faults.failNext(5, 500, { method: 'GET', path: /^\/attachment\/actions\// });
    const action = await hh.fake.userSubmits({
      messageId: card.id,
      personEmail: BOB.email,
      inputs: { verb: 'go' },
    });
    await hh.settle();

    expect(bot.events.filter((e) => e.kind === 'cardAction')).toEqual([]);
    const lost = hh.logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('webhook event lost'));
    const trackingIds = hh.fake.requests
      .filter((r) => r.url.startsWith('/v1/attachment/actions/'))
      .map((r) => r.status);
    expect(trackingIds).toEqual([500, 500, 500, 500, 500]);
    expect(lost).toMatchObject({
      level: 50,
      resource: 'attachmentActions',
      dataId: action.id,
      step: 'cardAction',
      status: 500,
      trackingId: expect.stringMatching(/^ROUTER_/),
    });
    const told = botPosts(hh, room.id).filter((m) => m.parentId === card.id);
    expect(texts(told)).toEqual([expect.stringMatching(/could not read your click.*click the button again/)]);
    const health = await hh.health();
    expect(health.json).toMatchObject({
      intake: {
        unread: 1,
        unreadBySteps: { cardAction: 1, message: 0, person: 0, framework: 0 },
        clickersTold: 1,
        lastUnread: {
          resource: 'attachmentActions',
          dataId: action.id,
          status: 500,
          trackingId: lost?.trackingId,
        },
      },
    });

    // Webex (or an operator) delivers the same event again: processed, not ignored as a duplicate.
    expect((await replay(hh, actionEvent(action))).json).toEqual({ ok: true });
    await hh.settle();
    expect(bot.events.filter((e) => e.kind === 'cardAction')).toEqual([
      expect.objectContaining({ id: action.id }),
    ]);
    expect(texts(botPosts(hh, room.id).filter((m) => m.parentId === card.id))).toEqual([
      told[0]!.markdown,
      'clicked go',
    ]);
    // Once read, a further replay is a duplicate.
    expect((await replay(hh, actionEvent(action))).json).toEqual({ ok: true, duplicate: true });
    await hh.settle();
    expect(bot.events.filter((e) => e.kind === 'cardAction')).toHaveLength(1);
  });

  it('reports a message whose author cannot be read, and processes its replay', async () => {
    const { hh, bot } = await start();
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    // 429 without end: the rate-limit budget (8) and then the attempts run out.
    hh.fake.faults.rateLimitNext(20, 1, { method: 'GET', path: '/people' });
    const said = await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'lost?' });
    await hh.settle();
    expect(bot.events).toEqual([]);
    expect(botPosts(hh, room.id)).toEqual([]);
    expect((await hh.health()).json).toMatchObject({
      intake: { unread: 1, unreadBySteps: { person: 1 }, clickersTold: 0 },
    });
    expect(
      hh.logs.some(
        (l) => l.msg?.includes('its author could not be read') === true && l['trackingId'] !== null,
      ),
    ).toBe(true);
    hh.fake.faults.clear();
    expect((await replay(hh, messageEvent(said))).json).toEqual({ ok: true });
    await hh.settle();
    expect(texts(botPosts(hh, room.id))).toEqual(['echo: lost?']);
  });

  it('reports a message that is gone (404 after the lag retries) with its step and status', async () => {
    const { hh, bot, waits } = await start();
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    hh.fake.faults.failNext(3, 404, { method: 'GET', path: /^\/messages\// });
    await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'vanishing' });
    await hh.settle();
    expect(bot.events).toEqual([]);
    expect(waits).toEqual([375, 750]);
    expect((await hh.health()).json).toMatchObject({
      intake: { unread: 1, lastUnread: { step: 'message', status: 404 } },
    });
  });
});

describe('lossless intake: bounded under a burst', () => {
  it('queues a burst past the in-flight cap, refuses only past the queue with 503, then processes every accepted event', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const inner = echoBot();
    /** Events that reached the bot (and wait there until the gate opens). */
    const entered: ChatEvent[] = [];
    const bot: ChatHandler = {
      async handle(e) {
        entered.push(e);
        await gate;
        return inner.handle(e);
      },
    };
    h = await startFakeWebexHarness({
      handler: bot,
      retrySleep: () => Promise.resolve(),
      limits: { maxInFlightEvents: 4, maxQueuedEvents: 20 },
    });
    const hh = h;
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const alice = [...hh.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    const bodies = Array.from({ length: 40 }, (_, i) => {
      const m: FakeMessage = {
        id: `${alice.id.slice(0, 8)}-burst-${i}`,
        roomId: room.id,
        roomType: 'direct',
        personId: alice.id,
        personEmail: ALICE.email,
        text: `burst ${i}`,
        created: new Date(0).toISOString(),
      };
      hh.fake.state.messages.set(m.id, m);
      return JSON.stringify(hh.fake.envelopeFor(messageEvent(m)));
    });
    // The first four take the slots; wait until they are inside the bot, so the rest must queue.
    for (const body of bodies.slice(0, 4))
      await hh.postWebhook(body, { 'x-spark-signature': signBody(body, SECRET) });
    await waitUntil(() => entered.length === 4, 'four events in the bot').catch((err: unknown) => {
      open();
      throw err;
    });
    const answers = await Promise.all(
      bodies.slice(4).map((body) => hh.postWebhook(body, { 'x-spark-signature': signBody(body, SECRET) })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
    expect(answers.filter((a) => a.status === 503)).toHaveLength(16);
    expect(answers.find((a) => a.status === 503)?.json).toEqual({
      error: { code: 'WEBHOOK_BUSY', message: expect.any(String) },
    });
    const { intake } = hh.receiver;
    expect(intake).toMatchObject({ running: 4, queued: 20, peakQueued: 20, refused: 16, accepted: 24 });
    // Envelopes are about 1 KB: the queue holds 20 of them, not 36.
    expect(intake.queuedBytes).toBeLessThan(20 * 1500);
    expect(hh.logs.filter((l) => l.msg?.startsWith('webhook refused with 503') === true)).toHaveLength(1);

    open();
    await hh.settle();
    expect(entered).toHaveLength(24);
    expect(hh.receiver.intake).toMatchObject({ running: 0, queued: 0, queuedBytes: 0 });
    expect(botPosts(hh, room.id)).toHaveLength(24);
    // A refused delivery was not marked as seen: its redelivery is accepted and processed.
    const refusedBody = bodies[4 + answers.findIndex((a) => a.status === 503)]!;
    expect(
      (await hh.postWebhook(refusedBody, { 'x-spark-signature': signBody(refusedBody, SECRET) })).status,
    ).toBe(200);
    await hh.settle();
    expect(entered).toHaveLength(25);
  });
});
