import type { DriftFinding, DriftKind } from '../../domain/ledger.js';
import { driftHolding } from './drift-holding.js';
import type { PlanContext, WorkingDiff } from './plan-context.js';

/** 'expiry_moved' and 'total_changed' report an event: they stay open this long, then resolve. */
export const DRIFT_EVENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const DRIFT_KINDS: readonly DriftKind[] = ['consumed_mismatch', 'over_allocated', 'expiry_moved', 'total_changed', 'write_back_missing'];

export function planDrift(ctx: PlanContext, diff: WorkingDiff, vendorActive: number, botOnly: number, writtenMissing = 0): void {
  const holds = driftHolding(diff, vendorActive, botOnly, writtenMissing);
  const nowMs = Date.parse(ctx.now);
  for (const kind of DRIFT_KINDS) {
    const id = `${diff.pool.id}:${kind}`;
    const existing = ctx.view.data.drift[id];
    const open = existing !== undefined && existing.resolvedAt === null;
    const h = holds.get(kind);
    const event = kind === 'expiry_moved' || kind === 'total_changed';
    let finding: DriftFinding | undefined;
    if (h !== undefined) {
      if (!open || event) {
        finding = { id, poolId: diff.pool.id, kind, detectedAt: ctx.now, ...h, resolvedAt: null };
        if (open) ctx.counts.driftUpdated++;
        else ctx.counts.driftOpened++;
      } else if (existing.message !== h.message || existing.vendorValue !== h.vendorValue || existing.ledgerValue !== h.ledgerValue) {
        finding = { ...existing, ...h };
        ctx.counts.driftUpdated++;
      }
    } else if (open && (!event || !diff.reported || nowMs - Date.parse(existing.detectedAt) >= DRIFT_EVENT_TTL_MS)) {
      finding = { ...existing, resolvedAt: ctx.now };
      ctx.counts.driftResolved++;
    }
    if (finding !== undefined) ctx.put({ type: 'drift.put', finding });
    if (finding ? finding.resolvedAt === null : open) {
      diff.drift.push(kind);
      ctx.counts.driftOpen++;
    }
  }
}
