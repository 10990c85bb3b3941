import { poolId as makePoolId, type Iso, type LicensePool } from '../../domain/ledger.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import type { VendorSnapshot } from '../../domain/vendor-snapshot.js';
import { groupAssignments } from './group-assignments.js';
import { PlanContext } from './plan-context.js';
import { planPool } from './plan-pool.js';
import { planSeats } from './plan-seats.js';
import type { SyncPlan } from './sync-plan-types.js';

/**
 * Diffs one vendor snapshot against the ledger's pools and seats of the same vendor connection. Pure and
 * deterministic: the same view, snapshot and `now` give the same plan, and planning against the result of
 * applying a plan gives an empty one. Pools are retired, never deleted; bot-granted seats are never ended.
 */
export function planSync(view: LedgerView, snapshot: VendorSnapshot, now: Iso): SyncPlan {
  const ctx = new PlanContext(view, snapshot, now);
  const byPool = groupAssignments(snapshot, ctx);
  const reported = new Set<string>();
  for (const vp of snapshot.pools) {
    const id = makePoolId(snapshot.vendor, snapshot.connectionId, vp.externalId);
    reported.add(id);
    const diff = planPool(ctx, id, vp);
    planSeats(ctx, diff, byPool.get(vp.externalId) ?? []);
  }
  for (const pool of view.pools()) {
    if (pool.vendor !== snapshot.vendor || pool.connectionId !== snapshot.connectionId || reported.has(pool.id)) continue;
    const diff = ctx.diff(pool, 'none');
    if (!pool.retired) {
      const after: LicensePool = { ...pool, retired: true, retiredAt: now, updatedAt: now };
      diff.action = 'retire';
      ctx.counts.poolsRetired++;
      ctx.put({ type: 'pool.put', pool: after });
      ctx.audit('pool.retired', pool.id, null, { retired: false, retiredAt: pool.retiredAt }, { retired: true, retiredAt: now }, 'no longer reported by the vendor');
      diff.pool = after;
    }
    planSeats(ctx, diff, []);
  }
  return ctx.finish();
}
