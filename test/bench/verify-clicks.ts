// After a run (the bot stopped and its ledger flushed): every Request click applied exactly once, from the ledger
// itself. A click is lost when its attachment-action id has no successful idempotency record or its person holds
// no pending seat in that pool; applied twice when the person holds more than one.
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { benchPool } from '../support/bench-ledger.js';
import type { Click } from './click-driver.js';

export interface ClickAudit {
  clicks: number;
  applied: number;
  lost: number;
  appliedTwice: number;
  /** Pending bot-made seats of the people who clicked, whatever the pool: must equal `clicks`. */
  pendingSeats: number;
  /** Answers that were not the expected "waiting for an admin" (errors, refusals). */
  unexpectedAnswers: number;
  ok: boolean;
}

export async function verifyClicks(dataDir: string, clicks: readonly Click[]): Promise<ClickAudit> {
  const store = await openLowdbSeatStore({ dir: dataDir });
  try {
    const view = store.read();
    let applied = 0;
    let lost = 0;
    let appliedTwice = 0;
    const people = new Set<string>();
    for (const c of clicks) {
      people.add(c.person.email);
      const record = view.idempotency(c.actionId);
      const seats = view
        .assignmentsOfPerson({ email: c.person.email })
        .filter((a) => a.poolId === benchPool(c.round).id && a.status === 'pending');
      if (record === undefined || !record.outcome.ok || seats.length === 0) lost += 1;
      else if (seats.length > 1) appliedTwice += 1;
      else applied += 1;
    }
    let pendingSeats = 0;
    for (const email of people) {
      pendingSeats += view.assignmentsOfPerson({ email }).filter((a) => a.status === 'pending' && a.origin === 'ledger').length;
    }
    const unexpectedAnswers = clicks.filter((c) => !c.expected).length;
    return {
      clicks: clicks.length,
      applied,
      lost,
      appliedTwice,
      pendingSeats,
      unexpectedAnswers,
      ok: lost === 0 && appliedTwice === 0 && pendingSeats === clicks.length && unexpectedAnswers === 0,
    };
  } finally {
    await store.close();
  }
}
