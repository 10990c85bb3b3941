import { DEFAULT_POLICY, type LicensePool } from '../../domain/ledger.js';
import type { VendorPool } from '../../domain/vendor-snapshot.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';
import { sameValue } from './same-value.js';

const SYNCED_FIELDS = [
  'sourceKind', 'productName', 'sku', 'licenseModel', 'unit', 'totalSeats', 'consumedSeats', 'vendorAvailableSeats',
  'startDate', 'expiryDate', 'renewalDate', 'autoRenew', 'state', 'vendorState', 'compliance', 'subscriptionRef',
  'scope', 'metered',
] as const;
type SyncedPool = Pick<LicensePool, (typeof SYNCED_FIELDS)[number] | 'seatPrice'>;

function syncedFields(vp: VendorPool): SyncedPool {
  return {
    sourceKind: vp.sourceKind, productName: vp.productName, sku: vp.sku, licenseModel: vp.licenseModel, unit: vp.unit,
    totalSeats: vp.totalSeats, consumedSeats: vp.consumedSeats, vendorAvailableSeats: vp.availableSeats,
    startDate: vp.startDate, expiryDate: vp.expiryDate, renewalDate: vp.renewalDate, autoRenew: vp.autoRenew,
    state: vp.state, vendorState: vp.vendorState, compliance: vp.compliance, subscriptionRef: vp.subscriptionRef,
    scope: { ...vp.scope }, metered: vp.metered,
    ...(vp.seatPrice === undefined ? {} : { seatPrice: vp.seatPrice }),
  };
}

export function planPool(ctx: PlanContext, id: string, vp: VendorPool): WorkingDiff {
  const { now, snapshot } = ctx;
  const synced = syncedFields(vp);
  const existing = ctx.view.pool(id);
  if (existing === undefined) {
    const pool: LicensePool = {
      id, vendor: snapshot.vendor, connectionId: snapshot.connectionId, externalId: vp.externalId, ...synced,
      retired: false, retiredAt: null, policy: { ...DEFAULT_POLICY }, createdAt: now, updatedAt: now, syncedAt: now,
    };
    ctx.counts.poolsAdded++;
    ctx.put({ type: 'pool.put', pool });
    ctx.audit('pool.created', id, null, null, synced);
    const d = ctx.diff(pool, 'add', undefined, true);
    d.fields = [...SYNCED_FIELDS];
    return d;
  }
  const fields: string[] = SYNCED_FIELDS.filter((f) => !sameValue(existing[f], synced[f]));
  if (vp.seatPrice !== undefined && !sameValue(existing.seatPrice ?? null, vp.seatPrice)) fields.push('seatPrice');
  if (existing.retired) fields.push('retired');
  if (fields.length === 0) return ctx.diff(existing, 'none', existing, true);
  const pool: LicensePool = { ...existing, ...synced, retired: false, retiredAt: null, updatedAt: now, syncedAt: now };
  ctx.counts.poolsUpdated++;
  if (existing.retired) ctx.counts.poolsRestored++;
  ctx.put({ type: 'pool.put', pool });
  const pick = (p: LicensePool): Record<string, unknown> =>
    Object.fromEntries(fields.map((f) => [f, f === 'retired' ? p.retired : p[f as keyof SyncedPool]]));
  ctx.audit('pool.updated', id, null, pick(existing), pick(pool), existing.retired ? 'reported again by the vendor' : null);
  const d = ctx.diff(pool, existing.retired ? 'restore' : 'update', existing, true);
  d.fields = fields;
  return d;
}
