/**
 * Write-back end to end through the chat: the real bot behind the real receiver and framework, against the fake
 * Webex API, with the real lowdb store, a real sync from the Webex licenses emulator, the store telling the
 * provisioning worker after each commit (as main.ts wires it) and the real Webex write client. An approval in the
 * admin space becomes exactly one license assignment in the emulator, and Cy is told it is really his.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createBot, type Bot } from '../../src/bot/bot.js';
import type { NoticeOutbox } from '../../src/bot/delivery.js';
import { createWriteBackNotices } from '../../src/bot/write-back-notices.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import { createWebexLicensesClient } from '../../src/sync/vendors/webex/webex-licenses.js';
import { createWebexLicenseWriter } from '../../src/sync/vendors/webex/webex-license-writer.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { createProvisioningWorker, type ProvisioningWorker } from '../../src/provisioning/provisioning-worker.js';
import { kickOnCommit } from '../../src/provisioning/kick-on-commit.js';
import { enableWriteBack } from '../../src/provisioning/enable-write-back.js';
import type { FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import { ALICE, BOB, cardOf, startFakeWebexHarness, type FakeWebexHarness } from '../support/fake-webex-harness.js';
import { submits } from '../cards/card-inspect.js';

const CY = { displayName: 'Cy User', email: 'cy@example.com' } as const;
const TOKEN = 'webex-admin-token-over-webex';
const PRODUCT = 'Meeting - Webex Meeting Center';


let h: FakeWebexHarness;
let store: LowdbSeatStore;
let bot: Bot;
let dir: string;
let emu: WebexLicensesEmulator;
let worker: ProvisioningWorker;
let cyRoom: FakeRoom;
let adminRoom: FakeRoom;
let botId: string;

const botMessagesIn = (room: FakeRoom, since: number): FakeMessage[] => h.fake.messagesIn(room.id).slice(since).filter((m) => m.personId === botId);

async function say(room: FakeRoom, who: { email: string }, text: string): Promise<FakeMessage> {
  const before = h.fake.messagesIn(room.id).length;
  await h.fake.userSays({ roomId: room.id, personEmail: who.email, text });
  await h.fake.waitForMessages(() => botMessagesIn(room, before).length > 0, 8000);
  return botMessagesIn(room, before)[0]!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'write-back-over-webex-'));
  const raw = await openLowdbSeatStore({ dir });
  store = raw;
  emu = await startWebexLicensesEmulator({ token: TOKEN });
  const logger = createLogger({ level: 'silent' });
  const fast = { fetch, sleep: () => Promise.resolve() };
  const runner = createSyncRunner({ store: raw, clients: [createWebexLicensesClient({ ...fast, baseUrl: emu.url, token: TOKEN })], clock: systemClock, logger });
  const outbox: NoticeOutbox = { send: (r) => h.sendQueue.send(r), deliver: (r) => h.sendQueue.deliver(r) };
  const access = { adminEmails: [ALICE.email, BOB.email], adminSpaceId: null as string | null, allowedEmailDomains: [] as string[] };
  worker = createProvisioningWorker({
    store: raw,
    clock: systemClock,
    logger,
    writers: [createWebexLicenseWriter({ ...fast, baseUrl: emu.url, token: TOKEN })],
    settings: { vendors: ['webex'], dryRun: false, maxRemovalsPerHour: 20 },
    outbox,
    notices: createWriteBackNotices(access),
  });
  const ledgerStore = kickOnCommit(raw, () => worker.kick());
  bot = createBot({ store: ledgerStore, clock: systemClock, logger, access, outbox, sync: null });
  h = await startFakeWebexHarness({ handler: bot, people: [ALICE, BOB, CY] });
  botId = h.adapter.bot.id;
  cyRoom = h.fake.createRoom({ title: 'Cy', type: 'direct', members: [CY.email] });
  adminRoom = h.fake.createRoom({ title: 'License Admins', type: 'group', members: [ALICE.email, BOB.email] });
  access.adminSpaceId = adminRoom.id;
  expect((await runner.run({ trigger: 'command' })).status).toBe('ok');
  expect(await enableWriteBack(raw, systemClock, ['webex'])).toBeGreaterThan(0);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await h?.close();
  await store?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('write-back through the chat', () => {
  it('approve in the admin space -> exactly one Webex add -> the DM and my seats say assigned', async () => {
    const adminBefore = h.fake.messagesIn(adminRoom.id).length;
    const asked = await say(cyRoom, CY, `request ${PRODUCT}`);
    expect(asked.markdown).toMatch(/waiting for an admin/);
    await h.fake.waitForMessages(() => botMessagesIn(adminRoom, adminBefore).length > 0, 8000);
    const approval = botMessagesIn(adminRoom, adminBefore)[0]!;
    const approve = submits(cardOf(approval)).find((s) => s.data['action'] === 'seat.approve')!;

    const cyBefore = h.fake.messagesIn(cyRoom.id).length;
    await h.fake.userSubmits({ messageId: approval.id, personEmail: ALICE.email, inputs: approve.data });
    await h.fake.waitForMessages(() => botMessagesIn(cyRoom, cyBefore).some((m) => (m.markdown ?? '').includes('license is now yours')), 10_000);
    await h.settle();
    await bot.drain();
    await worker.drain();

    expect(emu.writes.filter((w) => w.changed)).toEqual([expect.objectContaining({ email: CY.email, operation: 'add' })]);
    const dm = botMessagesIn(cyRoom, cyBefore).find((m) => (m.markdown ?? '').includes('license is now yours'));
    expect(dm?.markdown).toBe(`Your **${PRODUCT}** license is now yours: assigned in Webex ✓.`);
    const mine = await say(cyRoom, CY, 'my seats');
    expect(JSON.stringify(cardOf(mine))).toContain('assigned in Webex ✓');
  });
});
