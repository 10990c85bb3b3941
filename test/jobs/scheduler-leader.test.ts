import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { createScheduler, type CronLike } from '../../src/jobs/scheduler.js';
import { soleLeader } from '../../src/store/sole-leader.js';
import { capturingLogger } from '../support/fake-webex-harness.js';

/** node-cron stand-in that captures each job's tick; no timers. */
function fakeCron(): CronLike & { ticks: Map<string, () => Promise<void>> } {
  const ticks = new Map<string, () => Promise<void>>();
  return {
    ticks,
    validate: (e) => cron.validate(e),
    schedule(_expression, fn, options) {
      ticks.set(options.name ?? '', fn);
      return { stop: () => undefined };
    },
  };
}

describe('createScheduler with a leader gate', () => {
  it('skips every tick on a follower with a debug line and runs them once this instance leads', async () => {
    const fake = fakeCron();
    const { logger, logs } = capturingLogger();
    let leads = false;
    const runs: string[] = [];
    createScheduler({ cron: fake, timezone: 'UTC', logger, leader: { isLeader: () => leads } }).start(
      ['vendor-sync', 'daily-digest', 'reminders', 'webhook-check'].map((name) => ({
        name,
        cron: '* * * * *',
        run: () => Promise.resolve(void runs.push(name)),
      })),
    );
    for (const tick of fake.ticks.values()) await tick();
    expect(runs).toEqual([]);
    const skipped = logs.filter((l) => l.msg === 'not the leader; tick skipped');
    expect(skipped.map((l) => [l['job'], l.level])).toEqual([
      ['vendor-sync', 20],
      ['daily-digest', 20],
      ['reminders', 20],
      ['webhook-check', 20],
    ]);
    expect(logs.some((l) => l.msg === 'job finished')).toBe(false);

    leads = true;
    for (const tick of fake.ticks.values()) await tick();
    expect(runs).toEqual(['vendor-sync', 'daily-digest', 'reminders', 'webhook-check']);

    leads = false; // leadership lost between ticks: the next tick is skipped again
    await fake.ticks.get('daily-digest')!();
    expect(runs).toHaveLength(4);
  });

  it('runs every tick on a single instance (soleLeader), as without a gate', async () => {
    const fake = fakeCron();
    const { logger } = capturingLogger();
    let runs = 0;
    createScheduler({ cron: fake, timezone: 'UTC', logger, leader: soleLeader('host:1') }).start([
      { name: 'daily-digest', cron: '0 9 * * *', run: () => Promise.resolve(void runs++) },
    ]);
    await fake.ticks.get('daily-digest')!();
    await fake.ticks.get('daily-digest')!();
    expect(runs).toBe(2);
    expect(soleLeader('host:1').leader()).toEqual({ holder: 'host:1', expiresAt: null, fencing: 1, self: true });
  });
});
