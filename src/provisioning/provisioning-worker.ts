import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { errorMessage } from '../errors.js';
import type { ProvisionIntent, Vendor } from '../domain/ledger.js';
import type { LedgerCommand } from '../domain/ledger-command.js';
import type { Outbox } from '../bot/chat-event.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { SeatWriteOutcome, SeatWriter } from '../sync/vendors/seat-writer.js';
import { dueIntents } from './due-intents.js';
import { planIntent, settleCommand } from './run-intent.js';
import type { WriteBackNotices } from './write-back-notices.js';

/** WRITE_BACK_* from config. */
export interface WriteBackSettings {
  /** Vendors written to (WRITE_BACK_VENDORS); empty = nothing is written. */
  vendors: readonly Vendor[];
  /** Log and record the exact calls, make none (WRITE_BACK_DRY_RUN). */
  dryRun: boolean;
  /** Effective removals per hour past which write-back removals pause (WRITE_BACK_MAX_REMOVALS_PER_HOUR). */
  maxRemovalsPerHour: number;
}

export interface ProvisioningWorkerDeps {
  store: SeatStore;
  clock: Clock;
  logger: Logger;
  writers: readonly SeatWriter[];
  settings: WriteBackSettings;
  outbox?: Outbox;
  notices?: WriteBackNotices;
  /** Only the leader carries out intents (several instances on one PostgreSQL ledger); default: always. */
  leader?: { isLeader(): boolean };
  /** Intents carried out at once (default 4). */
  concurrency?: number;
  /** Timers for the next due retry; tests pass fakes. Default setTimeout (unref'd). */
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

/** What one pass did. */
export interface ProvisioningPass {
  ran: number;
  settled: number;
  /** Intents still queued for later (backoff, or behind an earlier one of the same seat). */
  waiting: number;
}

export interface ProvisioningWorker {
  /** A commit queued intents: run a pass soon (coalesced with one under way). */
  kick(): void;
  /** One pass over the intents due now. The periodic backstop job calls it. */
  runDue(): Promise<ProvisioningPass>;
  /** Passes until nothing due now is left (tests, shutdown). */
  drain(): Promise<void>;
  /** The exact calls a dry run would have made, newest last (bounded). */
  readonly dryRunCalls: readonly string[];
  /** Stops timers; waits for the pass under way. */
  stop(): Promise<void>;
}

const SYSTEM = { kind: 'system', name: 'schedule' } as const;
const MAX_DRY_RUN_LOG = 500;

/**
 * The write-back outbox worker: carries out queued provisioning intents one vendor call each (read first, then at
 * most one write), and records each outcome through the ledger. Per person and license, intents run in creation
 * order (dueIntents: an add before the removal that follows it, a revoke's removal before the next seat's add). A crash between the decision's commit and the call leaves the intent queued: the next
 * pass runs it, and the read before the write makes it one effective vendor call however often that happens.
 */
export function createProvisioningWorker(deps: ProvisioningWorkerDeps): ProvisioningWorker {
  const { store, clock, settings } = deps;
  const log = deps.logger.child({ component: 'provisioning' });
  const writers = new Map(deps.writers.map((w) => [w.vendor, w]));
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const inFlight = new Set<string>();
  let removalsInFlight = 0;
  const dryRunCalls: string[] = [];
  /** Holds (id@since) the admins were told of, or that were in force before this worker started: told once. */
  const alerted = new Set<string>();
  let pass: Promise<ProvisioningPass> | null = null;
  let again = false;
  let stopped = false;
  let timer: { cancel(): void } | null = null;
  const setTimer =
    deps.setTimer ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref();
      return { cancel: () => clearTimeout(t) };
    });
  const leads = (): boolean => deps.leader?.isLeader() ?? true;

  async function settle(command: Extract<LedgerCommand, { op: 'settleProvision' }>, intent: ProvisionIntent): Promise<boolean> {
    const result = await runLedgerCommand(store, clock, {
      command,
      actor: SYSTEM,
      source: 'schedule',
      idempotencyKey: `provision:${intent.id}:${intent.rounds ?? 0}:${command.attempts}`,
    });
    if (!result.ok) {
      log.warn({ intentId: intent.id, code: result.code }, `provisioning outcome not recorded: ${result.message}`);
      return false;
    }
    if (result.replayed) return true;
    const view = store.read();
    const after = view.provisionsOf(intent.assignmentId).find((i) => i.id === intent.id);
    const seat = view.assignment(intent.assignmentId);
    const replies = [];
    if (after && seat && after.status !== 'queued' && deps.notices) replies.push(...deps.notices.settled(view, after, seat, clock.now().toISOString()));
    const hold = command.hold ? view.provisionHolds().find((h) => h.id === command.hold?.id) : undefined;
    if (hold && deps.notices && !alerted.has(`${hold.id}@${hold.since}`)) {
      alerted.add(`${hold.id}@${hold.since}`);
      replies.push(...deps.notices.held(view, hold, clock.now().toISOString()));
    }
    if (replies.length > 0 && deps.outbox) {
      await deps.outbox.send(replies).catch((err: unknown) => log.warn({ err }, 'write-back notice not sent'));
    }
    return true;
  }

  async function runOne(intent: ProvisionIntent): Promise<boolean> {
    const plan = planIntent(store.read(), intent, { ...settings, writer: writers.get(intent.vendor), removalsInFlight, now: clock.now().toISOString() });
    if (plan.kind === 'settle') {
      if (plan.brake === true) log.warn({ intentId: intent.id, max: settings.maxRemovalsPerHour }, 'removal brake tripped: write-back removals paused');
      return settle(plan.command, intent);
    }
    if (plan.kind === 'dryRun') {
      for (const c of plan.calls) {
        dryRunCalls.push(c);
        if (dryRunCalls.length > MAX_DRY_RUN_LOG) dryRunCalls.shift();
      }
      log.info({ intentId: intent.id, calls: plan.calls }, 'write-back dry run: these calls were not made');
      return settle(plan.command, intent);
    }
    if (intent.op === 'remove') removalsInFlight++;
    let outcome: SeatWriteOutcome;
    try {
      outcome = await plan.writer.write(plan.write);
    } catch (err) {
      outcome = { kind: 'retry', reason: errorMessage(err).slice(0, 280) };
      log.error({ err, intentId: intent.id }, 'write-back call failed unexpectedly');
    } finally {
      if (intent.op === 'remove') removalsInFlight--;
    }
    log.info({ intentId: intent.id, op: intent.op, vendor: intent.vendor, outcome: outcome.kind }, 'write-back call');
    return settle(settleCommand(intent, outcome, clock.now().toISOString()), intent);
  }

  async function onePass(): Promise<ProvisioningPass> {
    const view = store.read();
    for (const h of view.provisionHolds()) alerted.add(`${h.id}@${h.since}`);
    const now = clock.now().toISOString();
    const { run, waiting, nextAt } = dueIntents(view, now, inFlight);
    let settled = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < run.length && !stopped) {
        const intent = run[next++]!;
        inFlight.add(intent.id);
        try {
          if (await runOne(intent)) settled++;
        } catch (err) {
          log.error({ err, intentId: intent.id }, 'provisioning intent failed; it stays queued');
        } finally {
          inFlight.delete(intent.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, run.length) }, worker));
    armTimer(nextAt);
    return { ran: run.length, settled, waiting };
  }

  function armTimer(nextAt: string | null): void {
    timer?.cancel();
    timer = null;
    if (nextAt === null || stopped) return;
    const ms = Math.max(0, Date.parse(nextAt) - clock.now().getTime());
    timer = setTimer(() => worker.kick(), Math.min(ms, 2_147_000_000));
  }

  const worker: ProvisioningWorker = {
    kick() {
      if (stopped || !leads()) return;
      if (pass !== null) {
        again = true;
        return;
      }
      void worker.runDue().catch((err: unknown) => log.error({ err }, 'provisioning pass failed'));
    },
    runDue() {
      if (pass !== null) {
        again = true;
        return pass;
      }
      const run = async (): Promise<ProvisioningPass> => {
        let total: ProvisioningPass = { ran: 0, settled: 0, waiting: 0 };
        do {
          again = false;
          const p = await onePass();
          total = { ran: total.ran + p.ran, settled: total.settled + p.settled, waiting: p.waiting };
        } while (again && !stopped);
        return total;
      };
      pass = run().finally(() => {
        pass = null;
      });
      return pass;
    },
    async drain() {
      for (let i = 0; i < 1000; i++) {
        const p = await worker.runDue();
        // Nothing due, or nothing could be recorded (a ledger refusal would repeat): done for now.
        if (p.ran === 0 || p.settled === 0) return;
      }
    },
    get dryRunCalls() {
      return dryRunCalls;
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      if (pass !== null) await pass.catch(() => undefined);
    },
  };
  return worker;
}
