import { z } from 'zod';

/** Response shapes of the cPod list calls (vendor-apis.md 4): tolerant, extra fields stripped. */

/** A list page: a bare array, or an envelope object (see list-cpod-records.ts for the shapes accepted). */
export const CpodListPage = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);
export type CpodListPage = z.infer<typeof CpodListPage>;

/** Just enough of any record to tell a soft-deleted one apart and to name it in an error. */
export const CpodSoftDeleted = z.object({
  id: z.string().min(1),
  is_deleted: z.boolean().nullish(),
  tenant_id: z.string().nullish(),
});

const text = z.string().nullish();
const seats = z.number().nonnegative().nullish();

export const CpodLicenseRecord = z.object({
  id: z.string().min(1),
  tenant_id: text,
  product_name: z.string().min(1),
  product_sku: text,
  vendor: text,
  license_type: z.string().min(1),
  total_seats: seats,
  used_seats: seats,
  available_seats: z.number().nullish(),
  purchase_date: text,
  expiry_date: text,
  renewal_date: text,
  auto_renew: z.boolean().nullish(),
  contract_reference: text,
  status: text,
  compliance_status: text,
  list_price: z.number().nonnegative().nullish(),
  negotiated_discount: z.number().min(0).max(100).nullish(),
  /** Shape not documented; the seed sends `{ currency, amount }` (the whole license's price). */
  cost: z.unknown().optional(),
});
export type CpodLicenseRecord = z.infer<typeof CpodLicenseRecord>;

export const CpodAssignmentRecord = z.object({
  id: z.string().min(1),
  tenant_id: text,
  license_id: z.string().min(1),
  assignee_id: z.string().min(1),
  assignee_type: z.string().min(1),
  /** Not in the documented fields; used when a server sends it. */
  assignee_email: text,
  assignee_name: text,
  assigned_at: text,
  expires_at: text,
  last_used_at: text,
  status: text,
});
export type CpodAssignmentRecord = z.infer<typeof CpodAssignmentRecord>;
