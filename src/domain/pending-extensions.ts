import type { SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';

/** Active seats whose holder asked for more time and waits for an admin, oldest ask first. */
export function pendingExtensions(view: LedgerView): SeatAssignment[] {
  const out: SeatAssignment[] = [];
  for (const p of view.pools())
    for (const a of view.assignmentsOfPool(p.id))
      if (a.status === 'active' && a.extensionRequest) out.push(a);
  return out.sort((a, b) => (a.extensionRequest!.requestedAt < b.extensionRequest!.requestedAt ? -1 : 1));
}
