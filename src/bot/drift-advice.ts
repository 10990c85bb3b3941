import type { DriftKind } from '../domain/ledger.js';

/** What an admin should do about each kind of drift between a vendor and the ledger: one sentence each. */
export const DRIFT_ADVICE: Readonly<Record<DriftKind, string>> = {
  consumed_mismatch:
    'Compare "who has" with the assignments at the vendor and release or revoke the seats nobody uses any more.',
  over_allocated: 'More seats are in use than were bought: revoke unused seats or buy more at the vendor.',
  expiry_moved: 'Check the new end date at the vendor and tell the holders if their access now ends sooner.',
  total_changed: 'Confirm the new seat count with whoever buys this license; requests are now decided against it.',
  write_back_missing:
    'Someone removed licenses the bot assigned: check the vendor\'s admin console, then release those seats here or assign them again there.',
};
