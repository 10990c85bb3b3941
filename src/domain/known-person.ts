import type { Assignee } from './ledger.js';
import type { LedgerView } from './ledger-view.js';

export interface KnownPerson {
  name: string | null;
  email: string | null;
}

const filled = (s: string | null | undefined): string | null => (s?.trim() ? s.trim() : null);

/**
 * The name and email the ledger knows for someone: their own on this record, else those on another seat of
 * the same person. A cPod holder arrives with only cPod's person id, a granted seat with only an email; the
 * same person's other seats (a request they made in chat, a synced seat with a name) may know the rest.
 */
export function knownPerson(view: LedgerView, who: Pick<Assignee, 'id' | 'email' | 'name'>): KnownPerson {
  let name = filled(who.name);
  let email = filled(who.email)?.toLowerCase() ?? null;
  if (name !== null && email !== null) return { name, email };
  const fill = (seats: readonly { assignee: Assignee }[]): void => {
    for (const s of seats) {
      name ??= filled(s.assignee.name);
      email ??= filled(s.assignee.email)?.toLowerCase() ?? null;
      if (name !== null && email !== null) return;
    }
  };
  fill(view.assignmentsOfPerson({ id: who.id, email }));
  // An email found through the id may lead to a name on a seat keyed by email only.
  if (name === null && email !== null) fill(view.assignmentsOfPerson({ email }));
  return { name, email };
}

/** "Cy User (cy@example.com)", or whichever part is known; null when neither is. */
export function personLine(p: KnownPerson): string | null {
  if (p.name !== null && p.email !== null) return `${p.name} (${p.email})`;
  return p.name ?? p.email;
}
