// Self-healing webhooks, end to end: the fake Webex API switches the bot's webhooks off (after failed deliveries,
// or by its sandbox switch) and stops delivering; the webhook-check job, through the webhook doctor, switches
// them back on or recreates them, the bot hears again, and the admins get one message per outage.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import type { ChatHandler } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { webhookCheckJob } from '../../src/jobs/webhook-check.js';
import type { Job } from '../../src/jobs/scheduler.js';
import type { FakeMessage, FakeRoom, FakeWebhook } from '../../src/sandbox/fake-webex-api.js';
import { frameworkWebhookName } from '../../src/webex/framework-webhook-name.js';
import {
  ALICE,
  BOB,
  BOT,
  SECRET,
  TOKEN,
  startFakeWebexHarness,
  type FakeWebexHarness,
  type HarnessOptions,
} from '../support/fake-webex-harness.js';

const echo: ChatHandler = {
  handle: (e) =>
    Promise.resolve(
      e.kind === 'message'
        ? [
            e.text === 'card'
              ? {
                  to: { roomId: e.roomId },
                  markdown: 'card',
                  card: {
                    type: 'AdaptiveCard',
                    version: '1.3',
                    body: [],
                    actions: [{ type: 'Action.Submit', title: 'Go', data: {} }],
                  },
                }
              : { to: { roomId: e.roomId }, markdown: `echo: ${e.text}` },
          ]
        : e.kind === 'cardAction'
          ? [{ to: { roomId: e.roomId }, markdown: 'clicked', parentId: e.messageId }]
          : [],
    ),
};

let h: FakeWebexHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface World {
  hh: FakeWebexHarness;
  dm: FakeRoom;
  admins: FakeRoom;
  job: Job;
  /** What the bot said in the admin space. */
  adminPosts(): FakeMessage[];
  /** Alice says `text` in her direct space; resolves with the bot's answers there since. */
  say(text: string): Promise<string[]>;
  ours(): FakeWebhook[];
}

async function world(options: Partial<HarnessOptions> = {}): Promise<World> {
  h = await startFakeWebexHarness({ handler: echo, ...options });
  const hh = h;
  const dm = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
  const admins = hh.fake.createRoom({
    title: 'License Admins',
    type: 'group',
    members: [ALICE.email, BOB.email],
  });
  const notices = createJobNotices({
    access: { adminEmails: [ALICE.email, BOB.email], adminSpaceId: admins.id, allowedEmailDomains: [] },
    vendors: [],
  });
  const job = webhookCheckJob({
    cron: '*/5 * * * *',
    check: () => hh.adapter.doctor.check(),
    outbox: hh.sendQueue,
    notices,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
  });
  const botId = hh.fake.state.bot.id;
  return {
    hh,
    dm,
    admins,
    job,
    adminPosts: () => hh.fake.messagesIn(admins.id).filter((m) => m.personId === botId),
    async say(text) {
      const before = hh.fake.messagesIn(dm.id).length;
      await hh.fake.userSays({ roomId: dm.id, personEmail: ALICE.email, text });
      await hh.settle();
      return hh.fake
        .messagesIn(dm.id)
        .slice(before)
        .filter((m) => m.personId === botId)
        .map((m) => m.markdown ?? '');
    },
    ours: () => [...hh.fake.state.webhooks.values()].filter((w) => w.name === hh.adapter.webhookName),
  };
}

const runJob = async (w: World): Promise<void> => {
  await w.job.run();
  await w.hh.settle();
};

describe('webhook check: self-healing webhooks', () => {
  it('names our webhooks like the framework does', async () => {
    const w = await world();
    expect(w.hh.adapter.doctor.name).toBe(w.hh.adapter.webhookName);
    expect(w.hh.adapter.doctor.name).toBe(frameworkWebhookName(w.hh.webhookUrl, BOT.email));
    expect(w.ours()).toHaveLength(2);
  });

  it('reactivates webhooks Webex switched off (sandbox switch): the bot hears again, the admins get one message', async () => {
    const w = await world();
    expect(await w.say('before')).toEqual(['echo: before']);
    expect(w.hh.fake.deactivateWebhooks()).toHaveLength(2);

    // Switched off: the fake delivers nothing, so the bot hears nothing.
    const deliveries = w.hh.fake.state.deliveries.length;
    expect(await w.say('into the void')).toEqual([]);
    expect(w.hh.fake.state.deliveries).toHaveLength(deliveries);

    await runJob(w);
    expect(w.ours().map((x) => x.status)).toEqual(['active', 'active']);
    const puts = w.hh.fake.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/v1/webhooks/'));
    expect(puts.map((r) => r.body)).toEqual([
      { name: w.hh.adapter.webhookName, targetUrl: w.hh.webhookUrl, secret: SECRET, status: 'active' },
      { name: w.hh.adapter.webhookName, targetUrl: w.hh.webhookUrl, secret: SECRET, status: 'active' },
    ]);
    expect(await w.say('after')).toEqual(['echo: after']);

    const told = w.adminPosts();
    expect(told).toHaveLength(1);
    expect(told[0]!.markdown).toMatch(/Webex webhooks repaired/);
    expect(told[0]!.markdown).toMatch(/switched the webhook for messages back on/);
    expect(told[0]!.markdown).toMatch(/switched the webhook for card clicks back on/);

    // Healthy now: further checks change nothing and say nothing.
    await runJob(w);
    expect(w.adminPosts()).toHaveLength(1);
    const health = await w.hh.health();
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      status: 'ok',
      webhooks: {
        name: w.hh.adapter.webhookName,
        checks: 2,
        repairs: 2,
        lastCheck: {
          ok: true,
          repairs: [],
          webhooks: [
            { resource: 'all', event: 'all', status: 'active', targetUrl: w.hh.webhookUrl },
            { resource: 'attachmentActions', event: 'created', status: 'active', targetUrl: w.hh.webhookUrl },
          ],
        },
        lastRepair: { action: 'reactivated', at: expect.any(String) },
      },
    });
  });

  it('reactivates a webhook Webex switched off after failed deliveries, with its secret restored', async () => {
    const w = await world({ fake: { webhookDisable: { failures: 3 } } });
    // A bad deploy: the webhook's secret no longer matches, so the receiver answers 401 to every delivery.
    const firehose = w.ours().find((x) => x.resource === 'all')!;
    firehose.secret = 'a-secret-the-receiver-does-not-know';
    for (const text of ['one', 'two', 'three']) expect(await w.say(text)).toEqual([]);
    expect(w.hh.fake.state.deliveries.slice(-3).map((d) => d.status)).toEqual([401, 401, 401]);
    expect(firehose.status).toBe('inactive');
    const deliveries = w.hh.fake.state.deliveries.length;
    expect(await w.say('four')).toEqual([]);
    expect(w.hh.fake.state.deliveries).toHaveLength(deliveries);

    await runJob(w);
    expect(firehose).toMatchObject({ status: 'active', secret: SECRET });
    expect(await w.say('five')).toEqual(['echo: five']);
    expect(w.adminPosts()).toHaveLength(1);
  });

  it('tells the admins once per outage, not once per check that had to repair', async () => {
    const w = await world();
    w.hh.fake.deactivateWebhooks();
    await runJob(w);
    // Switched off again before any check saw it healthy: the same outage, logged but not posted again.
    w.hh.fake.deactivateWebhooks();
    await runJob(w);
    expect(w.adminPosts()).toHaveLength(1);
    expect(w.ours().every((x) => x.status === 'active')).toBe(true);
    // A check finds everything active: the outage is over; the next one is posted.
    await runJob(w);
    w.hh.fake.deactivateWebhooks((x) => x.resource === 'attachmentActions');
    await runJob(w);
    expect(w.adminPosts()).toHaveLength(2);
    expect(w.adminPosts()[1]!.markdown).toMatch(/card clicks back on/);
    expect(w.adminPosts()[1]!.markdown).not.toMatch(/for messages/);
  });

  it('recreates a missing webhook with our name, target and secret, and card clicks arrive again', async () => {
    const w = await world();
    const cards = w.ours().find((x) => x.resource === 'attachmentActions')!;
    const removed = await fetch(`${w.hh.fake.url}/webhooks/${cards.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(removed.status).toBe(204);
    await w.say('card');
    const card = w.hh.fake.messagesIn(w.dm.id).find((m) => (m.attachments ?? []).length > 0)!;
    await w.hh.fake.userSubmits({ messageId: card.id, personEmail: ALICE.email, inputs: {} });
    await w.hh.settle();
    expect(w.hh.fake.messagesIn(w.dm.id).filter((m) => m.parentId === card.id)).toEqual([]);

    await runJob(w);
    const recreated = w.ours().find((x) => x.resource === 'attachmentActions')!;
    expect(recreated).toMatchObject({
      event: 'created',
      targetUrl: w.hh.webhookUrl,
      secret: SECRET,
      status: 'active',
    });
    expect(recreated.id).not.toBe(cards.id);
    await w.hh.fake.userSubmits({ messageId: card.id, personEmail: ALICE.email, inputs: {} });
    await w.hh.settle();
    expect(
      w.hh.fake
        .messagesIn(w.dm.id)
        .filter((m) => m.parentId === card.id)
        .map((m) => m.markdown),
    ).toEqual(['clicked']);
    expect(w.adminPosts().map((m) => m.markdown)).toEqual([
      expect.stringMatching(/recreated the missing webhook for card clicks/),
    ]);
  });

  it('never touches webhooks that are not the bot’s own, even inactive ones on the same target URL', async () => {
    const w = await world();
    const create = async (name: string, targetUrl: string): Promise<string> => {
      const res = await fetch(`${w.hh.fake.url}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          targetUrl,
          resource: 'messages',
          event: 'created',
          secret: 'other-secret-0123456789',
        }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    const otherApp = await create('another app', 'http://127.0.0.1:9/other');
    // An older deployment of the bot on another host:port: another name, so not ours either.
    const olderDeployment = await create(
      frameworkWebhookName('http://127.0.0.1:1/webex/webhook', BOT.email),
      w.hh.webhookUrl,
    );
    w.hh.fake.deactivateWebhooks();
    const before = structuredClone(
      [...w.hh.fake.state.webhooks.values()].filter((x) => [otherApp, olderDeployment].includes(x.id)),
    );

    await runJob(w);
    expect(w.ours().map((x) => x.status)).toEqual(['active', 'active']);
    const after = [...w.hh.fake.state.webhooks.values()].filter((x) =>
      [otherApp, olderDeployment].includes(x.id),
    );
    expect(after).toEqual(before);
    expect(after.map((x) => x.status)).toEqual(['inactive', 'inactive']);
    const touched = w.hh.fake.requests.filter(
      (r) => r.method !== 'GET' && (r.url.includes(otherApp) || r.url.includes(olderDeployment)),
    );
    expect(touched).toEqual([]);
    expect(w.hh.adapter.doctor.health().lastCheck?.others).toBe(2);
  });

  it('reports a repair Webex refuses in /healthz (degraded, with the tracking id) and retries it at the next check', async () => {
    const w = await world();
    w.hh.fake.deactivateWebhooks();
    w.hh.fake.faults.failNext(5, 500, { method: 'PUT', path: '/webhooks/' });
    w.hh.fake.faults.failNext(1, 400, { method: 'PUT', path: '/webhooks/' });
    await runJob(w);
    const degraded = await w.hh.health();
    expect(degraded.status).toBe(503);
    expect(degraded.json).toMatchObject({ status: 'degraded', webhooks: { lastCheck: { ok: false } } });
    const errors = (degraded.json as { webhooks: { lastCheck: { errors: string[] } } }).webhooks.lastCheck
      .errors;
    expect(errors).toEqual([
      expect.stringMatching(/^reactivating the all:all webhook: HTTP 500 .*tracking id ROUTER_/),
      expect.stringMatching(/^reactivating the attachmentActions:created webhook: HTTP 400/),
    ]);
    expect(w.adminPosts()).toEqual([]);

    await runJob(w);
    expect(w.ours().map((x) => x.status)).toEqual(['active', 'active']);
    expect((await w.hh.health()).status).toBe(200);
    expect(w.adminPosts()).toHaveLength(1);
  });
});
