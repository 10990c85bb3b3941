import type { ProvisionIntent } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import { vendorLabel } from './vendor-label.js';

/** A seat's state at the vendor as cards and messages show it, from its latest provisioning intent. */
export interface ProvisionState {
  intentId: string;
  /** e.g. "assigning in Webex…", "assigned in Webex ✓", "Webex refused: …" (plain text, not yet escaped). */
  text: string;
  /** Admins may Retry or Cancel (refused or paused). */
  actionable: boolean;
  /** The license is really the holder's now (assigned, not pending acceptance). */
  assigned: boolean;
}

/** The seat's latest provisioning as words, or null when write-back never touched it. */
export function provisionState(view: LedgerView, assignmentId: string): ProvisionState | null {
  const latest = view.provisionsOf(assignmentId).at(-1);
  if (!latest) return null;
  const held = view.provisionHolds().find((h) => h.id === latest.vendor || (h.id === 'removals' && latest.op === 'remove'));
  return { intentId: latest.id, text: describeProvision(latest, latest.status === 'queued' ? (held?.reason ?? null) : null), actionable: latest.status === 'refused' || latest.status === 'paused', assigned: latest.op === 'add' && latest.status === 'done' };
}

/** One intent in words; `heldBy` names a hold that keeps a queued intent waiting. */
export function describeProvision(i: ProvisionIntent, heldBy: string | null = null): string {
  const at = vendorLabel(i.vendor);
  const why = i.reason === null ? '' : `: ${i.reason}`;
  if (heldBy !== null || i.status === 'paused') return `write-back to ${at} paused${heldBy !== null ? `: ${heldBy}` : why}`;
  if (i.op === 'add') {
    switch (i.status) {
      case 'queued':
        return `assigning in ${at}…`;
      case 'done':
        return `assigned in ${at} ✓`;
      case 'pending_acceptance':
        return `pending the user's acceptance in ${at}`;
      case 'refused':
        return `${at} refused${why}`;
      case 'cancelled':
        return `assignment in ${at} cancelled`;
    }
  }
  switch (i.status) {
    case 'queued':
      return `removing in ${at}…`;
    case 'done':
    case 'pending_acceptance':
      return `removed in ${at} ✓`;
    case 'refused':
      return `${at} refused the removal${why}`;
    case 'cancelled':
      return `removal in ${at} cancelled`;
  }
}
