import type { ActorRef, SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { knownPerson, personLine } from './known-person.js';
import { vendorLabel } from './vendor-label.js';

const SYSTEM: Record<Extract<ActorRef, { kind: 'system' }>['name'], string> = {
  schedule: 'the schedule',
  sync: 'a vendor sync',
  policy: 'the license policy',
};

/** Who did it, as people read it: "Cy User (cy@example.com)", "bob@example.com", "the schedule". */
export function actorLine(view: LedgerView, actor: ActorRef | null): string {
  if (actor === null) return 'someone';
  if (actor.kind === 'system') return SYSTEM[actor.name];
  return personLine(knownPerson(view, { id: actor.personId, email: actor.email, name: null })) ?? actor.email;
}

/**
 * What became of a seat, naming whoever did it (the actor of that step, never the one of an earlier step):
 * "approved by Ada Admin (ada@example.com)", "withdrawn by Cy User (cy@example.com)", "revoked by …".
 */
export function seatHistory(view: LedgerView, seat: SeatAssignment): string {
  const at = (): string => vendorLabel(view.pool(seat.poolId)?.vendor ?? 'cpod');
  switch (seat.status) {
    case 'pending':
      return seat.origin === 'vendor' ? `pending at ${at()}` : 'still waiting for an admin';
    case 'active':
      if (seat.origin === 'vendor') return `assigned at ${at()}`;
      if (seat.decidedBy?.kind === 'system') return 'approved automatically';
      return `${seat.requestedBy?.kind === 'person' && seat.decidedBy?.kind === 'person' && seat.requestedBy.personId === seat.decidedBy.personId ? 'granted' : 'approved'} by ${actorLine(view, seat.decidedBy)}`;
    case 'denied':
      return `denied by ${actorLine(view, seat.decidedBy)}`;
    case 'released':
      return `${seat.assignedAt === null ? 'withdrawn' : 'released'} by ${actorLine(view, seat.endedBy)}`;
    case 'revoked':
      return `revoked by ${actorLine(view, seat.endedBy)}`;
    case 'expired':
      return 'ended: its time was up';
  }
}
