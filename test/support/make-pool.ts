import type { LicensePool, Vendor } from '../../src/domain/ledger.js';
import { aPool } from './ledger-builders.js';

/** A pool of the 'default' connection for bot and ledger tests (named after its externalId); override what the test is about. */
export function makePool(over: Partial<LicensePool> & { externalId: string }, vendor: Vendor = 'cpod'): LicensePool {
  return aPool({
    vendor,
    connectionId: 'default',
    sourceKind: 'cpod.software_license',
    productName: over.externalId,
    vendorAvailableSeats: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    syncedAt: null,
    ...over,
  });
}
