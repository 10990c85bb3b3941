/**
 * The real bot behind the real receiver and webex-node-bot-framework, against the fake Webex API over
 * loopback, with the real lowdb store and a real vendor sync (cPod emulator): every command and card
 * action end to end, as people would use them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createBot, type Bot } from '../../src/bot/bot.js';
import type { NoticeOutbox } from '../../src/bot/delivery.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import { createCpodLicensesClient } from '../../src/sync/vendors/cpod/cpod-licenses.js';
import { startCpodEmulator } from '../../src/sandbox/vendor-emulators/cpod-emulator.js';
import type { FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import { ALICE, BOB, cardOf, startFakeWebexHarness, type FakeWebexHarness } from '../support/fake-webex-harness.js';
import { submits } from '../cards/card-inspect.js';

const CY = { displayName: 'Cy User', email: 'cy@example.com' } as const;


let h: FakeWebexHarness;
let store: LowdbSeatStore;
let bot: Bot;
let dir: string;
let cpod: Awaited<ReturnType<typeof startCpodEmulator>>;
let cyRoom: FakeRoom;
let adminRoom: FakeRoom;
let teamRoom: FakeRoom;
let botId: string;

/** Says something and waits for the bot's next message(s) in that room. */
async function say(room: FakeRoom, who: { email: string }, text: string, opts: { mentionBot?: boolean } = {}): Promise<FakeMessage> {
  const before = h.fake.messagesIn(room.id).length;
  await h.fake.userSays({ roomId: room.id, personEmail: who.email, text, ...opts });
  const all = await h.fake.waitForMessages(() => h.fake.messagesIn(room.id).slice(before).some((m) => m.personId === botId), 8000);
  void all;
  return h.fake.messagesIn(room.id).slice(before).find((m) => m.personId === botId)!;
}

/** Clicks a card button and waits for the bot's answer in the card's room. */
async function click(card: FakeMessage, who: { email: string }, inputs: Record<string, unknown>): Promise<FakeMessage> {
  const before = h.fake.messagesIn(card.roomId).length;
  await h.fake.userSubmits({ messageId: card.id, personEmail: who.email, inputs });
  await h.fake.waitForMessages(() => h.fake.messagesIn(card.roomId).slice(before).some((m) => m.personId === botId), 8000);
  await h.settle();
  await bot.drain();
  return h.fake.messagesIn(card.roomId).slice(before).find((m) => m.personId === botId)!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bot-over-webex-'));
  store = await openLowdbSeatStore({ dir });
  cpod = await startCpodEmulator({});
  const logger = createLogger({ level: 'silent' });
  const runner = createSyncRunner({ store, clients: [createCpodLicensesClient({ baseUrl: cpod.url, token: cpod.token, fetch, sleep: () => Promise.resolve() })], clock: systemClock, logger });
  const outbox: NoticeOutbox = { send: (r) => h.sendQueue.send(r), deliver: (r) => h.sendQueue.deliver(r) };
  const access = { adminEmails: [ALICE.email, BOB.email], adminSpaceId: null as string | null, allowedEmailDomains: [] as string[] };
  bot = createBot({ store, clock: systemClock, logger, access, outbox, sync: { current: () => runner.current(), whenDone: () => runner.whenDone(), run: (o) => runner.run(o), vendors: () => ['cpod'] } });
  h = await startFakeWebexHarness({ handler: bot, people: [ALICE, BOB, CY] });
  botId = h.adapter.bot.id;
  cyRoom = h.fake.createRoom({ title: 'Cy', type: 'direct', members: [CY.email] });
  adminRoom = h.fake.createRoom({ title: 'License Admins', type: 'group', members: [ALICE.email, BOB.email] });
  teamRoom = h.fake.createRoom({ title: 'Team', type: 'group', members: [ALICE.email, CY.email] });
  access.adminSpaceId = adminRoom.id;
  const report = await runner.run({ trigger: 'command' });
  expect(report.status).toBe('ok');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await store?.close();
  await cpod?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bot in Webex, end to end', () => {
  it('answers help and licenses in a direct space with cards and a text fallback', async () => {
    const help = await say(cyRoom, CY, 'help');
    expect(JSON.stringify(cardOf(help))).toContain('my seats');
    const licenses = await say(cyRoom, CY, 'licenses');
    expect(licenses.markdown).toContain('Adobe Acrobat Pro');
    expect(JSON.stringify(cardOf(licenses))).toContain('pool.show');
  });

  it('only answers @mentions in group spaces', async () => {
    const before = h.fake.messagesIn(teamRoom.id).length;
    await h.fake.userSays({ roomId: teamRoom.id, personEmail: CY.email, text: 'licenses', mentionBot: false });
    await h.settle();
    expect(h.fake.messagesIn(teamRoom.id).slice(before).filter((m) => m.personId === botId)).toHaveLength(0);
    const reply = await say(teamRoom, CY, 'my seats', { mentionBot: true });
    expect(reply.attachments).toHaveLength(1);
  });

  it('requests through the pool card, approves in the admin space and DMs the requester', async () => {
    const pool = await say(cyRoom, CY, 'how many Adobe Acrobat seats are left?');
    const request = submits(cardOf(pool)).find((s) => s.data['action'] === 'seat.request');
    expect(request).toBeDefined();
    const adminBefore = h.fake.messagesIn(adminRoom.id).length;
    const ack = await click(pool, CY, { ...request!.data, days: '30', reason: 'contract review' });
    expect(ack.parentId).toBe(pool.id);
    expect(ack.markdown).toMatch(/waiting for an admin/);

    const approval = h.fake.messagesIn(adminRoom.id).slice(adminBefore).find((m) => m.personId === botId);
    expect(approval?.markdown).toContain('contract review');
    const approve = submits(cardOf(approval)).find((s) => s.data['action'] === 'seat.approve')!;

    // Cy forges an approval from a card he can see, claiming Alice's identity in the inputs: Webex says
    // Cy clicked, so it is refused and audited.
    const forged = await click(pool, CY, { ...approve.data, personId: h.fake.state.people.get(approval!.personId)?.id, personEmail: ALICE.email, isAdmin: true });
    expect(forged.markdown).toMatch(/Only license admins/);
    expect(store.read().data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { email: CY.email } });

    const cyBefore = h.fake.messagesIn(cyRoom.id).length;
    const decided = await click(approval!, ALICE, { ...approve.data, note: 'ok for Q3' });
    expect(decided.parentId).toBe(approval!.id);
    expect(decided.markdown).toMatch(/approved/i);
    const dm = h.fake.messagesIn(cyRoom.id).slice(cyBefore).find((m) => m.personId === botId);
    expect(dm?.markdown).toMatch(/approved/i);
    expect(dm?.markdown).toContain('ok for Q3');

    // The same card clicked again by another admin: stale, refused with the current state.
    const stale = await click(approval!, BOB, approve.data);
    expect(stale.markdown).toMatch(/no longer waiting/);
    const seat = Object.values(store.read().data.assignments).find((a) => a.assignee.email === CY.email && a.origin === 'ledger');
    expect(seat?.status).toBe('active');
  });

  it('lists and releases my seats through the card', async () => {
    const mine = await say(cyRoom, CY, 'my seats');
    const release = submits(cardOf(mine)).find((s) => s.data['action'] === 'seat.release');
    expect(release).toBeDefined();
    const seat = Object.values(store.read().data.assignments).find((a) => a.assignee.email === CY.email && a.status === 'active')!;
    const done = await click(mine, CY, { ...release!.data, assignmentId: seat.id });
    expect(done.markdown).toMatch(/released/i);
    expect(store.read().assignment(seat.id)?.status).toBe('released');
  });

  it('gives admins pending, who has, grant, revoke and sync; refuses them to others', async () => {
    const refused = await say(cyRoom, CY, 'who has adobe acrobat pro');
    expect(refused.markdown).toMatch(/Only license admins/);
    expect(store.read().data.audit.at(-1)).toMatchObject({ action: 'attempt.refused' });

    const alice = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
    const granted = await say(alice, ALICE, `grant jetbrains to ${CY.email} for 10 days`);
    expect(granted.markdown).toMatch(/granted/i);
    const holders = await say(alice, ALICE, 'who has jetbrains');
    expect(holders.markdown).toContain('JetBrains All Products');
    const revoke = submits(cardOf(holders)).find((s) => s.data['action'] === 'seat.revoke')!;
    const seat = Object.values(store.read().data.assignments).find((a) => a.assignee.email === CY.email && a.status === 'active' && a.origin === 'ledger')!;
    const revoked = await click(holders, ALICE, { ...revoke.data, assignmentId: seat.id, note: 'project ended' });
    expect(revoked.markdown).toMatch(/revoked/i);
    expect(store.read().assignment(seat.id)?.status).toBe('revoked');

    const pending = await say(alice, ALICE, 'pending');
    expect(pending.attachments).toHaveLength(1);

    const before = h.fake.messagesIn(alice.id).length;
    await say(alice, ALICE, 'sync cpod');
    await bot.drain();
    await h.settle();
    const result = h.fake.messagesIn(alice.id).slice(before).filter((m) => m.personId === botId).map((m) => m.markdown ?? '');
    expect(result[0]).toBe('Syncing cPod… I will post the result here.');
    expect(result.join('\n')).toMatch(/\*\*cPod\*\*: ok \(\d+ added, \d+ updated, \d+ retired, \d+ drift findings?\)/);
  });

  it('answers expiring, digest and unknown products, actions and inputs clearly', async () => {
    expect((await say(cyRoom, CY, 'expiring in 400 days')).attachments).toHaveLength(1);
    expect((await say(cyRoom, CY, 'digest on')).markdown).toMatch(/now on/);
    const unknown = await say(cyRoom, CY, 'seats photoshopp');
    expect(unknown.markdown).toMatch(/no license called/i);
    const card = await say(cyRoom, CY, 'licenses');
    expect((await click(card, CY, { action: 'seat.teleport' })).markdown).toMatch(/could not read what this card sent/);
    expect((await click(card, CY, { action: 'pool.show' })).markdown).toMatch(/Choose a license first/);
  });
});
