import { systemClock, type Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';

/** One scheduled job: the schedule is data, `run` is the same function a chat command would call. */
export interface Job {
  name: string;
  /** node-cron expression (5 or 6 fields), read in the scheduler's time zone. */
  cron: string;
  run: () => Promise<unknown>;
}

/** The part of node-cron 4 the scheduler uses; tests inject a fake that captures the callbacks. */
export interface CronLike {
  validate(expression: string): boolean;
  schedule(
    expression: string,
    fn: () => Promise<void>,
    options: { timezone: string; name?: string; noOverlap?: boolean },
  ): CronTask;
}

/** A scheduled node-cron task: stoppable, and able to say when it fires next. */
export interface CronTask {
  stop(): void | Promise<void>;
  getNextRun?(): Date | null;
}

export interface Scheduler {
  /** Validates every expression (throwing before scheduling any), then schedules each job. */
  start(jobs: readonly Job[]): void;
  /** Stops every task and waits for running jobs to finish. */
  stop(): Promise<void>;
  /** When each job fires next (null when its task cannot say), for the startup line. */
  nextRuns(): { job: string; at: Date | null }[];
}

/** Whether this instance may run the jobs now (store/leadership.ts: the PostgreSQL lease or the sole instance). */
export interface LeaderGate {
  isLeader(): boolean;
}

/**
 * Wraps node-cron: one task per job, noOverlap (a tick while the job still runs is skipped, here as well
 * as in node-cron), and every tick in one logging guard, so a throwing or rejecting job is logged with
 * `err` and never reaches the process. With `leader`, a tick runs only while this instance leads (asked at
 * each tick; a follower's tick is skipped with a debug line), so with several instances each job runs once.
 */
export function createScheduler(deps: {
  cron: CronLike;
  timezone: string;
  logger: Logger;
  clock?: Clock;
  leader?: LeaderGate;
}): Scheduler {
  const { cron, timezone, logger, leader } = deps;
  const clock = deps.clock ?? systemClock;
  const elapsed = (since: number): number => clock.now().getTime() - since;
  const tasks: { job: string; task: CronTask }[] = [];
  const inFlight = new Set<Promise<void>>();

  function guard(job: Job): () => Promise<void> {
    const log = logger.child({ job: job.name });
    let busy = false;
    return () => {
      if (leader !== undefined && !leader.isLeader()) {
        log.debug('not the leader; tick skipped');
        return Promise.resolve();
      }
      if (busy) {
        log.warn('previous run still in progress; tick skipped');
        return Promise.resolve();
      }
      busy = true;
      const started = clock.now().getTime();
      const tick = (async () => {
        try {
          log.debug('job started');
          await job.run();
          log.info({ ms: elapsed(started) }, 'job finished');
        } catch (err) {
          log.error({ err, ms: elapsed(started) }, 'job failed');
        } finally {
          busy = false;
        }
      })();
      inFlight.add(tick);
      void tick.finally(() => inFlight.delete(tick));
      return tick;
    };
  }

  return {
    start(jobs) {
      const problems: string[] = [];
      const names = new Set<string>();
      for (const job of jobs) {
        if (names.has(job.name)) problems.push(`${job.name}: job name used twice`);
        names.add(job.name);
        if (!cron.validate(job.cron)) problems.push(`${job.name}: "${job.cron}" is not a valid cron expression`);
      }
      if (problems.length > 0) {
        throw new AppError('SCHEDULE_INVALID', `Invalid job schedule:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      }
      for (const job of jobs) {
        tasks.push({ job: job.name, task: cron.schedule(job.cron, guard(job), { timezone, name: job.name, noOverlap: true }) });
        logger.info({ job: job.name, cron: job.cron, timezone }, 'job scheduled');
      }
    },
    async stop() {
      for (const t of tasks.splice(0)) await t.task.stop();
      await Promise.all(inFlight);
    },
    nextRuns() {
      return tasks.map((t) => ({ job: t.job, at: t.task.getNextRun?.() ?? null }));
    },
  };
}
