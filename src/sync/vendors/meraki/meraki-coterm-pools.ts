import { VendorApiError } from '../../../errors.js';
import type { PoolState } from '../../../domain/ledger.js';
import type { VendorPool } from '../../../domain/vendor-snapshot.js';
import type { MerakiCotermOverview } from './meraki-schemas.js';
import { parseMerakiDate } from './parse-meraki-date.js';

const DAY_MS = 86_400_000;

/** 'expired' past the date, 'expiring' within 90 days of it, else 'active'. */
export function stateByExpiry(expiry: string | null, nowMs: number): PoolState {
  if (expiry === null) return 'active';
  const at = Date.parse(expiry);
  if (at <= nowMs) return 'expired';
  return at - nowMs <= 90 * DAY_MS ? 'expiring' : 'active';
}

/** Co-term: one pool per licensed model; consumption needs the device inventory, so it is unknown. */
export function toMerakiCotermPools(orgId: string, overview: MerakiCotermOverview, nowMs: number): VendorPool[] {
  const expiry = parseMerakiDate(overview.expirationDate);
  if (expiry === null) {
    throw new VendorApiError('meraki', 'VENDOR_SCHEMA', `co-term overview expirationDate "${overview.expirationDate.slice(0, 40)}" is not a date`);
  }
  const state = stateByExpiry(expiry, nowMs);
  const status = overview.status ?? null;
  return Object.entries(overview.licensedDeviceCounts).map(([model, count]) => ({
    externalId: `${orgId}:coterm:${model}`,
    sourceKind: 'meraki.coterm_model',
    productName: model,
    sku: model,
    licenseModel: 'device',
    unit: 'device',
    totalSeats: count,
    consumedSeats: null,
    availableSeats: null,
    startDate: null,
    expiryDate: expiry,
    renewalDate: null,
    autoRenew: null,
    state,
    vendorState: status,
    compliance: status === 'OK' ? 'ok' : 'unknown',
    subscriptionRef: null,
    scope: {},
    metered: true,
  }));
}
