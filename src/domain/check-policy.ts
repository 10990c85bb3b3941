import { APPROVAL_MODES, MAX_POLICY_COUNT, RECLAIM_MODES, type PoolPolicy } from './ledger.js';

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= MAX_POLICY_COUNT;

/** Why a policy change is invalid, in words, or null when every value given is allowed. */
export function checkPolicy(policy: Partial<PoolPolicy>): string | null {
  if (policy.approval !== undefined && !APPROVAL_MODES.includes(policy.approval)) return 'Approval must be auto or required.';
  if (policy.minFreeSeats !== undefined && !isCount(policy.minFreeSeats)) {
    return `The minimum free seats must be a whole number from 0 to ${MAX_POLICY_COUNT}.`;
  }
  if (policy.reclaim !== undefined && !RECLAIM_MODES.includes(policy.reclaim)) return 'Reclaim must be off, ask or auto.';
  if (policy.writeBack !== undefined && typeof policy.writeBack !== 'boolean') return 'Write-back must be on or off.';
  const cap = policy.autoApprovalsPerDay;
  if (cap !== undefined && cap !== null && !isCount(cap)) {
    return `The daily auto-approval limit must be a whole number from 0 to ${MAX_POLICY_COUNT}, or off.`;
  }
  return null;
}
