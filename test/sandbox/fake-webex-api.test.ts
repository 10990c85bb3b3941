import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { chatPageRouter } from '../../src/sandbox/chat-page/chat-page-router.js';
import { verifySignature } from '../../src/webex/verify-signature.js';

const BOT = { displayName: 'Seat Bot', email: 'seatbot@webex.bot' };
const ALICE = { displayName: 'Alice Able', email: 'alice@example.com' };
const BOB = { displayName: 'Bob Baker', email: 'bob@example.com' };
const SECRET = 'fake-api-secret-0123456789abcdef';

let fake: FakeWebexApi;
beforeEach(async () => {
  fake = await startFakeWebexApi({ bot: BOT, people: [ALICE, BOB] });
});
afterEach(async () => {
  await fake.close();
});

async function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? 'FAKE_TOKEN'}`;
  const res = await fetch(`${fake.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

const decode = (id: string): string => Buffer.from(id, 'base64').toString('utf8');
const personId = (email: string): string =>
  [...fake.state.people.values()].find((p) => p.emails[0] === email)!.id;

/** A loopback receiver that records raw bodies and headers, answering `status`. */
async function recorder(
  status = 200,
  location?: string,
): Promise<{ url: string; hits: { raw: string; sig: string | undefined }[]; close(): Promise<void> }> {
  const hits: { raw: string; sig: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sig = req.headers['x-spark-signature'];
      hits.push({
        raw: Buffer.concat(chunks).toString('utf8'),
        sig: typeof sig === 'string' ? sig : undefined,
      });
      res
        .writeHead(status, { 'content-type': 'application/json', ...(location ? { location } : {}) })
        .end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('fake Webex API: REST', () => {
  it('answers /people/me with a Hydra-shaped bot identity and a trackingid header', async () => {
    const me = await api('/people/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('trackingid')).toMatch(/^ROUTER_/);
    expect(me.headers.get('content-type')).toMatch(/application\/json/);
    expect(me.json).toMatchObject({ emails: [BOT.email], displayName: BOT.displayName, type: 'bot' });
    const id = String(me.json?.id);
    expect(id).not.toMatch(/=$/);
    expect(decode(id)).toMatch(/^ciscospark:\/\/us\/PEOPLE\/[0-9a-f-]{36}$/);
    expect(decode(String(me.json?.orgId))).toMatch(/^ciscospark:\/\/us\/ORGANIZATION\//);
  });

  it('looks people up by id list on /people and /people/ (notFoundIds, never 400), by email and by id', async () => {
    const a = personId(ALICE.email);
    const b = personId(BOB.email);
    const both = await api(`/people/?id=${a},${b}&showAllTypes=false`);
    expect(both.status).toBe(200);
    expect((both.json?.items as { id: string }[]).map((p) => p.id)).toEqual([a, b]);
    const missing = await api(`/people?id=${a},nobody`);
    expect(missing.status).toBe(200);
    expect(missing.json?.notFoundIds).toEqual(['nobody']);
    expect((await api(`/people?email=${encodeURIComponent(BOB.email)}`)).json?.items).toHaveLength(1);
    expect((await api(`/people/${a}`)).json?.displayName).toBe(ALICE.displayName);
    expect((await api('/people/unknown')).status).toBe(404);
  });

  it('refuses requests without a bearer token, and answers unknown routes with a JSON 404', async () => {
    const noAuth = await api('/people/me', { token: null });
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toMatchObject({
      message: expect.any(String),
      errors: [{ description: expect.any(String) }],
      trackingId: expect.any(String),
    });
    const nowhere = await api('/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.json?.trackingId).toBe(nowhere.headers.get('trackingid'));
  });

  it('creates, lists, reads and deletes webhooks, echoing the same name', async () => {
    const created = await api('/webhooks', {
      method: 'POST',
      body: {
        name: 'bXkgbmFtZQ==',
        targetUrl: 'http://127.0.0.1:9/x',
        resource: 'all',
        event: 'all',
        secret: SECRET,
      },
    });
    expect(created.json).toMatchObject({
      name: 'bXkgbmFtZQ==',
      targetUrl: 'http://127.0.0.1:9/x',
      resource: 'all',
      event: 'all',
      status: 'active',
    });
    const id = String(created.json?.id);
    expect((await api('/webhooks')).json?.items).toHaveLength(1);
    expect((await api(`/webhooks/${id}`)).json?.name).toBe('bXkgbmFtZQ==');
    const del = await api(`/webhooks/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.json).toBeNull();
    expect((await api('/webhooks/none', { method: 'DELETE' })).status).toBe(404);
    expect((await api('/webhooks', { method: 'POST', body: { name: 'x' } })).status).toBe(400);
  });

  it('lists only the bot’s memberships, paged with max and Link rel="next"', async () => {
    for (let i = 0; i < 3; i++) fake.createRoom({ title: `g${i}`, type: 'group', members: [ALICE.email] });
    fake.createRoom({ title: 'no bot', type: 'group', members: [ALICE.email], withBot: false });
    const first = await api('/memberships?max=2');
    expect((first.json?.items as { personId: string }[]).every((m) => m.personId === fake.state.bot.id)).toBe(
      true,
    );
    expect(first.json?.items).toHaveLength(2);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/v1\/memberships\?.*>; rel="next"$/);
    const next = await fetch(link.slice(1, link.indexOf('>')), { headers: { authorization: 'Bearer t' } });
    expect(((await next.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(next.headers.get('link')).toBeNull();
  });

  it('lists a room’s members, filtered by personId, and reads rooms and single memberships', async () => {
    const room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
    const all = await api(`/memberships?roomId=${room.id}`);
    expect(all.json?.items).toHaveLength(3);
    const bot = await api(`/memberships?roomId=${room.id}&personId=${fake.state.bot.id}`);
    const [m] = bot.json?.items as { id: string }[];
    expect((await api(`/memberships/${m!.id}`)).json?.roomId).toBe(room.id);
    expect((await api(`/rooms/${room.id}`)).json).toMatchObject({
      id: room.id,
      title: 'Team',
      type: 'group',
      isLocked: false,
    });
    const dm = fake.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
    expect((await api(`/memberships?roomId=${dm.id}`)).json?.items).toHaveLength(2);
  });

  it('posts, reads and deletes messages; refuses to edit a card message and oversized text', async () => {
    const room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email] });
    const card = {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.3' },
    };
    const posted = await api('/messages', {
      method: 'POST',
      body: { roomId: room.id, markdown: 'hi **there**', attachments: [card] },
    });
    expect(posted.json).toMatchObject({
      roomId: room.id,
      personId: fake.state.bot.id,
      markdown: 'hi **there**',
      attachments: [card],
    });
    const id = String(posted.json?.id);
    expect(decode(id)).toMatch(/\/MESSAGE\//);
    expect((await api(`/messages/${id}`)).json).toMatchObject({
      text: 'hi **there**',
      roomType: 'group',
      personEmail: BOT.email,
    });
    expect(
      (await api(`/messages/${id}`, { method: 'PUT', body: { roomId: room.id, markdown: 'edited' } })).status,
    ).toBe(400);
    const plain = await api('/messages', { method: 'POST', body: { roomId: room.id, markdown: 'v1' } });
    expect(
      (
        await api(`/messages/${String(plain.json?.id)}`, {
          method: 'PUT',
          body: { roomId: room.id, markdown: 'v2' },
        })
      ).json?.text,
    ).toBe('v2');
    const del = await api(`/messages/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await api(`/messages/${id}`)).status).toBe(404);
    expect(
      (await api('/messages', { method: 'POST', body: { roomId: room.id, markdown: 'é'.repeat(4000) } }))
        .status,
    ).toBe(400);
    expect((await api('/messages', { method: 'POST', body: { markdown: 'nowhere' } })).status).toBe(400);
    const reply = await api('/messages', {
      method: 'POST',
      body: { roomId: room.id, markdown: 'r', parentId: String(plain.json?.id) },
    });
    expect(
      (
        await api('/messages', {
          method: 'POST',
          body: { roomId: room.id, markdown: 'rr', parentId: String(reply.json?.id) },
        })
      ).status,
    ).toBe(400);
  });

  it('posts to a person by email or id into their direct space', async () => {
    const a = await api('/messages', {
      method: 'POST',
      body: { toPersonEmail: ALICE.email, markdown: 'dm' },
    });
    const b = await api('/messages', {
      method: 'POST',
      body: { toPersonId: personId(ALICE.email), markdown: 'dm2' },
    });
    expect(a.json?.roomId).toBe(b.json?.roomId);
    expect(fake.state.rooms.get(String(a.json?.roomId))?.type).toBe('direct');
  });

  it('serves the U2C catalog the SDK asks for with 3-part tokens', async () => {
    const res = await fetch(`${fake.u2cUrl}/limited/catalog?orgId=x&format=hostmap`);
    expect(await res.json()).toEqual({ serviceLinks: {}, hostCatalog: {} });
  });

  it('injects 429 with Retry-After, 5xx for a matching route only, and delays', async () => {
    fake.faults.rateLimitNext(1, 7, { method: 'GET', path: '/people' });
    fake.faults.failNext(1, 503, { path: /^\/rooms\// });
    const limited = await api('/people/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json?.trackingId).toEqual(expect.any(String));
    expect((await api('/people/me')).status).toBe(200);
    expect((await api('/webhooks')).status).toBe(200);
    expect((await api('/rooms/x')).status).toBe(503);
    fake.faults.slow(30);
    const t0 = performance.now();
    await api('/people/me');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('fails the event-path reads per route for N calls: 503 with Retry-After, 5xx, dropped connections', async () => {
    const room = fake.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
    const said = await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'hi' });
    fake.faults.failNext(1, 503, { method: 'GET', path: /^\/messages\// }, 4);
    fake.faults.failNext(2, 500, { method: 'GET', path: /^\/attachment\/actions\// });
    fake.faults.dropNext(1, { method: 'GET', path: '/people/' });
    const busy = await api(`/messages/${said.id}`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('4');
    expect(busy.json).toMatchObject({ message: 'Injected failure 503', trackingId: expect.stringMatching(/^ROUTER_/) });
    expect((await api(`/messages/${said.id}`)).status).toBe(200);
    expect((await api('/attachment/actions/x')).status).toBe(500);
    expect((await api('/attachment/actions/x')).status).toBe(500);
    expect((await api('/attachment/actions/x')).status).toBe(404);
    await expect(api(`/people/${personId(ALICE.email)}`)).rejects.toThrow();
    expect((await api(`/people/${personId(ALICE.email)}`)).status).toBe(200);
  });

  it('reactivates a webhook only with name and targetUrl in the PUT, as Webex requires', async () => {
    const created = await api('/webhooks', {
      method: 'POST',
      body: { name: 'hook', targetUrl: 'http://127.0.0.1:9/h', resource: 'all', event: 'all', secret: SECRET },
    });
    const id = String(created.json?.id);
    fake.deactivateWebhooks();
    const bare = await api(`/webhooks/${id}`, { method: 'PUT', body: { status: 'active' } });
    expect(bare.status).toBe(400);
    expect(bare.json?.message).toMatch(/name, targetUrl/);
    expect(fake.state.webhooks.get(id)?.status).toBe('inactive');
    const ok = await api(`/webhooks/${id}`, {
      method: 'PUT',
      body: { name: 'hook', targetUrl: 'http://127.0.0.1:9/h', secret: SECRET, status: 'active' },
    });
    expect(ok.json).toMatchObject({ id, name: 'hook', status: 'active', secret: SECRET });
  });

  it('serves a U2C catalog listing the services it is given (e.g. another hydra host)', async () => {
    fake.setU2cServiceLinks({ hydra: 'http://127.0.0.1:9/v1' });
    const res = await fetch(`${fake.u2cUrl}/catalog?format=hostmap`);
    expect(await res.json()).toEqual({ serviceLinks: { hydra: 'http://127.0.0.1:9/v1' }, hostCatalog: {} });
  });
});

describe('fake Webex API: webhook delivery', () => {
  async function registerHooks(targetUrl: string): Promise<void> {
    for (const [resource, event] of [
      ['all', 'all'],
      ['attachmentActions', 'created'],
    ] as const) {
      await api('/webhooks', {
        method: 'POST',
        body: { name: 'hook-name', targetUrl, resource, event, secret: SECRET },
      });
    }
  }

  it('signs compact JSON of the envelope with the webhook secret and carries every envelope field', async () => {
    const rec = await recorder();
    try {
      await registerHooks(rec.url);
      const room = fake.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
      const said = await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'hello' });
      expect(rec.hits).toHaveLength(1);
      const hit = rec.hits[0]!;
      const env = JSON.parse(hit.raw) as Record<string, unknown>;
      expect(hit.raw).toBe(JSON.stringify(env));
      expect(verifySignature(Buffer.from(hit.raw), hit.sig, [SECRET])).toBe(true);
      expect(Object.keys(env).sort()).toEqual(
        [
          'actorId',
          'appId',
          'created',
          'createdBy',
          'data',
          'event',
          'id',
          'name',
          'orgId',
          'ownedBy',
          'resource',
          'status',
          'targetUrl',
        ].sort(),
      );
      expect(env).toMatchObject({
        name: 'hook-name',
        resource: 'messages',
        event: 'created',
        status: 'active',
        ownedBy: 'creator',
        actorId: said.personId,
      });
      expect(env.data).toEqual({
        id: said.id,
        roomId: room.id,
        roomType: 'direct',
        personId: said.personId,
        personEmail: ALICE.email,
        created: said.created,
      });
      expect(fake.state.deliveries).toEqual([expect.objectContaining({ status: 200, dataId: said.id })]);
    } finally {
      await rec.close();
    }
  });

  it('delivers group messages only when they mention the bot (name first, spark-mention in html)', async () => {
    const rec = await recorder();
    try {
      await registerHooks(rec.url);
      const room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, BOB.email] });
      await fake.userSays({ roomId: room.id, personEmail: BOB.email, text: 'no mention', mentionBot: false });
      const mentioned = await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'help' });
      expect(rec.hits).toHaveLength(1);
      expect(mentioned.text).toBe('Seat Bot help');
      expect(mentioned.html).toContain(
        `<spark-mention data-object-type="person" data-object-id="${fake.state.bot.id}">Seat Bot</spark-mention>`,
      );
      expect(mentioned.mentionedPeople).toEqual([fake.state.bot.id]);
      expect((JSON.parse(rec.hits[0]!.raw) as { data: { id: string } }).data.id).toBe(mentioned.id);
    } finally {
      await rec.close();
    }
  });

  it('delivers card submits to the attachmentActions webhook without inputs; inputs come from GET', async () => {
    const rec = await recorder();
    try {
      await registerHooks(rec.url);
      const room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email] });
      const card = {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard' },
      };
      const posted = await api('/messages', {
        method: 'POST',
        body: { roomId: room.id, markdown: 'c', attachments: [card] },
      });
      const action = await fake.userSubmits({
        messageId: String(posted.json?.id),
        personEmail: ALICE.email,
        inputs: { verb: 'go' },
      });
      expect(rec.hits).toHaveLength(1);
      const env = JSON.parse(rec.hits[0]!.raw) as { resource: string; data: Record<string, unknown> };
      expect(env.resource).toBe('attachmentActions');
      expect(env.data).not.toHaveProperty('inputs');
      expect((await api(`/attachment/actions/${action.id}`)).json).toMatchObject({
        type: 'submit',
        inputs: { verb: 'go' },
        personId: personId(ALICE.email),
      });
      await expect(
        fake.userSubmits({ messageId: 'nope', personEmail: ALICE.email, inputs: {} }),
      ).rejects.toThrow(/unknown messageId/);
    } finally {
      await rec.close();
    }
  });

  it('switches a webhook off after failed deliveries, stops delivering to it, and again at the next failure after reactivation', async () => {
    const failing = await startFakeWebexApi({ bot: BOT, people: [ALICE], webhookDisable: { failures: 3, windowMs: 60_000 } });
    const rec = await recorder(500);
    try {
      const created = await fetch(`${failing.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ name: 'n', targetUrl: rec.url, resource: 'all', event: 'all', secret: SECRET }),
      });
      const { id } = (await created.json()) as { id: string };
      const room = failing.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
      for (const text of ['1', '2', '3', '4']) await failing.userSays({ roomId: room.id, personEmail: ALICE.email, text });
      // Three 500s switch it off; the fourth message is not delivered at all.
      expect(rec.hits).toHaveLength(3);
      expect(failing.state.webhooks.get(id)?.status).toBe('inactive');
      expect((await fetch(`${failing.url}/webhooks/${id}`, { headers: { authorization: 'Bearer t' } }).then((r) => r.json()) as { status: string }).status).toBe('inactive');
      await fetch(`${failing.url}/webhooks/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ name: 'n', targetUrl: rec.url, secret: SECRET, status: 'active' }),
      });
      // Switched back on within the window: the next failure switches it off again.
      await failing.userSays({ roomId: room.id, personEmail: ALICE.email, text: '5' });
      expect(rec.hits).toHaveLength(4);
      expect(failing.state.webhooks.get(id)?.status).toBe('inactive');
    } finally {
      await failing.close();
      await rec.close();
    }
  });

  it('has a sandbox switch that turns every webhook off (programmatic and POST /_sandbox/webhooks/deactivate)', async () => {
    const rec = await recorder();
    try {
      await registerHooks(rec.url);
      const room = fake.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
      expect(fake.deactivateWebhooks((w) => w.resource === 'attachmentActions').map((w) => w.status)).toEqual(['inactive']);
      await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'still heard' });
      expect(rec.hits).toHaveLength(1);
      const res = await fetch(`${fake.origin}/_sandbox/webhooks/deactivate`, { method: 'POST' });
      expect(((await res.json()) as { deactivated: string[] }).deactivated).toHaveLength(2);
      await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'not heard' });
      expect(rec.hits).toHaveLength(1);
    } finally {
      await rec.close();
    }
  });

  it('fires memberships:created with the adder as actor when the bot is added, and records failed deliveries', async () => {
    const rec = await recorder(500);
    try {
      await registerHooks(rec.url);
      const room = fake.createRoom({ title: 'Later', type: 'group', members: [ALICE.email], withBot: false });
      await fake.addBotToRoom(room.id, personId(ALICE.email));
      const env = JSON.parse(rec.hits[0]!.raw) as {
        resource: string;
        event: string;
        actorId: string;
        data: { personId: string };
      };
      expect(env).toMatchObject({
        resource: 'memberships',
        event: 'created',
        actorId: personId(ALICE.email),
        data: { personId: fake.state.bot.id },
      });
      expect(fake.state.deliveries.at(-1)?.status).toBe(500);
    } finally {
      await rec.close();
    }
  });
});

describe('fake Webex API: sandbox routes', () => {
  it('lets a page create rooms, speak as a user, submit cards and poll messages after an id', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${fake.origin}/_sandbox${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const room = (await (
      await post('/rooms', { title: 'Team', type: 'group', members: [ALICE.email] })
    ).json()) as { id: string };
    const rooms = (await (await fetch(`${fake.origin}/_sandbox/rooms`)).json()) as {
      items: { id: string; members: unknown[] }[];
    };
    expect(rooms.items.find((r) => r.id === room.id)?.members).toHaveLength(2);
    const first = (await (
      await post('/say', { roomId: room.id, personEmail: ALICE.email, text: 'one' })
    ).json()) as { id: string };
    await post('/say', { roomId: room.id, personEmail: ALICE.email, text: 'two' });
    const after = (await (
      await fetch(`${fake.origin}/_sandbox/rooms/${room.id}/messages?after=${first.id}`)
    ).json()) as { items: { text: string }[] };
    expect(after.items.map((m) => m.text)).toEqual(['Seat Bot two']);
    const bad = await post('/say', { roomId: room.id, text: 'who?' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('SANDBOX_BAD_REQUEST');
    const stranger = await post('/say', { roomId: room.id, personEmail: BOB.email, text: 'not a member' });
    expect(stranger.status).toBe(400);
    const noCard = await post('/submit', { messageId: first.id, personEmail: ALICE.email, inputs: {} });
    expect(noCard.status).toBe(400);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** A raw request with a chosen Host (and Origin): fetch cannot forge Host, a DNS-rebound browser can. */
function withHost(
  origin: string,
  path: string,
  host: string,
  extra: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; json: Record<string, unknown> | null; type: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), path, method, headers: { host, ...extra } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const type = res.headers['content-type'] ?? '';
          resolve({
            status: res.statusCode ?? 0,
            json: type.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : null,
            type,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('fake Webex API: only this machine may drive it (DNS rebinding)', () => {
  it('refuses every route, the chat page included, for a Host that is not a loopback name with its port', async () => {
    const withPage = await startFakeWebexApi({ bot: BOT, routes: chatPageRouter() });
    try {
      const port = new URL(withPage.origin).port;
      const paths = ['/', '/chat.js', '/v1/people/me', '/_sandbox/rooms', '/u2c/api/v1/catalog', '/nowhere'];
      for (const path of paths) {
        for (const host of [
          `evil.example:${port}`,
          'evil.example',
          `127.0.0.1:${Number(port) + 1}`,
          '127.0.0.1',
        ]) {
          const res = await withHost(withPage.origin, path, host, { authorization: 'Bearer t' });
          expect(res.status, `${host} ${path}`).toBe(421);
          expect(res.json).toMatchObject({
            message: expect.stringContaining('DNS rebinding'),
            errors: [{ description: expect.any(String) }],
            trackingId: expect.any(String),
          });
        }
      }
      expect(withPage.state.messages.size).toBe(0);
      const page = await withHost(withPage.origin, '/', `evil.example:${port}`);
      expect(page.type).not.toContain('html');
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        expect((await withHost(withPage.origin, '/', host)).status, host).toBe(200);
        expect((await withHost(withPage.origin, '/_sandbox/rooms', host)).status, host).toBe(200);
      }
    } finally {
      await withPage.close();
    }
  });

  it('refuses a request from another origin (a page elsewhere posting as a user), and allows its own', async () => {
    const port = new URL(fake.origin).port;
    const host = `127.0.0.1:${port}`;
    const room = fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email] });
    const say = (origin: string) =>
      fetch(`${fake.origin}/_sandbox/say`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ roomId: room.id, personEmail: ALICE.email, text: 'hi' }),
      });
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://${host}`]) {
      const res = await say(origin);
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/Cross-origin/);
    }
    expect(fake.state.messages.size).toBe(0);
    expect((await say(`http://${host}`)).status).toBe(200);
    expect((await say(`http://localhost:${port}`)).status).toBe(200);
  });
});

describe('fake Webex API: webhooks only to the bot receiver (SSRF)', () => {
  const register = (targetUrl: string, target: FakeWebexApi = fake) =>
    fetch(`${target.url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ name: 'n', targetUrl, resource: 'all', event: 'all', secret: SECRET }),
    });

  it('accepts only the announced receiver URL and answers anything else with a Webex-style 400', async () => {
    const receiver = 'http://127.0.0.1:4100/webex/webhook';
    const strict = await startFakeWebexApi({ bot: BOT, allowedWebhookTargets: [receiver] });
    try {
      for (const targetUrl of [
        'http://169.254.169.254/',
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1:4101/webex/webhook',
        'http://127.0.0.1:4100/other',
        'http://localhost:4100/webex/webhook',
        'http://10.0.0.8:4100/webex/webhook',
        'http://user:pw@127.0.0.1:4100/webex/webhook',
        'file:///etc/passwd',
        `${strict.origin}/v1/messages`,
      ]) {
        const res = await register(targetUrl, strict);
        expect(res.status, targetUrl).toBe(400);
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toMatchObject({
          message: expect.stringContaining('Invalid targetUrl'),
          errors: [{ description: expect.stringContaining(receiver) }],
          trackingId: expect.any(String),
        });
      }
      expect(strict.state.webhooks.size).toBe(0);
      const ok = await register(receiver, strict);
      expect(ok.status).toBe(200);
      const { id } = (await ok.json()) as { id: string };
      const move = (targetUrl: string) =>
        fetch(`${strict.url}/webhooks/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
          body: JSON.stringify({ name: 'n', targetUrl }),
        });
      expect((await move('http://169.254.169.254/')).status).toBe(400);
      expect(strict.state.webhooks.get(id)?.targetUrl).toBe(receiver);
      expect((await move(`${receiver}?v=2`)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses every target until a receiver is announced (the sandbox starts like this)', async () => {
    const rec = await recorder();
    const closed = await startFakeWebexApi({ bot: BOT, people: [ALICE], allowedWebhookTargets: [] });
    try {
      const refused = await register(rec.url, closed);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toContain('not been announced');
      closed.allowWebhookTargets([rec.url]);
      expect((await register(rec.url, closed)).status).toBe(200);
      expect(() => closed.allowWebhookTargets(['http://169.254.169.254/'])).toThrow(TypeError);
    } finally {
      await closed.close();
      await rec.close();
    }
  });

  it('by default accepts loopback URLs only', async () => {
    for (const targetUrl of [
      'http://169.254.169.254/',
      'http://10.1.2.3/x',
      'http://evil.example/',
      'ftp://127.0.0.1/x',
    ]) {
      expect((await register(targetUrl)).status, targetUrl).toBe(400);
    }
    for (const targetUrl of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://[::1]:9/x']) {
      expect((await register(targetUrl)).status, targetUrl).toBe(200);
    }
  });

  it('POSTs only to targets still allowed at delivery time, and never follows a redirect', async () => {
    const rec = await recorder();
    const elsewhere = await recorder();
    const redirector = await recorder(307, elsewhere.url);
    try {
      fake.allowWebhookTargets([rec.url, redirector.url]);
      expect((await register(rec.url)).status).toBe(200);
      expect((await register(redirector.url)).status).toBe(200);
      const urlOf = (webhookId: string): string | undefined => fake.state.webhooks.get(webhookId)?.targetUrl;
      const room = fake.createRoom({ title: 'dm', type: 'direct', members: [ALICE.email] });
      await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'one' });
      expect(rec.hits).toHaveLength(1);
      // The redirector was asked once; its 307 to `elsewhere` was not followed.
      expect(redirector.hits).toHaveLength(1);
      expect(elsewhere.hits).toHaveLength(0);
      const first = fake.state.deliveries.splice(0);
      expect(first.find((d) => urlOf(d.webhookId) === rec.url)).toMatchObject({ status: 200, error: null });
      expect(first.find((d) => urlOf(d.webhookId) === redirector.url)?.error).toEqual(expect.any(String));

      // A webhook registered while allowed is not delivered once its target is no longer allowed.
      fake.allowWebhookTargets([redirector.url]);
      await fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'two' });
      expect(rec.hits).toHaveLength(1);
      expect(fake.state.deliveries.find((d) => urlOf(d.webhookId) === rec.url)).toMatchObject({
        status: null,
        error: expect.stringMatching(/^target not allowed/),
      });
      expect(elsewhere.hits).toHaveLength(0);
    } finally {
      await rec.close();
      await elsewhere.close();
      await redirector.close();
    }
  });
});
