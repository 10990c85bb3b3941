import type { Vendor } from './ledger.js';
import { ownEntry } from './own-entry.js';

const LABELS: Record<Vendor, string> = {
  webex: 'Webex',
  meraki: 'Meraki',
  zoho_crm: 'Zoho CRM',
  cpod: 'cPod',
};

/** Display name of a vendor (safe text: no escaping needed). */
export function vendorLabel(vendor: Vendor): string {
  return ownEntry(LABELS, vendor) ?? 'Unknown vendor';
}
