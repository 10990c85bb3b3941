import type { AuditAction, Iso } from './ledger.js';
import type { LedgerView } from './ledger-view.js';

/** Audit actions that are bookkeeping, not changes people care about in a digest. */
const NOT_CHANGES: ReadonlySet<AuditAction> = new Set<AuditAction>(['notice.sent', 'notice.rearmed', 'attempt.refused']);

/**
 * What changed after `since` and up to `now` (the audit log), counted per action in the order first seen;
 * `since` null (no earlier digest in the space) = nothing to compare with, so an empty list.
 */
export function changesSince(view: LedgerView, since: Iso | null, now: Iso): { action: AuditAction; count: number }[] {
  if (since === null) return [];
  const counts = new Map<AuditAction, number>();
  for (const e of view.data.audit) {
    if (e.at <= since || e.at > now || NOT_CHANGES.has(e.action)) continue;
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  }
  return [...counts].map(([action, count]) => ({ action, count }));
}
