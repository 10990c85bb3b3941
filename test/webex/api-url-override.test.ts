// WEBEX_API_URL is the SDK's *override* for hydra: a U2C catalog that lists another hydra host (which the SDK
// would otherwise prefer to its discovery URL) is ignored, and every call stays on the configured base.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/bot/chat-event.js';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import {
  ALICE,
  BOT,
  startFakeWebexHarness,
  waitUntil,
  type FakeWebexHarness,
} from '../support/fake-webex-harness.js';

/** Real-shaped `<secret>_<cluster>_<orgId>`: the SDK then reads the U2C catalogs (webex-platform.md 7.8). */
const THREE_PART_TOKEN = 'FAKEsecret0123456789_P0A1_7c6e4a2d-8f3b-4f47-9a1d-2b1c3e4f5a6b';

interface SdkServices {
  get(name: string, priorityHost?: boolean, serviceGroup?: string): string | undefined;
}

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
let decoy: FakeWebexApi | undefined;
afterEach(async () => {
  await h?.close();
  await decoy?.close();
  h = undefined;
  decoy = undefined;
});

describe('WEBEX_API_URL pinned as the SDK override', () => {
  it('ignores a U2C catalog that lists another hydra host: start, late discovery, messages and clicks all use the configured base', async () => {
    // The decoy answers like Webex would, so a call that leaked there would succeed silently: only its log tells.
    decoy = await startFakeWebexApi({ bot: BOT });
    h = await startFakeWebexHarness({
      handler: echo,
      token: THREE_PART_TOKEN,
      fake: { u2cServiceLinks: { hydra: decoy.url } },
    });
    const hh = h;
    const services = (hh.adapter.framework.webex as { internal: { services: SdkServices } }).internal
      .services;
    // The SDK has read both catalogs and holds the decoy as hydra in them...
    await waitUntil(
      () => services.get('hydra', false, 'postauth') === decoy!.url,
      'the postauth catalog to list the decoy',
    );
    expect(hh.fake.requests.map((r) => r.url.split('?')[0])).toEqual(
      expect.arrayContaining(['/u2c/api/v1/limited/catalog', '/u2c/api/v1/catalog']),
    );
    expect(services.get('hydra', false, 'preauth')).toBe(decoy.url);
    // ...but resolves hydra to the configured base, because overrides come first.
    expect(services.get('hydra')).toBe(hh.fake.url);

    // A space the bot has not seen: late discovery (memberships, room) goes through the SDK.
    const room = hh.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    await hh.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'card' });
    await hh.settle();
    const card = hh.fake.messagesIn(room.id).find((m) => (m.attachments ?? []).length > 0)!;
    await hh.fake.userSubmits({ messageId: card.id, personEmail: ALICE.email, inputs: {} });
    await hh.settle();
    expect(
      hh.fake
        .messagesIn(room.id)
        .filter((m) => m.parentId === card.id)
        .map((m) => m.markdown),
    ).toEqual(['clicked']);
    expect(hh.fake.requests.some((r) => r.url.startsWith(`/v1/memberships?roomId=`))).toBe(true);
    expect(hh.fake.requests.some((r) => r.url.startsWith(`/v1/rooms/${room.id}`))).toBe(true);

    // A webhook check and an SDK call made after the catalogs arrived: still the configured base.
    await hh.adapter.doctor.check();
    const sdk = hh.adapter.framework.webex as { rooms: { get(id: string): Promise<{ id: string }> } };
    await expect(sdk.rooms.get(room.id)).resolves.toMatchObject({ id: room.id });
    expect(decoy.requests).toEqual([]);
  });
});
