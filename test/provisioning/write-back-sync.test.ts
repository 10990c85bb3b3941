import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import { createWebexLicensesClient } from '../../src/sync/vendors/webex/webex-licenses.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';
import { PEOPLE } from '../support/test-bot.js';
import { startWriteBackHarness } from '../support/write-back-harness.js';

type Harness = Awaited<ReturnType<typeof startWriteBackHarness>>;
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('write-back and sync', () => {
  it('the next sync matches the provisioned seat to the vendor seat: counted once', async () => {
    const t = (h = await startWriteBackHarness());
    const before = t.webexEmu.data.licenses[0]!.users.length;
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    expect(t.store.read().usage(t.webexPool.id).used).toBe(before + 1);

    const logger = createLogger({ level: 'silent' });
    const client = createWebexLicensesClient({ baseUrl: t.webexEmu.url, token: 'webex-admin-token-for-tests', fetch: globalThis.fetch, sleep: () => Promise.resolve() });
    const runner = createSyncRunner({ store: t.store, clients: [client], clock: t.clock, logger });
    const report = await runner.run({ trigger: 'command' });
    expect(report.status).toBe('ok');

    const view = t.store.read();
    expect(view.assignment(seat.id)).toMatchObject({ status: 'active', origin: 'ledger', vendorSeen: true });
    const usage = view.usage(t.webexPool.id);
    expect(usage).toMatchObject({ used: before + 1, ledgerOnly: 0, vendorUsed: before + 1 });
    // No second seat for Cy from the vendor's listing.
    const cySeats = view.assignmentsOfPool(t.webexPool.id).filter((a) => a.assignee.email === 'cy@example.com' && a.status === 'active');
    expect(cySeats).toHaveLength(1);

    // Someone removes the license in Control Hub: the next sync records the disagreement as drift.
    const license = t.webexEmu.data.licenses[0]!;
    license.users = license.users.filter((u) => u.email !== 'cy@example.com');
    license.consumedUnits = before;
    t.clock.advance(60_000);
    expect((await runner.run({ trigger: 'command' })).status).toBe('ok');
    expect(t.store.read().data.drift[`${t.webexPool.id}:write_back_missing`]).toMatchObject({
      kind: 'write_back_missing',
      resolvedAt: null,
      message: `${license.name ?? ''}: 1 seat the bot assigned at the vendor is not listed there any more`,
    });
  });

  it('expiry of a time-bound provisioned seat removes it at the vendor once', async () => {
    const t = (h = await startWriteBackHarness());
    await t.say(PEOPLE.cy, 'request webex meetings for 3 days');
    const seat = t.store.read().openSeat(t.webexPool.id, { kind: 'user', id: PEOPLE.cy.id, email: PEOPLE.cy.email })!;
    await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: seat.id }, { roomId: 'room-admins' });
    await t.worker.drain();
    t.clock.advance(4 * 86_400_000);
    const ended = await runLedgerCommand(t.store, t.clock, { command: { op: 'expire', assignmentId: seat.id }, actor: { kind: 'system', name: 'schedule' }, source: 'schedule', idempotencyKey: 'expire-1' });
    expect(ended.ok).toBe(true);
    await t.worker.drain();
    expect(t.webexChanges().map((w) => w.operation)).toEqual(['add', 'remove']);
    expect(t.latest(seat.id)).toMatchObject({ op: 'remove', status: 'done' });
  });
});
