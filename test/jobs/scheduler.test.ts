import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { VendorClient } from '../../src/domain/vendor-snapshot.js';
import { jobTable } from '../../src/jobs/job-table.js';
import { createScheduler, type CronLike, type Job } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import { snapshotWithHolders } from '../support/ledger-builders.js';
import type { JobOutbox, Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';

interface Scheduled {
  expression: string;
  fn: () => Promise<void>;
  options: { timezone: string; name?: string; noOverlap?: boolean };
  stopped: boolean;
}

/** node-cron stand-in: validates like node-cron and captures the callbacks; no timers. */
function fakeCron(): CronLike & { scheduled: Scheduled[] } {
  const scheduled: Scheduled[] = [];
  return {
    scheduled,
    validate: (e) => cron.validate(e),
    schedule(expression, fn, options) {
      const s: Scheduled = { expression, fn, options, stopped: false };
      scheduled.push(s);
      return { stop: () => void (s.stopped = true) };
    },
  };
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { logger, lines };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createScheduler', () => {
  it('schedules each job in the configured time zone with noOverlap', () => {
    const fake = fakeCron();
    const { logger } = capturingLogger();
    const jobs: Job[] = [
      { name: 'a', cron: '0 * * * *', run: () => Promise.resolve() },
      { name: 'b', cron: '30 9 * * 1-5', run: () => Promise.resolve() },
    ];
    createScheduler({ cron: fake, timezone: 'Europe/Berlin', logger }).start(jobs);
    expect(fake.scheduled.map((s) => [s.expression, s.options])).toEqual([
      ['0 * * * *', { timezone: 'Europe/Berlin', name: 'a', noOverlap: true }],
      ['30 9 * * 1-5', { timezone: 'Europe/Berlin', name: 'b', noOverlap: true }],
    ]);
  });

  it('refuses to start with an invalid expression or a duplicate name, naming each, and schedules nothing', () => {
    const fake = fakeCron();
    const { logger } = capturingLogger();
    const run = (): Promise<void> => Promise.resolve();
    const start = (): void =>
      createScheduler({ cron: fake, timezone: 'UTC', logger }).start([
        { name: 'ok', cron: '0 * * * *', run },
        { name: 'bad', cron: '61 * * * *', run },
        { name: 'ok', cron: '* * *', run },
      ]);
    expect(start).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID' }));
    expect(start).toThrow(/bad: "61 \* \* \* \*" is not a valid cron expression/);
    expect(start).toThrow(/ok: job name used twice/);
    expect(fake.scheduled).toEqual([]);
  });

  it('logs a throwing or rejecting job with err and never lets the tick reject', async () => {
    const fake = fakeCron();
    const { logger, lines } = capturingLogger();
    createScheduler({ cron: fake, timezone: 'UTC', logger }).start([
      { name: 'throws', cron: '* * * * *', run: () => { throw new Error('sync exploded'); } },
      { name: 'rejects', cron: '* * * * *', run: () => Promise.reject(new Error('async exploded')) },
    ]);
    await expect(fake.scheduled[0]!.fn()).resolves.toBeUndefined();
    await expect(fake.scheduled[1]!.fn()).resolves.toBeUndefined();
    const failures = lines.filter((l) => l['msg'] === 'job failed');
    expect(failures.map((l) => [l['job'], (l['err'] as { message: string }).message])).toEqual([
      ['throws', 'sync exploded'],
      ['rejects', 'async exploded'],
    ]);
  });

  it('skips a tick while the same job is still running, then runs again once it is done', async () => {
    const fake = fakeCron();
    const { logger, lines } = capturingLogger();
    const gate = deferred();
    let runs = 0;
    createScheduler({ cron: fake, timezone: 'UTC', logger }).start([
      { name: 'slow', cron: '* * * * *', run: async () => { runs++; if (runs === 1) await gate.promise; } },
    ]);
    const tick = fake.scheduled[0]!.fn;
    const first = tick();
    await tick();
    expect(runs).toBe(1);
    expect(lines.some((l) => l['msg'] === 'previous run still in progress; tick skipped')).toBe(true);
    gate.resolve();
    await first;
    await tick();
    expect(runs).toBe(2);
  });

  it('stop() stops every task and waits for a running job to finish', async () => {
    const fake = fakeCron();
    const { logger } = capturingLogger();
    const gate = deferred();
    let finished = false;
    const scheduler = createScheduler({ cron: fake, timezone: 'UTC', logger });
    scheduler.start([{ name: 'slow', cron: '* * * * *', run: async () => { await gate.promise; finished = true; } }]);
    void fake.scheduled[0]!.fn();
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(fake.scheduled[0]!.stopped).toBe(true);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
  });

  it('works with the real node-cron module: it rejects bad expressions and schedules good ones', async () => {
    const { logger } = capturingLogger();
    const run = (): Promise<void> => Promise.resolve();
    const scheduler = createScheduler({ cron, timezone: 'UTC', logger });
    expect(() => scheduler.start([{ name: 'bad', cron: '0 25 * * *', run }])).toThrow(/not a valid cron expression/);
    expect(() => scheduler.start([{ name: 'bad', cron: 'every hour', run }])).toThrow(/not a valid cron expression/);
    scheduler.start([{ name: 'hourly', cron: '0 * * * *', run }, { name: 'seconds', cron: '*/10 * * * * *', run }]);
    await scheduler.stop();
  });
});

describe('jobTable', () => {
  it('schedules sync, digest and reminders from the config, each tick running the real job', async () => {
    const fake = fakeCron();
    const { logger, lines } = capturingLogger();
    const store = createMemorySeatStore();
    const clock = fixedClock('2026-03-02T10:00:00.000Z');
    let fetches = 0;
    const client: VendorClient = {
      vendor: 'webex',
      connectionId: 'org-1',
      fetchSnapshot: () => {
        fetches++;
        return Promise.resolve(snapshotWithHolders(['ann']));
      },
    };
    const runner = createSyncRunner({ store, clients: [client], clock, logger });
    const sent: Reply[] = [];
    const outbox: JobOutbox = { send: (r) => (sent.push(...r), Promise.resolve()), deliver: (r) => (sent.push(...r), Promise.resolve(r.map(() => ({ ok: true as const })))) };
    const notices = createJobNotices({ access: { adminEmails: ['ada@example.com'], adminSpaceId: null, allowedEmailDomains: [] }, vendors: ['webex'] });
    const schedule = { timezone: 'UTC', syncCron: '15 * * * *', digestCron: '0 9 * * 1-5', reminderCron: '30 9 * * *', seatExpiryCron: '* * * * *', webhookCheckCron: '*/5 * * * *', requestTtlDays: 14 };
    const jobs = jobTable({ schedule, syncRunner: runner, store, clock, outbox, notices, logger });
    expect(jobs.map((j) => [j.name, j.cron])).toEqual([
      ['vendor-sync', '15 * * * *'],
      ['daily-digest', '0 9 * * 1-5'],
      ['reminders', '30 9 * * *'],
      ['seat-expiry', '* * * * *'],
    ]);

    createScheduler({ cron: fake, timezone: schedule.timezone, logger }).start(jobs);
    // The sync tick goes through the same runner the chat command uses.
    await fake.scheduled[0]!.fn();
    expect(fetches).toBe(1);
    const runs = Object.values(store.read().data.syncRuns);
    expect(runs.map((r) => [r.vendor, r.trigger, r.status])).toEqual([['webex', 'schedule', 'ok']]);
    expect(lines.some((l) => l['job'] === 'vendor-sync' && l['msg'] === 'Synced Webex')).toBe(true);

    // The digest tick posts to the spaces that turned it on, with what the sync brought in.
    await runLedgerCommand(store, clock, {
      command: { op: 'setDigest', roomId: 'room-it', digest: true, title: 'IT' },
      actor: { kind: 'person', personId: 'p-ada', email: 'ada@example.com', name: 'Ada', isAdmin: true },
      source: 'chat',
      idempotencyKey: 'digest-on',
    });
    await fake.scheduled[1]!.fn();
    expect(sent.map((r) => r.to)).toEqual([{ roomId: 'room-it' }]);
    expect(sent[0]?.markdown).toMatch(/webex/i);

    // The reminders tick runs too (nothing is due, so nothing is sent).
    sent.length = 0;
    await fake.scheduled[2]!.fn();
    expect(sent).toEqual([]);
    expect(lines.filter((l) => l['msg'] === 'job finished').map((l) => l['job'])).toEqual(['vendor-sync', 'daily-digest', 'reminders']);
  });
});
