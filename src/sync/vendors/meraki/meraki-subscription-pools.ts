import { VendorApiError } from '../../../errors.js';
import type { PoolState } from '../../../domain/ledger.js';
import type { VendorPool } from '../../../domain/vendor-snapshot.js';
import { stateByExpiry } from './meraki-coterm-pools.js';
import type { MerakiSubscription } from './meraki-schemas.js';
import { parseMerakiDate } from './parse-meraki-date.js';

const STATUS: Readonly<Record<string, PoolState>> = { active: 'active', canceled: 'cancelled', expired: 'expired', inactive: 'inactive' };

function isoOrThrow(value: string | null | undefined, subscriptionId: string, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const iso = parseMerakiDate(value);
  if (iso === null) throw new VendorApiError('meraki', 'VENDOR_SCHEMA', `subscription ${subscriptionId} has an unreadable ${field}`);
  return iso;
}

const num = (n: number | null | undefined): number | null => (typeof n === 'number' ? n : null);
const add = (a: number | null, b: number | null): number | null => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

/** Subscription: one pool per entitlement SKU (`${subscriptionId}:${sku}`), seat figures as the vendor gives them. */
export function toMerakiSubscriptionPools(s: MerakiSubscription, nowMs: number): VendorPool[] {
  const start = isoOrThrow(s.startDate, s.subscriptionId, 'startDate');
  const end = isoOrThrow(s.endDate, s.subscriptionId, 'endDate');
  const mapped = s.status === null || s.status === undefined ? 'unknown' : (STATUS[s.status] ?? 'unknown');
  const state = mapped === 'active' ? stateByExpiry(end, nowMs) : mapped;
  const bySku = new Map<string, { limit: number | null; assigned: number | null; available: number | null }>();
  for (const e of s.entitlements ?? []) {
    const prev = bySku.get(e.sku) ?? { limit: null, assigned: null, available: null };
    bySku.set(e.sku, {
      limit: add(prev.limit, num(e.seats?.limit)),
      assigned: add(prev.assigned, num(e.seats?.assigned)),
      available: add(prev.available, num(e.seats?.available)),
    });
  }
  const scope: VendorPool['scope'] = {};
  if (s.productTypes !== null && s.productTypes !== undefined) scope.productTypes = [...s.productTypes];
  return [...bySku].map(([sku, seats]) => ({
    externalId: `${s.subscriptionId}:${sku}`,
    sourceKind: 'meraki.subscription_entitlement',
    productName: s.name ?? sku,
    sku,
    licenseModel: 'org_pool',
    unit: 'seat',
    totalSeats: seats.limit,
    consumedSeats: seats.assigned,
    availableSeats: seats.available,
    startDate: start,
    expiryDate: end,
    renewalDate: null,
    autoRenew: null,
    state,
    vendorState: s.status ?? null,
    compliance: seats.limit === null || seats.assigned === null ? 'unknown' : seats.assigned > seats.limit ? 'over_allocated' : 'ok',
    subscriptionRef: s.webOrderId ?? s.subscriptionId,
    scope: { ...scope },
    metered: true,
  }));
}
