// WEBEX_FULL_SDK=true: the way back to the stock Webex SDK (all plugins) if an SDK upgrade needs something the
// slim SDK leaves out. Its own test file: which SDK the framework gets is decided once per process.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/bot/chat-event.js';
import { loadConfig } from '../../src/config.js';
import { ALICE, startFakeWebexHarness, type FakeWebexHarness } from '../support/fake-webex-harness.js';

const echo: ChatHandler = {
  handle: (e) => Promise.resolve(e.kind === 'message' ? [{ to: { roomId: e.roomId }, markdown: `echo: ${e.text}` }] : []),
};

let h: FakeWebexHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('WEBEX_FULL_SDK', () => {
  it('is read as a true/false setting, off by default', () => {
    expect(loadConfig({}).webex.fullSdk).toBe(false);
    expect(loadConfig({ WEBEX_FULL_SDK: 'true' }).webex.fullSdk).toBe(true);
    expect(() => loadConfig({ WEBEX_FULL_SDK: 'sometimes' })).toThrow(/WEBEX_FULL_SDK/);
  });

  it('gives the framework the stock SDK with every plugin, and replies still work', async () => {
    h = await startFakeWebexHarness({ handler: echo, fullSdk: true });
    const webex = h.adapter.framework.webex as Record<string, unknown> & { internal: Record<string, unknown> };
    expect(webex['meetings']).toBeDefined();
    expect(webex.internal['mercury']).toBeDefined();
    const room = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text: 'hello' });
    await h.fake.waitForMessages((all) => all.some((m) => m.markdown === 'echo: hello'));
  });
});
