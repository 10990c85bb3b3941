import type { Iso, ProvisionIntent } from '../domain/ledger.js';
import { assigneeKey, compareProvisions, type LedgerView } from '../domain/ledger-view.js';
import { REMOVAL_HOLD } from './removal-brake.js';

/** What the worker may run now, and when the next backed-off intent is due. */
export interface DueIntents {
  run: ProvisionIntent[];
  /** Queued intents waiting for their backoff time. */
  waiting: number;
  nextAt: Iso | null;
}

/**
 * The intents to carry out now: per person and license (not per seat: a revoked seat's removal and the same
 * person's next seat's assignment touch one vendor holding), only the oldest open one, and only when it is
 * queued, due, not held (vendor pause, removal brake) and not already running.
 */
export function dueIntents(view: LedgerView, now: Iso, running: ReadonlySet<string> = new Set()): DueIntents {
  const holds = new Set(view.provisionHolds().map((h) => h.id));
  const firstBySubject = new Map<string, ProvisionIntent>();
  for (const i of view.openProvisions()) {
    const seat = view.assignment(i.assignmentId);
    const subject = `${i.poolId}\u0000${seat ? assigneeKey(seat.assignee) : i.assignmentId}`;
    const first = firstBySubject.get(subject);
    if (first === undefined || compareProvisions(i, first) < 0) firstBySubject.set(subject, i);
  }
  const run: ProvisionIntent[] = [];
  let waiting = 0;
  let nextAt: Iso | null = null;
  for (const first of firstBySubject.values()) {
    if (first.status !== 'queued' || running.has(first.id)) continue;
    if (holds.has(first.vendor) || (first.op === 'remove' && holds.has(REMOVAL_HOLD))) continue;
    if (first.nextAttemptAt !== null && first.nextAttemptAt > now) {
      waiting++;
      if (nextAt === null || first.nextAttemptAt < nextAt) nextAt = first.nextAttemptAt;
      continue;
    }
    run.push(first);
  }
  run.sort(compareProvisions);
  return { run, waiting, nextAt };
}
