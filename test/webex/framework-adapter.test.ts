// Integration: real webex-node-bot-framework + real receiver + fake Webex API over loopback.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent, ChatHandler, Reply } from '../../src/bot/chat-event.js';
import { AppError } from '../../src/errors.js';
import { startFakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import type { FakeMessage } from '../../src/sandbox/fake-webex-api.js';
import { hydraId } from '../../src/sandbox/fake-webex/hydra-id.js';
import { messageEvent } from '../../src/sandbox/fake-webex/fake-world.js';
import { startFrameworkAdapter } from '../../src/webex/framework-adapter.js';
import { frameworkEnv } from '../../src/webex/framework-env.js';
import { signBody } from '../../src/webex/sign-body.js';
import {
  ALICE,
  BOB,
  BOT,
  capturingLogger,
  SECRET,
  startFakeWebexHarness,
  TOKEN,
  waitUntil,
  type FakeWebexHarness,
} from '../support/fake-webex-harness.js';

/** Echo bot: replies "echo: <text>" to messages, a card to "card", and records every event. */
function echoBot(
  extra?: (e: ChatEvent) => Reply[] | Promise<Reply[]>,
): ChatHandler & { events: ChatEvent[] } {
  const events: ChatEvent[] = [];
  return {
    events,
    async handle(e) {
      events.push(e);
      if (extra) return extra(e);
      if (e.kind !== 'message') return [];
      if (e.text === 'card') {
        return [
          {
            to: { roomId: e.roomId },
            markdown: 'card fallback',
            card: {
              type: 'AdaptiveCard',
              version: '1.3',
              body: [],
              actions: [{ type: 'Action.Submit', title: 'Go', data: { verb: 'go' } }],
            },
          },
        ];
      }
      return [{ to: { roomId: e.roomId }, markdown: `echo: ${e.text}` }];
    },
  };
}

let h: FakeWebexHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const botPosts = (hh: FakeWebexHarness, roomId: string): string[] =>
  hh.fake
    .messagesIn(roomId)
    .filter((m) => m.personId === hh.fake.state.bot.id)
    .map((m) => m.markdown ?? m.text ?? '');

/** Stores a message in the fake without delivering it (for hand-built envelopes). */
function seedMessage(hh: FakeWebexHarness, roomId: string, personEmail: string, text: string): FakeMessage {
  const person = [...hh.fake.state.people.values()].find((p) => p.emails[0] === personEmail)!;
  const room = hh.fake.state.rooms.get(roomId)!;
  const m: FakeMessage = {
    id: hydraId('MESSAGE'),
    roomId,
    roomType: room.type,
    personId: person.id,
    personEmail,
    text,
    created: new Date().toISOString(),
  };
  hh.fake.state.messages.set(m.id, m);
  return m;
}

function messageEnvelope(hh: FakeWebexHarness, m: FakeMessage): Record<string, unknown> {
  return hh.fake.envelopeFor(messageEvent(m));
}

describe('framework adapter over the fake Webex API', () => {
  it('registers both webhooks with our secret and lowers the people batcher wait (batching kept)', async () => {
    h = await startFakeWebexHarness({ handler: echoBot() });
    const hooks = [...h.fake.state.webhooks.values()];
    expect(hooks.map((w) => `${w.resource}:${w.event}`).sort()).toEqual([
      'all:all',
      'attachmentActions:created',
    ]);
    expect(
      hooks.every(
        (w) => w.secret === SECRET && w.targetUrl === h!.webhookUrl && w.name === h!.adapter.webhookName,
      ),
    ).toBe(true);
    const people = (
      h.adapter.framework.webex as { config: { people: { batcherWait: number; batcherMaxCalls: number } } }
    ).config.people;
    expect(people.batcherWait).toBe(5);
    expect(people.batcherMaxCalls).toBe(10);
    expect(h.adapter.bot).toEqual({
      id: h.fake.state.bot.id,
      email: BOT.email,
      displayName: BOT.displayName,
    });
    // Startup listed no spaces (maxStartupSpaces: 0).
    expect(h.fake.requests.some((r) => r.url.startsWith('/v1/memberships'))).toBe(false);
  });

  it('answers a message in a direct space through the send queue', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const said = await h.fake.userSays({
      roomId: room.id,
      personEmail: ALICE.email,
      text: '  hello   there ',
    });
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    expect(botPosts(h, room.id)).toEqual(['echo: hello   there']);
    const alice = [...h.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    expect(bot.events).toEqual([
      {
        kind: 'message',
        id: said.id,
        roomId: room.id,
        roomType: 'direct',
        person: { id: alice.id, email: ALICE.email, displayName: ALICE.displayName },
        text: 'hello   there',
        mentionedBot: false,
        parentId: null,
      },
    ]);
  });

  it('ignores the bot’s own posts, which Webex delivers back in direct spaces', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'ping' });
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    await h.settle();
    const ownDeliveries = h.fake.state.deliveries.filter(
      (d) => d.dataId === h!.fake.messagesIn(room.id)[1]?.id,
    );
    expect(ownDeliveries).toEqual([expect.objectContaining({ resource: 'messages', status: 200 })]);
    expect(bot.events).toHaveLength(1);
    expect(botPosts(h, room.id)).toEqual(['echo: ping']);
  });

  it('in a group space answers only when mentioned, with the mention stripped', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
    await h.fake.userSays({
      roomId: room.id,
      personEmail: BOB.email,
      text: 'just chatting',
      mentionBot: false,
    });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'status please' });
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    await h.settle();
    expect(botPosts(h, room.id)).toEqual(['echo: status please']);
    expect(bot.events).toEqual([
      expect.objectContaining({
        kind: 'message',
        roomType: 'group',
        mentionedBot: true,
        text: 'status please',
      }),
    ]);
    // The unmentioned message never reached the receiver.
    expect(h.fake.state.deliveries.filter((d) => d.resource === 'messages')).toHaveLength(1);
  });

  it('processes an indented body signed over its own bytes (not dropped by the framework’s own check)', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const m = seedMessage(h, room.id, ALICE.email, 'indented hello');
    const body = JSON.stringify(messageEnvelope(h, m), null, 2);
    expect(body).toContain('\n  "resource"');
    expect((await h.postWebhook(body, { 'x-spark-signature': signBody(body, SECRET) })).status).toBe(200);
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    expect(botPosts(h, room.id)).toEqual(['echo: indented hello']);
  });

  it('processes a compact body with non-ASCII text escaped differently from JSON.stringify', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const m = seedMessage(h, room.id, ALICE.email, 'grüße');
    const env = messageEnvelope(h, m);
    env.note = 'é/ü';
    const body = JSON.stringify(env).replace('é/ü', '\\u00e9\\/\\u00fc');
    expect((await h.postWebhook(body, { 'x-spark-signature': signBody(body, SECRET) })).status).toBe(200);
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    expect(botPosts(h, room.id)).toEqual(['echo: grüße']);
  });

  it('rejects forged, missing and re-serialized signatures with 401 and processes nothing', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const m = seedMessage(h, room.id, ALICE.email, 'forged');
    const compact = JSON.stringify(messageEnvelope(h, m));
    expect(
      (await h.postWebhook(compact, { 'x-spark-signature': signBody(compact, 'attacker-secret-0000000000') }))
        .status,
    ).toBe(401);
    expect((await h.postWebhook(compact)).status).toBe(401);
    const reserialized = JSON.stringify(JSON.parse(compact), null, 2);
    expect(
      (await h.postWebhook(reserialized, { 'x-spark-signature': signBody(compact, SECRET) })).status,
    ).toBe(401);
    await h.settle();
    expect(bot.events).toEqual([]);
    expect(h.fake.requests.some((r) => r.url === `/v1/messages/${m.id}`)).toBe(false);
  });

  it('answers a replayed webhook with 200 duplicate and handles it once', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const m = seedMessage(h, room.id, ALICE.email, 'once');
    const body = JSON.stringify(messageEnvelope(h, m));
    const sig = { 'x-spark-signature': signBody(body, SECRET) };
    expect((await h.postWebhook(body, sig)).json).toEqual({ ok: true });
    expect((await h.postWebhook(body, sig)).json).toEqual({ ok: true, duplicate: true });
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    await h.settle();
    expect(bot.events).toHaveLength(1);
    expect(botPosts(h, room.id)).toEqual(['echo: once']);
  });

  it('answers malformed JSON with a valid signature with 400, and an oversized body with 413', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot, limits: { maxBodyBytes: 4096 } });
    const broken = '{"name":"x","resource":"messages",';
    expect((await h.postWebhook(broken, { 'x-spark-signature': signBody(broken, SECRET) })).status).toBe(400);
    const big = JSON.stringify({
      resource: 'messages',
      event: 'created',
      name: 'x',
      data: { id: 'y' },
      pad: 'p'.repeat(5000),
    });
    expect((await h.postWebhook(big, { 'x-spark-signature': signBody(big, SECRET) })).status).toBe(413);
    await h.settle();
    expect(bot.events).toEqual([]);
  });

  it('takes a card action’s actor from Webex, never from forged inputs, and passes inputs as-is', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'card' });
    const [card] = await h.fake.waitForMessages((all) => all.some((m) => (m.attachments ?? []).length > 0));
    const cardMsg = h.fake.messagesIn(room.id).find((m) => (m.attachments ?? []).length > 0)!;
    expect(card).toBeDefined();
    const alice = [...h.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    const inputs = {
      verb: 'approve',
      personId: alice.id,
      personEmail: ALICE.email,
      email: 'ceo@example.com',
    };
    const action = await h.fake.userSubmits({ messageId: cardMsg.id, personEmail: BOB.email, inputs });
    await waitUntil(() => bot.events.some((e) => e.kind === 'cardAction'), 'card action event');
    const bob = [...h.fake.state.people.values()].find((p) => p.emails[0] === BOB.email)!;
    expect(bot.events.find((e) => e.kind === 'cardAction')).toEqual({
      kind: 'cardAction',
      id: action.id,
      messageId: cardMsg.id,
      roomId: room.id,
      roomType: 'group',
      person: { id: bob.id, email: BOB.email, displayName: BOB.displayName },
      inputs,
    });
  });

  it('emits botAdded when a user adds the bot to a space, and nothing for late discovery', async () => {
    const bot = echoBot();
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({
      title: 'Licenses',
      type: 'group',
      members: [ALICE.email],
      withBot: false,
    });
    const alice = [...h.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    await h.fake.addBotToRoom(room.id, alice.id);
    await waitUntil(() => bot.events.length === 1, 'botAdded');
    expect(bot.events).toEqual([
      { kind: 'botAdded', roomId: room.id, roomType: 'group', title: 'Licenses', addedBy: alice.id },
    ]);
    // A direct space discovered late (first message) greets nobody: only the message event arrives.
    const dm = h.fake.createRoom({ title: 'Bob', type: 'direct', members: [BOB.email] });
    await h.fake.userSays({ roomId: dm.id, personEmail: BOB.email, text: 'hi' });
    await h.fake.waitForMessages(() => botPosts(h!, dm.id).length === 1);
    expect(bot.events.map((e) => e.kind)).toEqual(['botAdded', 'message']);
  });

  it('logs a throwing handler, stays alive, and handles the next message', async () => {
    const bot = echoBot((e) => {
      if (e.kind === 'message' && e.text === 'boom') throw new Error('handler blew up');
      return e.kind === 'message' ? [{ to: { roomId: e.roomId }, markdown: `ok: ${e.text}` }] : [];
    });
    h = await startFakeWebexHarness({ handler: bot });
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'boom' });
    await h.settle();
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'after' });
    await h.fake.waitForMessages(() => botPosts(h!, room.id).length === 1);
    expect(botPosts(h, room.id)).toEqual(['ok: after']);
    const logged = h.logs.find((l) => l.msg === 'chat event handling failed');
    expect(logged?.err?.message).toBe('handler blew up');
  });

  it('delivers every reply, in order per space, through a burst of 429s', async () => {
    const bot = echoBot((e) =>
      e.kind === 'message'
        ? ['a', 'b', 'c'].map((s) => ({ to: { roomId: e.roomId }, markdown: `${e.text}-${s}` }))
        : [],
    );
    const waits: number[] = [];
    h = await startFakeWebexHarness({
      handler: bot,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const r1 = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const r2 = h.fake.createRoom({ title: 'Bob', type: 'direct', members: [BOB.email] });
    h.fake.faults.rateLimitNext(5, 2, { method: 'POST', path: '/messages' });
    await Promise.all([
      h.fake.userSays({ roomId: r1.id, personEmail: ALICE.email, text: 'x' }),
      h.fake.userSays({ roomId: r2.id, personEmail: BOB.email, text: 'y' }),
    ]);
    await h.fake.waitForMessages(() => botPosts(h!, r1.id).length === 3 && botPosts(h!, r2.id).length === 3);
    expect(botPosts(h, r1.id)).toEqual(['x-a', 'x-b', 'x-c']);
    expect(botPosts(h, r2.id)).toEqual(['y-a', 'y-b', 'y-c']);
    expect(waits).toEqual([2000, 2000, 2000, 2000, 2000]);
  });

  it('retries a failed batched people lookup of the SDK instead of losing it or crashing', async () => {
    h = await startFakeWebexHarness({ handler: echoBot() });
    const alice = [...h.fake.state.people.values()].find((p) => p.emails[0] === ALICE.email)!;
    h.fake.faults.failNext(1, 500, { method: 'GET', path: /^\/people\/?$/ });
    const sdk = h.adapter.framework.webex as { people: { get(id: string): Promise<{ id: string }> } };
    await expect(sdk.people.get(alice.id)).resolves.toMatchObject({ id: alice.id });
    expect(
      h.logs.some((l) => l.msg === 'Webex people lookup failed; the lookups waiting on it are rejected (and retried)'),
    ).toBe(true);
    const lookups = h.fake.requests.filter((r) => /^\/v1\/people\/?\?/.test(r.url));
    expect(lookups.map((r) => r.status)).toEqual([500, 200]);
  });

  it('stop() deletes no webhook, and a restart replaces only ours (a foreign webhook survives)', async () => {
    h = await startFakeWebexHarness({ handler: echoBot() });
    const foreign = await fetch(`${h.fake.url}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'someone else',
        targetUrl: 'http://127.0.0.1:9/other',
        resource: 'messages',
        event: 'created',
      }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await h.adapter.stop();
    expect(h.fake.state.webhooks.size).toBe(3);
    const { logger } = capturingLogger();
    const again = await startFrameworkAdapter({
      token: TOKEN,
      webhookUrl: h.webhookUrl,
      webhookSecret: SECRET,
      apiUrl: h.fake.url,
      logger,
      handler: echoBot(),
      outbox: h.sendQueue,
    });
    expect(h.fake.state.webhooks.size).toBe(3);
    expect(h.fake.state.webhooks.has(foreign.id)).toBe(true);
    await again.stop();
  });
});

describe('startFrameworkAdapter failures', () => {
  it('throws WEBEX_WEBHOOK_SETUP_FAILED when Webex refuses to create the webhooks', async () => {
    const fake = await startFakeWebexApi({ bot: BOT });
    const { logger } = capturingLogger();
    fake.faults.failNext(5, 500, { method: 'POST', path: '/webhooks' });
    try {
      const err = await startFrameworkAdapter({
        token: TOKEN,
        webhookUrl: 'http://127.0.0.1:9/webex/webhook',
        webhookSecret: SECRET,
        apiUrl: fake.url,
        logger,
        handler: echoBot(),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('WEBEX_WEBHOOK_SETUP_FAILED');
    } finally {
      await fake.close();
    }
  });

  it('throws WEBEX_START_FAILED when the token is refused, and survives a failing webhook listing', async () => {
    const fake = await startFakeWebexApi({ bot: BOT });
    const { logger, logs } = capturingLogger();
    const opts = {
      token: TOKEN,
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookSecret: SECRET,
      apiUrl: fake.url,
      logger,
      handler: echoBot(),
    };
    try {
      fake.faults.failNext(1, 401, { path: '/people/me' });
      await expect(startFrameworkAdapter(opts)).rejects.toMatchObject({ code: 'WEBEX_START_FAILED' });
      fake.faults.failNext(1, 500, { method: 'GET', path: '/webhooks' });
      const adapter = await startFrameworkAdapter(opts);
      expect(fake.state.webhooks.size).toBe(2);
      expect(
        logs.some((l) => l.msg === 'listing Webex webhooks failed; old webhooks of ours are not replaced'),
      ).toBe(true);
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });

  it('frameworkEnv returns the SDK variables for a custom API URL, and none for U2C on webexapis.com', () => {
    expect(frameworkEnv('http://127.0.0.1:4000/v1')).toEqual({
      HYDRA_SERVICE_URL: 'http://127.0.0.1:4000/v1',
      U2C_SERVICE_URL: 'http://127.0.0.1:4000/u2c/api/v1',
      WEBEX_LOG_LEVEL: 'silent',
    });
    expect(frameworkEnv('https://webexapis.com/v1')).toEqual({
      HYDRA_SERVICE_URL: 'https://webexapis.com/v1',
      WEBEX_LOG_LEVEL: 'silent',
    });
  });
});
