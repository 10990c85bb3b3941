import type { PoolPolicy } from './ledger.js';

/** A pool's policy in words: "approval auto (at most 3 a day), alert at 1 free, reclaim off". */
export function describePolicy(policy: PoolPolicy): string {
  const cap = policy.autoApprovalsPerDay;
  const limit = policy.approval === 'auto' && cap !== undefined && cap !== null ? ` (at most ${cap} a day)` : '';
  return `approval ${policy.approval}${limit}, alert at ${policy.minFreeSeats} free, reclaim ${policy.reclaim ?? 'off'}`;
}
