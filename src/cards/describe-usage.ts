import type { Vendor } from '../domain/ledger.js';
import type { PoolUsage } from '../domain/ledger-view.js';
import { vendorLabel } from '../domain/vendor-label.js';
import { countOf } from './count-of.js';

export interface UsageText {
  /** "3 of 10 free", "unlimited" or "not metered by the vendor". */
  availability: string;
  /** "2 pending", or with invitations at the vendor "2 pending: 1 request, 1 invitation at Zoho CRM". */
  pending: string;
  /** What the pending count is made of when it includes invitations ("1 request, 1 invitation at Zoho CRM"), else "". */
  pendingParts: string;
  /** "7 used · 2 pending…". */
  counts: string;
}

/**
 * The one wording of a pool's numbers, from the ledger's usage (the same numbers the ledger enforces).
 * Whenever the pending count includes invitations pending at the vendor, it says so.
 */
export function describeUsage(usage: PoolUsage, vendor: Vendor): UsageText {
  const pendingParts =
    usage.pendingInvitations === 0
      ? ''
      : [
          ...(usage.pendingRequests > 0 ? [countOf(usage.pendingRequests, 'request')] : []),
          `${countOf(usage.pendingInvitations, 'invitation')} at ${vendorLabel(vendor)}`,
        ].join(', ');
  const pending = `${usage.pending} pending${pendingParts ? `: ${pendingParts}` : ''}`;
  const availability =
    usage.total === null || usage.available === null
      ? usage.metered
        ? 'unlimited'
        : 'not metered by the vendor'
      : `${usage.available} of ${usage.total} free`;
  return { availability, pending, pendingParts, counts: `${usage.used} used · ${pending}` };
}
