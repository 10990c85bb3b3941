// Realistic ledger records for store tests, the crash writer and the benchmark (~330-byte seats).
import {
  DEFAULT_POLICY,
  emptyLedger,
  type AuditEvent,
  type Change,
  type IdempotencyRecord,
  type LedgerData,
  type LicensePool,
  type SeatAssignment,
} from '../../src/domain/ledger.js';

const AT = '2025-03-01T09:00:00.000Z';

export function makePool(n: number): LicensePool {
  return {
    id: `webex:org-1:lic-${n}`,
    vendor: 'webex',
    connectionId: 'org-1',
    externalId: `lic-${n}`,
    sourceKind: 'webex.license',
    productName: `Meeting - Webex Enterprise ${n}`,
    sku: `MS-${n}`,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: 1_000_000,
    consumedSeats: 0,
    vendorAvailableSeats: null,
    startDate: AT,
    expiryDate: null,
    renewalDate: null,
    autoRenew: true,
    state: 'active',
    vendorState: 'ACTIVE',
    compliance: 'ok',
    subscriptionRef: `sub-${n}`,
    scope: {},
    metered: true,
    retired: false,
    retiredAt: null,
    policy: DEFAULT_POLICY,
    createdAt: AT,
    updatedAt: AT,
    syncedAt: AT,
  };
}

export function makeAssignment(n: number, status: SeatAssignment['status'] = 'active', pools = 4): SeatAssignment {
  const email = `user${n}@example.com`;
  return {
    id: `seat-${n}`,
    poolId: makePool(n % pools).id,
    assignee: { kind: 'user', id: `person-${n}`, email, name: `User ${n}` },
    seats: 1,
    status,
    origin: 'ledger',
    vendorSeen: false,
    externalId: null,
    source: 'chat',
    reason: null,
    requestedAt: AT,
    requestedBy: { kind: 'person', personId: `person-${n}`, email },
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
    assignedAt: status === 'active' ? AT : null,
    endedAt: null,
    endedBy: null,
    expiresAt: null,
    lastUsedAt: null,
    updatedAt: AT,
  };
}

/** What one seat request writes: the pending seat, its audit event and the idempotency record. */
export function seatRequestChanges(n: number): Change[] {
  const assignment = makeAssignment(n, 'pending');
  const event: AuditEvent = {
    id: `audit-${n}`,
    at: AT,
    actor: { kind: 'person', personId: assignment.assignee.id, email: assignment.assignee.email ?? '' },
    source: 'chat',
    action: 'seat.requested',
    poolId: assignment.poolId,
    assignmentId: assignment.id,
    before: null,
    after: { status: 'pending' },
    idempotencyKey: `req-${n}`,
    note: null,
  };
  const record: IdempotencyRecord = {
    key: `req-${n}`,
    op: 'seat.request',
    at: AT,
    outcome: { ok: true, op: 'seat.request', assignmentId: assignment.id, poolId: assignment.poolId, status: 'pending', message: 'requested' },
  };
  return [
    { type: 'assignment.put', assignment },
    { type: 'audit.add', event },
    { type: 'idempotency.put', record },
  ];
}

/** A seat sync observed at the vendor: what most of a large ledger is made of. */
export function makeSyncedSeat(n: number, pools = 4): SeatAssignment {
  return {
    ...makeAssignment(n, 'active', pools),
    assignee: { kind: 'user', id: `p${n}`, email: `u${n}@example.com`, name: null },
    origin: 'vendor',
    vendorSeen: true,
    externalId: `x${n}`,
    source: 'sync',
    requestedAt: null,
    requestedBy: null,
  };
}

/** A ledger with `pools` pools and `seats` active synced seats numbered from 0. */
export function seedLedger(seats: number, pools = 4): LedgerData {
  const data = emptyLedger();
  for (let p = 0; p < pools; p++) {
    const pool = makePool(p);
    data.pools[pool.id] = pool;
  }
  for (let n = 0; n < seats; n++) {
    const a = makeSyncedSeat(n, pools);
    data.assignments[a.id] = a;
  }
  return data;
}
