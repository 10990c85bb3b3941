import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { aSnapshot, aVendorPool, snapshotWithHolders } from '../support/ledger-builders.js';
import { createLogger } from '../../src/log.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import type { SyncRunner } from '../../src/sync/runner/sync-runner-types.js';
import type { SyncTrigger } from '../../src/bot/bot-deps.js';
import type { VendorClient, VendorSnapshot } from '../../src/domain/vendor-snapshot.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The real sync runner over the test bot's store: Webex answers at once, Meraki when the test says so. */
function setup() {
  // The bot is built before the runner (the runner needs the bot's store), so the trigger reads it late.
  const late: { runner?: SyncRunner } = {};
  const sync: SyncTrigger = {
    current: () => late.runner!.current(),
    whenDone: () => late.runner!.whenDone(),
    run: (o) => late.runner!.run(o),
    vendors: () => ['webex', 'meraki'],
  };
  const t = createTestBot([], { sync });
  const merakiStarted = deferred<void>();
  const merakiDone = deferred<VendorSnapshot>();
  const webex: VendorClient = { vendor: 'webex', connectionId: 'org-1', fetchSnapshot: () => Promise.resolve(snapshotWithHolders(['ann'])) };
  const meraki: VendorClient = {
    vendor: 'meraki',
    connectionId: 'org-1',
    fetchSnapshot: () => {
      merakiStarted.resolve();
      return merakiDone.promise;
    },
  };
  const runner = (late.runner = createSyncRunner({ store: t.store, clients: [webex, meraki], clock: t.clock, logger: createLogger({ level: 'silent' }) }));
  const merakiSnapshot = aSnapshot({ vendor: 'meraki', pools: [aVendorPool({ externalId: 'org-1:MX', productName: 'MX64-ENT' })] });
  return { t, runner, merakiStarted: merakiStarted.promise, finishMeraki: () => merakiDone.resolve(merakiSnapshot) };
}

describe('sync follow-through', () => {
  it('an admin asking while a sync runs is told since when and what is done, and gets its result in that space', async () => {
    const { t, runner, merakiStarted, finishMeraki } = setup();
    const scheduled = runner.run({ trigger: 'schedule' });
    await merakiStarted;
    t.clock.advance(4 * 60_000);

    const [first] = await t.say(PEOPLE.ada, 'sync');
    expect(first?.markdown).toBe(
      'A sync is already running (started 2026-03-02 09:00 UTC by the schedule, 4 minutes ago; done: Webex (ok); still to do: Meraki), so I did not start another. I will post its result here when it ends.',
    );
    // Asking again promises nothing twice.
    const [again] = await t.say(PEOPLE.ada, 'sync meraki');
    expect(again?.markdown).toMatch(/^That sync is still running \(started 2026-03-02 09:00 UTC by the schedule, 4 minutes ago; done: Webex \(ok\); still to do: Meraki\)\. Its result will be posted here when it ends\.$/);
    // Another admin in another space is promised the result there too.
    const [bob] = await t.say(PEOPLE.bob, 'sync');
    expect(bob?.markdown).toMatch(/^A sync is already running/);
    expect(t.sent).toEqual([]);

    finishMeraki();
    const report = await scheduled;
    expect(report.status).toBe('ok');
    await t.bot.drain();
    const results = t.sent.map((r) => [(r.to as { roomId: string }).roomId, r.markdown] as const);
    expect(results.map(([room]) => room).sort()).toEqual(['room-p-ada', 'room-p-bob']);
    for (const [, text] of results) {
      expect(text).toMatch(/^Synced Webex, Meraki\n- \*\*Webex\*\*: ok \(1 added, 0 updated, 0 retired, 0 drift findings\)\n- \*\*Meraki\*\*: ok /);
    }

    // Once it has ended, the next `sync` starts a new run and reports it.
    const [fresh] = await t.say(PEOPLE.ada, 'sync webex');
    expect(fresh?.markdown).toBe('Syncing Webex… I will post the result here.');
    await t.bot.drain();
    expect(t.sent.at(-1)?.markdown).toMatch(/^Synced Webex\n/);
  });

  it('a sync started from chat posts its result once, even when asked about again while it runs', async () => {
    const { t, merakiStarted, finishMeraki } = setup();
    const [started] = await t.say(PEOPLE.ada, 'sync');
    expect(started?.markdown).toBe('Syncing Webex, Meraki… I will post the result here.');
    await merakiStarted;
    const [again] = await t.say(PEOPLE.ada, 'sync');
    expect(again?.markdown).toMatch(/^That sync is still running \(started 2026-03-02 09:00 UTC by an admin in chat, under a minute ago; done: Webex \(ok\); still to do: Meraki\)/);
    finishMeraki();
    await t.bot.drain();
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]?.markdown).toMatch(/^Synced Webex, Meraki/);
  });

  it('names a vendor the running sync does not cover', async () => {
    const { t, runner, merakiStarted, finishMeraki } = setup();
    const scheduled = runner.run({ vendor: 'meraki', trigger: 'cli' });
    await merakiStarted;
    const [r] = await t.say(PEOPLE.ada, 'sync webex');
    expect(r?.markdown).toBe(
      'A sync is already running (started 2026-03-02 09:00 UTC from the command line (npm run sync), under a minute ago; done: none yet; still to do: Meraki), so I did not start another. I will post its result here when it ends. It does not cover Webex: ask again for it once this one is done.',
    );
    finishMeraki();
    await scheduled;
    await t.bot.drain();
    expect(t.sent.map((m) => m.markdown)).toEqual([expect.stringMatching(/^Synced Meraki\n/)]);
  });

  it('a non-admin asking gets the admins-only answer and no result', async () => {
    const { t, runner, merakiStarted, finishMeraki } = setup();
    const scheduled = runner.run({ trigger: 'schedule' });
    await merakiStarted;
    const [r] = await t.say(PEOPLE.cy, 'sync');
    expect(r?.markdown).toMatch(/Only license admins may/);
    finishMeraki();
    await scheduled;
    await t.bot.drain();
    expect(t.sent).toEqual([]);
  });
});
