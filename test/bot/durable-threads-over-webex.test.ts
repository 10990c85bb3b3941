/**
 * Card clicks answered in the card's thread survive a restart: the real bot, receiver and framework against the
 * fake Webex API; the restart replaces the bot, the framework adapter and the send queue (nothing in memory
 * survives) and keeps the fake and the store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { createBot } from '../../src/bot/bot.js';
import { emptyLedger } from '../../src/domain/ledger.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import type { FakeMessage, FakeRoom } from '../../src/sandbox/fake-webex-api.js';
import { ALICE, BOB, startFakeWebexHarness, type FakeWebexHarness } from '../support/fake-webex-harness.js';
import { makePool } from '../support/make-pool.js';
import { chatDriver, type ChatDriver } from './chat-driver.js';

const CY = { displayName: 'Cy User', email: 'cy@example.com' } as const;
const acrobat = makePool({ externalId: 'acrobat', productName: 'Adobe Acrobat Pro', totalSeats: 5 });

let h: FakeWebexHarness;
let store: SeatStore;
let chat: ChatDriver;
let cyRoom: FakeRoom;

/** A fresh bot on the one store, its outbox the harness's current send queue. */
function newBot() {
  return createBot({
    store,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    access: { adminEmails: [ALICE.email, BOB.email], adminSpaceId: null, allowedEmailDomains: [] },
    outbox: { send: (r) => h.sendQueue.send(r), deliver: (r) => h.sendQueue.deliver(r) },
    sync: null,
  });
}

/** GET /messages/{id} requests since request number `from`. */
const lookupsOf = (id: string, from: number) =>
  h.fake.requests.slice(from).filter((r) => r.method === 'GET' && r.url === `/v1/messages/${id}`);

beforeEach(async () => {
  const data = emptyLedger();
  data.pools[acrobat.id] = acrobat;
  store = createMemorySeatStore(data);
  h = await startFakeWebexHarness({ handler: newBot(), people: [ALICE, BOB, CY] });
  chat = chatDriver(h);
  cyRoom = h.fake.createRoom({ title: 'Cy', type: 'direct', members: [CY.email] });
});
afterEach(async () => {
  await h.close();
});

describe('threads after a restart', () => {
  it("answers a click on a top-level card in that card's thread", async () => {
    const [summary] = await chat.say(cyRoom, CY, 'licenses');
    await h.restart(newBot());
    const [pool] = await chat.click(summary!, CY, 'pool.show', { poolId: acrobat.id });
    expect(pool?.parentId).toBe(summary!.id);
    expect(JSON.stringify(pool?.attachments)).toContain('Adobe Acrobat Pro');
  });

  it('answers a click on a card posted inside a thread under the thread root, as Webex requires', async () => {
    const [summary] = await chat.say(cyRoom, CY, 'licenses');
    const [pool] = await chat.click(summary!, CY, 'pool.show', { poolId: acrobat.id });
    expect(pool?.parentId).toBe(summary!.id);

    await h.restart(newBot());
    const restartedAt = h.fake.requests.length;
    const [ack] = await chat.click(pool!, CY, 'seat.request', { days: '30', reason: 'contract review' });
    expect(ack?.markdown).toMatch(/waiting for an admin/);
    expect(ack?.parentId).toBe(summary!.id);
    // The new send queue did not know the pool card: it asked Webex once, and Webex's refusal of a reply as a
    // parent never came into play.
    expect(lookupsOf(pool!.id, restartedAt)).toHaveLength(1);
    expect(
      h.fake.requests
        .slice(restartedAt)
        .filter((r) => r.method === 'POST' && r.url === '/v1/messages' && r.status !== 200),
    ).toEqual([]);
    expect(Object.values(store.read().data.assignments)).toHaveLength(1);
  });

  it('posts the answer unthreaded, not lost, when Webex refuses the parent', async () => {
    const [summary] = await chat.say(cyRoom, CY, 'licenses');
    await h.restart(newBot());
    h.fake.faults.failNext(1, 400, { method: 'POST', path: '/messages' });
    const answers: FakeMessage[] = await chat.click(summary!, CY, 'pool.show', { poolId: acrobat.id });
    expect(answers).toHaveLength(1);
    expect(answers[0]?.parentId).toBeUndefined();
    expect(JSON.stringify(answers[0]?.attachments)).toContain('Adobe Acrobat Pro');
    const refusal = h.logs.find(
      (l) => l.msg === 'Webex refused the thread parent; posting the reply unthreaded',
    );
    expect(refusal).toMatchObject({ parentId: summary!.id, status: 400 });
    expect(refusal?.trackingId).toMatch(/^ROUTER_/);
  });
});
