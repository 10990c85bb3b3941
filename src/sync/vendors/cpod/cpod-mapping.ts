import { VendorApiError } from '../../../errors.js';
import type { AssigneeKind, Compliance, LicenseModel, PoolState, SeatUnit } from '../../../domain/ledger.js';
import type { VendorAssignment, VendorPool } from '../../../domain/vendor-snapshot.js';
import type { CpodAssignmentRecord, CpodLicenseRecord } from './cpod-schemas.js';
import { parseVendorTime } from '../parse-vendor-time.js';
import { cpodSeatPrice } from './cpod-seat-price.js';

const LICENSE_MODELS: Record<string, { model: LicenseModel; unit: SeatUnit }> = {
  named_user: { model: 'named_user', unit: 'user' },
  concurrent: { model: 'concurrent', unit: 'seat' },
  site: { model: 'site', unit: 'seat' },
};
const STATES: Record<string, PoolState> = {
  active: 'active',
  expiring_soon: 'expiring',
  expiring: 'expiring',
  expired: 'expired',
  inactive: 'inactive',
  suspended: 'inactive',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  pending: 'queued',
  queued: 'queued',
  unused: 'unused',
};
const COMPLIANCE: Record<string, Compliance> = {
  ok: 'ok',
  compliant: 'ok',
  in_compliance: 'ok',
  over_allocated: 'over_allocated',
  under_utilized: 'under_utilized',
  under_utilised: 'under_utilized',
};
const ACTIVE_ASSIGNMENT = new Set(['', 'active', 'assigned', 'in_use']);
const PENDING_ASSIGNMENT = new Set(['pending', 'invited', 'requested', 'reserved']);
const ASSIGNEE_KINDS: Record<string, AssigneeKind> = {
  person: 'user',
  user: 'user',
  group: 'group',
  team: 'group',
};

const key = (v: string | null | undefined): string =>
  (v ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');


function schemaError(message: string): VendorApiError {
  return new VendorApiError('cpod', 'VENDOR_SCHEMA', message);
}

/** Pure: one live cPod SoftwareLicense as a pool (vendor-apis.md 8, cPod). */
export function mapCpodPool(r: CpodLicenseRecord): VendorPool {
  const model = LICENSE_MODELS[key(r.license_type)];
  if (model === undefined)
    throw schemaError(`license ${r.id} has an unknown license_type "${r.license_type.slice(0, 40)}"`);
  const total = r.total_seats ?? null;
  const used = r.used_seats ?? null;
  const compliance =
    COMPLIANCE[key(r.compliance_status)] ??
    (total !== null && used !== null && used > total ? 'over_allocated' : 'unknown');
  return {
    externalId: r.id,
    sourceKind: 'cpod.software_license',
    productName: r.product_name,
    sku: r.product_sku ?? null,
    licenseModel: model.model,
    unit: model.unit,
    totalSeats: total,
    consumedSeats: used,
    availableSeats: total === null ? null : (r.available_seats ?? null),
    startDate: parseVendorTime(r.purchase_date),
    expiryDate: parseVendorTime(r.expiry_date),
    renewalDate: parseVendorTime(r.renewal_date),
    autoRenew: r.auto_renew ?? null,
    state: STATES[key(r.status)] ?? 'unknown',
    vendorState: r.status ?? null,
    compliance,
    subscriptionRef: r.contract_reference ?? null,
    scope: {},
    metered: true,
    seatPrice: cpodSeatPrice(r),
  };
}

/** Pure: a LicenseAssignment as a held seat, or null when its status holds none (revoked, expired, …). */
export function mapCpodAssignment(r: CpodAssignmentRecord): VendorAssignment | null {
  const status = key(r.status);
  const held = ACTIVE_ASSIGNMENT.has(status) ? 'active' : PENDING_ASSIGNMENT.has(status) ? 'pending' : null;
  if (held === null) return null;
  const kind = ASSIGNEE_KINDS[key(r.assignee_type)];
  if (kind === undefined)
    throw schemaError(`assignment ${r.id} has an unknown assignee_type "${r.assignee_type.slice(0, 40)}"`);
  const email = r.assignee_email?.trim().toLowerCase();
  return {
    poolExternalId: r.license_id,
    externalId: r.id,
    assignee: {
      kind,
      id: r.assignee_id,
      email: email === undefined || email === '' ? null : email,
      name: r.assignee_name ?? null,
    },
    seats: 1,
    status: held,
    assignedAt: parseVendorTime(r.assigned_at),
    expiresAt: parseVendorTime(r.expires_at),
    lastUsedAt: parseVendorTime(r.last_used_at),
    external: null,
  };
}
