// Builders for ledger records and vendor snapshots in tests: sensible defaults, override what matters.
import {
  DEFAULT_POLICY,
  emptyLedger,
  poolId,
  type LedgerData,
  type LicensePool,
  type SeatAssignment,
  type Vendor,
} from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import type { VendorAssignment, VendorPool, VendorSnapshot } from '../../src/domain/vendor-snapshot.js';

export const T0 = '2026-03-02T09:00:00.000Z';

/** A vendor-synced pool; id derived from vendor, connectionId and externalId unless given. */
export function aPool(over: Partial<LicensePool> = {}): LicensePool {
  const vendor: Vendor = over.vendor ?? 'webex';
  const connectionId = over.connectionId ?? 'org-1';
  const externalId = over.externalId ?? 'lic-meetings';
  return {
    id: poolId(vendor, connectionId, externalId),
    vendor,
    connectionId,
    externalId,
    sourceKind: 'webex.license',
    productName: 'Webex Meetings',
    sku: null,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: 10,
    consumedSeats: 0,
    vendorAvailableSeats: 10,
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
    createdAt: T0,
    updatedAt: T0,
    syncedAt: T0,
    ...over,
  };
}

/** A seat; by default an active seat granted through the bot to a person. */
export function aSeat(over: Partial<SeatAssignment> & { id: string; poolId: string }): SeatAssignment {
  return {
    assignee: { kind: 'user', id: `person-${over.id}`, email: `${over.id}@example.com`, name: `Person ${over.id}` },
    seats: 1,
    status: 'active',
    origin: 'ledger',
    vendorSeen: false,
    externalId: null,
    source: 'chat',
    reason: null,
    requestedAt: T0,
    requestedBy: null,
    decidedAt: T0,
    decidedBy: null,
    decisionNote: null,
    assignedAt: T0,
    endedAt: null,
    endedBy: null,
    expiresAt: null,
    lastUsedAt: null,
    updatedAt: T0,
    ...over,
  };
}

export function aVendorPool(over: Partial<VendorPool> = {}): VendorPool {
  return {
    externalId: 'lic-meetings',
    sourceKind: 'webex.license',
    productName: 'Webex Meetings',
    sku: null,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: 10,
    consumedSeats: 0,
    availableSeats: 10,
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
    ...over,
  };
}

/** A seat held at the vendor by user `who` (email `${who}@example.com`). */
export function aVendorSeat(who: string, over: Partial<VendorAssignment> = {}): VendorAssignment {
  return {
    poolExternalId: 'lic-meetings',
    externalId: `lic-meetings:${who}`,
    assignee: { kind: 'user', id: `vendor-${who}`, email: `${who}@example.com`, name: `Person ${who}` },
    seats: 1,
    status: 'active',
    assignedAt: null,
    expiresAt: null,
    lastUsedAt: null,
    external: null,
    ...over,
  };
}

export function aSnapshot(over: Partial<VendorSnapshot> = {}): VendorSnapshot {
  return {
    vendor: 'webex',
    connectionId: 'org-1',
    externalOrgId: 'org-1',
    fetchedAt: T0,
    pools: [],
    assignments: [],
    stats: { requests: 1, pages: 1, retries: 0 },
    ...over,
  };
}

/** A Webex-style snapshot of one pool whose consumed count matches the holders listed. */
export function snapshotWithHolders(holders: readonly string[], pool: Partial<VendorPool> = {}): VendorSnapshot {
  const externalId = pool.externalId ?? 'lic-meetings';
  return aSnapshot({
    pools: [aVendorPool({ consumedSeats: holders.length, availableSeats: 10 - holders.length, ...pool })],
    assignments: holders.map((h) => aVendorSeat(h, { poolExternalId: externalId, externalId: `${externalId}:${h}` })),
  });
}

export function ledgerOf(parts: { pools?: readonly LicensePool[]; assignments?: readonly SeatAssignment[] } = {}): LedgerData {
  const data = emptyLedger();
  for (const p of parts.pools ?? []) data.pools[p.id] = p;
  for (const a of parts.assignments ?? []) data.assignments[a.id] = a;
  return data;
}

/** A LedgerView over a fresh deep copy of `data`, so tests can apply changes to it freely. */
export function viewOf(data: LedgerData = emptyLedger()): LedgerIndex {
  return new LedgerIndex(structuredClone(data));
}
