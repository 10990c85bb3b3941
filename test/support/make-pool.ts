import { DEFAULT_POLICY, poolId, type LicensePool, type Vendor } from '../../src/domain/ledger.js';

/** A realistic pool for tests; override what the test is about. */
export function makePool(over: Partial<LicensePool> & { externalId: string }, vendor: Vendor = 'cpod'): LicensePool {
  const base: LicensePool = {
    id: poolId(vendor, 'default', over.externalId),
    vendor,
    connectionId: 'default',
    externalId: over.externalId,
    sourceKind: 'cpod.software_license',
    productName: over.externalId,
    sku: null,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: 10,
    consumedSeats: 0,
    vendorAvailableSeats: null,
    startDate: null,
    expiryDate: null,
    renewalDate: null,
    autoRenew: null,
    state: 'active',
    vendorState: null,
    compliance: 'ok',
    subscriptionRef: null,
    scope: {},
    metered: true,
    retired: false,
    retiredAt: null,
    policy: { ...DEFAULT_POLICY },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    syncedAt: null,
  };
  return { ...base, ...over, id: over.id ?? poolId(over.vendor ?? vendor, over.connectionId ?? 'default', over.externalId) };
}
