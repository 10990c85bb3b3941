// The framework runs on the slim Webex SDK (only the plugins it uses in webhook mode), built like the `webex`
// package's own class, and websocket mode fails at once with the reason instead of half-working.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/bot/chat-event.js';
import { AppError } from '../../src/errors.js';
import { startFakeWebexApi, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { startFrameworkAdapter } from '../../src/webex/framework-adapter.js';
import {
  SLIM_WEBEX_WEBSOCKET_ERROR,
  buildSlimWebexSdk,
  useSlimWebexSdk,
} from '../../src/webex/slim-webex-sdk.js';
import {
  ALICE,
  BOT,
  capturingLogger,
  SECRET,
  startFakeWebexHarness,
  TOKEN,
  type FakeWebexHarness,
} from '../support/fake-webex-harness.js';

const echo: ChatHandler = {
  handle: (e) =>
    Promise.resolve(e.kind === 'message' ? [{ to: { roomId: e.roomId }, markdown: `echo: ${e.text}` }] : []),
};

/** The Webex SDK instance as the tests look at it. */
type Sdk = Record<string, unknown> & { internal: Record<string, unknown>; config: Record<string, unknown> };

const frameworkRequire = (): NodeJS.Require =>
  createRequire(createRequire(import.meta.url).resolve('webex-node-bot-framework'));

let h: FakeWebexHarness | undefined;
let fake: FakeWebexApi | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

describe('the slim Webex SDK under the framework', () => {
  it('is what the framework got: the plugins it uses, none of the others, and replies still work', async () => {
    h = await startFakeWebexHarness({ handler: echo });
    const webex = h.adapter.framework.webex as Sdk;
    for (const plugin of ['people', 'messages', 'rooms', 'memberships', 'webhooks', 'attachmentActions']) {
      expect(webex[plugin], plugin).toBeDefined();
    }
    for (const plugin of ['meetings', 'teams', 'teamMemberships', 'devicemanager']) {
      expect(webex[plugin], plugin).toBeUndefined();
    }
    expect(webex.internal.device).toBeDefined();
    expect(webex.internal.services).toBeDefined();
    expect(webex.internal.calendar).toBeUndefined();
    expect(webex.internal.presence).toBeUndefined();
    // Websocket-only: Mercury, and conversation with encryption (KMS) behind it.
    expect(webex.internal.mercury).toBeUndefined();
    expect(webex.internal.conversation).toBeUndefined();
    expect(webex.internal.encryption).toBeUndefined();
    expect((globalThis as { _babelPolyfill?: unknown })._babelPolyfill).toBeUndefined();
    // require('webex') as the framework resolves it is the slim class; the full SDK was never loaded.
    const webexPath = frameworkRequire().resolve('webex');
    expect(frameworkRequire()('webex')).toBe(buildSlimWebexSdk().sdk);
    expect(createRequire(import.meta.url).cache[join(dirname(webexPath), 'webex.js')]).toBeUndefined();
    expect(webex.version).toBe((frameworkRequire()('webex/package.json') as { version: string }).version);

    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'hello' });
    await h.fake.waitForMessages((all) => all.some((m) => m.markdown === 'echo: hello'));
  });

  it('merges config like the webex package: its defaults, then the caller’s', () => {
    const { sdk, path } = buildSlimWebexSdk();
    const defaults = createRequire(path)('./config') as Record<string, unknown>;
    const webex = sdk.init({
      config: { services: { discovery: { hydra: 'http://127.0.0.1:9/v1' } } },
      credentials: { access_token: TOKEN },
    }) as Sdk;
    expect(webex.config.default).toEqual(defaults.default);
    expect(webex.config.services).toMatchObject({ discovery: { hydra: 'http://127.0.0.1:9/v1' } });
    expect(useSlimWebexSdk()).toBe(true);
  });

  it('fails websocket mode at once: listen() rejects with the reason', async () => {
    const webex = buildSlimWebexSdk().sdk.init({ credentials: { access_token: TOKEN } }) as Record<
      string,
      { listen: () => Promise<unknown> }
    >;
    for (const plugin of ['messages', 'memberships', 'rooms', 'attachmentActions'] as const) {
      await expect(webex[plugin]!.listen()).rejects.toThrow(SLIM_WEBEX_WEBSOCKET_ERROR);
    }
  });

  it('refuses to start the adapter without a webhook URL (the framework would fall back to websockets)', async () => {
    fake = await startFakeWebexApi({ bot: BOT, people: [ALICE] });
    const { logger } = capturingLogger();
    const started = startFrameworkAdapter({
      token: TOKEN,
      webhookUrl: '',
      webhookSecret: SECRET,
      apiUrl: fake.url,
      logger,
      handler: echo,
    });
    await expect(started).rejects.toBeInstanceOf(AppError);
    await expect(started).rejects.toMatchObject({ code: 'WEBEX_WEBHOOK_URL_MISSING' });
    expect(fake.requests).toHaveLength(0);
  });
});
