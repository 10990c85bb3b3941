import type { WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { PersonActor } from './ledger-command.js';

/**
 * A pool's open waitlist entries (waiting or offered), first come first served: by join time, then by
 * `joinSeq` within one instant (older ledgers without it keep the order they were recorded; the sort is
 * stable). Entry ids are idempotency keys (Webex ids), so they say nothing about order.
 */
export function waitlistQueue(view: LedgerView, poolId: string): WaitlistEntry[] {
  return Object.values(view.data.waitlist ?? {})
    .filter((e) => e.poolId === poolId && (e.status === 'waiting' || e.status === 'offered'))
    .sort((a, b) => (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : (a.joinSeq ?? 0) - (b.joinSeq ?? 0)));
}

/** The `joinSeq` for a new entry of the pool: one above every entry it ever had. */
export function nextJoinSeq(view: LedgerView, poolId: string): number {
  let top = 0;
  for (const e of Object.values(view.data.waitlist ?? {})) if (e.poolId === poolId && (e.joinSeq ?? 0) > top) top = e.joinSeq ?? 0;
  return top + 1;
}

/** The actor's open entry in a pool's waitlist, if any. */
export function ownWaitlistEntry(view: LedgerView, poolId: string, actor: PersonActor): WaitlistEntry | undefined {
  const email = actor.email.toLowerCase();
  return waitlistQueue(view, poolId).find((e) => e.person.id === actor.personId || e.person.email === email);
}
