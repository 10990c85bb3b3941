/**
 * Once the ledger has committed a change, the actor is told it is done, and separately which notice to someone
 * else did not arrive and why; never "try again". The real bot, receiver and framework against the fake Webex
 * API, whose fault injector refuses the notice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createBot } from '../../src/bot/bot.js';
import { emptyLedger, type AuditAction } from '../../src/domain/ledger.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import type { FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import { ALICE, BOB, startFakeWebexHarness, type FakeWebexHarness } from '../support/fake-webex-harness.js';
import { makePool } from '../support/make-pool.js';
import { chatDriver, type ChatDriver } from './chat-driver.js';

const CY = { displayName: 'Cy User', email: 'cy@example.com' } as const;
const acrobat = makePool({ externalId: 'acrobat', productName: 'Adobe Acrobat Pro', totalSeats: 5 });
const jetbrains = makePool({ externalId: 'jetbrains', productName: 'JetBrains All Products', totalSeats: 5 });
const POST_MESSAGES = { method: 'POST', path: '/messages' } as const;

let h: FakeWebexHarness;
let store: SeatStore;
let chat: ChatDriver;
let cyRoom: FakeRoom;
let aliceRoom: FakeRoom;
let adminRoom: FakeRoom;

const texts = (ms: readonly FakeMessage[]): string => ms.map((m) => m.markdown ?? '').join('\n');
const auditOf = (action: AuditAction) => store.read().data.audit.filter((e) => e.action === action);
const seatOf = (poolId: string) =>
  Object.values(store.read().data.assignments).find(
    (a) => a.poolId === poolId && a.assignee.email === CY.email,
  );

/** Cy asks for Acrobat; returns the approval card in the admin space. */
async function cyRequestsAcrobat(): Promise<FakeMessage> {
  const before = chat.botMessagesIn(adminRoom.id).length;
  await chat.say(cyRoom, CY, 'request adobe acrobat pro because contract review');
  const [approval] = chat.botMessagesIn(adminRoom.id).slice(before);
  expect(approval?.markdown).toContain('contract review');
  return approval!;
}

/** Nothing the bot said anywhere asks to try again. */
function expectNoTryAgain(): void {
  const all = [...h.fake.state.messages.values()].filter((m) => m.personId === h.adapter.bot.id);
  expect(texts(all)).not.toMatch(/try again|something went wrong/i);
}

beforeEach(async () => {
  const data = emptyLedger();
  data.pools[acrobat.id] = acrobat;
  data.pools[jetbrains.id] = jetbrains;
  store = createMemorySeatStore(data);
  const access = {
    adminEmails: [ALICE.email, BOB.email],
    adminSpaceId: null as string | null,
    allowedEmailDomains: [] as string[],
  };
  const bot = createBot({
    store,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    access,
    outbox: { send: (r) => h.sendQueue.send(r), deliver: (r) => h.sendQueue.deliver(r) },
    sync: null,
  });
  h = await startFakeWebexHarness({ handler: bot, people: [ALICE, BOB, CY] });
  chat = chatDriver(h);
  cyRoom = h.fake.createRoom({ title: 'Cy', type: 'direct', members: [CY.email] });
  aliceRoom = h.fake.createRoom({ title: 'Alice', type: 'direct', members: [ALICE.email] });
  adminRoom = h.fake.createRoom({
    title: 'License Admins',
    type: 'group',
    members: [ALICE.email, BOB.email],
  });
  access.adminSpaceId = adminRoom.id;
});
afterEach(async () => {
  await h.close();
});

describe('honest outcomes when a notice fails', () => {
  it("a deny whose DM to the requester gets 404: done, and the notice's failure with its reason", async () => {
    const approval = await cyRequestsAcrobat();
    const cyBefore = chat.botMessagesIn(cyRoom.id).length;
    h.fake.faults.failNext(1, 404, POST_MESSAGES); // the next post is the DM to Cy
    const answers = await chat.click(approval, ALICE, 'seat.deny', { note: 'not this quarter' });

    expect(answers).toHaveLength(2);
    expect(answers.every((m) => m.parentId === approval.id)).toBe(true);
    expect(answers[0]?.markdown).toMatch(/denied/i);
    expect(answers[1]?.markdown).toBe(
      "Denied: Cy User's request for Adobe Acrobat Pro. I could not notify Cy User: Webex said the recipient was not found. The change is recorded; please let them know another way.",
    );
    expect(chat.botMessagesIn(cyRoom.id).slice(cyBefore)).toEqual([]);
    expect(seatOf(acrobat.id)?.status).toBe('denied');
    expect(auditOf('seat.denied')).toHaveLength(1);
    expectNoTryAgain();
  });

  it('an approval whose DM gets 404 is reported approved, with the failed notice', async () => {
    const approval = await cyRequestsAcrobat();
    h.fake.faults.failNext(1, 404, POST_MESSAGES);
    const answers = await chat.click(approval, ALICE, 'seat.approve');
    expect(texts(answers)).toContain(
      'Approved: Cy User now holds a Adobe Acrobat Pro seat. I could not notify Cy User: Webex said the recipient was not found.',
    );
    expect(seatOf(acrobat.id)?.status).toBe('active');
    expect(auditOf('seat.approved')).toHaveLength(1);

    // Bob clicks the same card later: the current state, nothing approved twice, nobody messaged again.
    const stale = await chat.click(approval, BOB, 'seat.approve');
    expect(texts(stale)).toMatch(/no longer waiting/);
    expect(auditOf('seat.approved')).toHaveLength(1);
    expectNoTryAgain();
  });

  it('a grant whose DM gets 403: granted, and the bot is not allowed to message them', async () => {
    h.fake.faults.failNext(1, 403, POST_MESSAGES);
    const answers = await chat.say(aliceRoom, ALICE, `grant jetbrains to ${CY.email}`);
    expect(texts(answers)).toContain(
      `Granted a JetBrains All Products seat to ${CY.email}. I could not notify ${CY.email}: the bot is not allowed to message them.`,
    );
    expect(seatOf(jetbrains.id)?.status).toBe('active');
    expect(auditOf('seat.granted')).toHaveLength(1);
    expectNoTryAgain();
  });

  it('a revoke whose DM is rate-limited past every retry: revoked, and Webex kept rate-limiting', async () => {
    await chat.say(aliceRoom, ALICE, `grant jetbrains to ${CY.email}`);
    h.fake.faults.rateLimitNext(9, 0, POST_MESSAGES); // the first try and all 8 retries of the DM
    const answers = await chat.say(aliceRoom, ALICE, `revoke jetbrains from ${CY.email}`);
    expect(texts(answers)).toContain(
      `Revoked ${CY.email}'s JetBrains All Products seat. I could not notify ${CY.email}: Webex kept rate-limiting.`,
    );
    expect(seatOf(jetbrains.id)?.status).toBe('revoked');
    expect(auditOf('seat.revoked')).toHaveLength(1);
    expectNoTryAgain();
  });

  it('a request whose approval card cannot reach the admin space: recorded, and where admins still find it', async () => {
    h.fake.faults.failNext(1, 404, POST_MESSAGES); // the approval card for the admin space
    const answers = await chat.say(cyRoom, CY, 'request adobe acrobat pro');
    expect(texts(answers)).toBe(
      "Your request for Adobe Acrobat Pro is waiting for an admin. I could not notify the license admins' space: Webex said the recipient was not found. The admins still find it in their list of pending requests. You will get a direct message with the decision.",
    );
    expect(chat.botMessagesIn(adminRoom.id)).toEqual([]);
    expect(seatOf(acrobat.id)?.status).toBe('pending');
    const [pending] = await chat.say(aliceRoom, ALICE, 'pending');
    expect(JSON.stringify(pending?.attachments)).toContain('Adobe Acrobat Pro');
    expectNoTryAgain();
  });
});
