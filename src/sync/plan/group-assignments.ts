import type { VendorAssignment, VendorSnapshot } from '../../domain/vendor-snapshot.js';
import { VendorApiError } from '../../errors.js';
import type { PlanContext } from './plan-context.js';

export function groupAssignments(snapshot: VendorSnapshot, ctx: PlanContext): Map<string, VendorAssignment[]> {
  const byPool = new Map<string, VendorAssignment[]>();
  for (const vp of snapshot.pools) {
    if (byPool.has(vp.externalId)) {
      throw new VendorApiError(snapshot.vendor, 'VENDOR_SNAPSHOT_INVALID', `pool ${vp.externalId} is reported twice`);
    }
    byPool.set(vp.externalId, []);
  }
  const seen = new Set<string>();
  for (const va of snapshot.assignments) {
    const list = byPool.get(va.poolExternalId);
    const key = `${va.poolExternalId}\u0000${va.externalId}`;
    if (list === undefined || seen.has(key)) {
      ctx.counts.seatsIgnored++;
      continue;
    }
    seen.add(key);
    list.push(va);
  }
  return byPool;
}
