import type { WaitlistEntry } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { PersonActor } from './ledger-command.js';

/** A pool's open waitlist entries (waiting or offered), first come first served. */
export function waitlistQueue(view: LedgerView, poolId: string): WaitlistEntry[] {
  return Object.values(view.data.waitlist ?? {})
    .filter((e) => e.poolId === poolId && (e.status === 'waiting' || e.status === 'offered'))
    .sort((a, b) => (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The actor's open entry in a pool's waitlist, if any. */
export function ownWaitlistEntry(view: LedgerView, poolId: string, actor: PersonActor): WaitlistEntry | undefined {
  const email = actor.email.toLowerCase();
  return waitlistQueue(view, poolId).find((e) => e.person.id === actor.personId || e.person.email === email);
}
