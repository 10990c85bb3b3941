import { WRITABLE_VENDORS, type PoolPolicy, type Vendor } from './ledger.js';

/** A pool's policy in words: "approval auto (at most 3 a day), alert at 1 free, reclaim off". */
export function describePolicy(policy: PoolPolicy, vendor?: Vendor): string {
  const cap = policy.autoApprovalsPerDay;
  const limit = policy.approval === 'auto' && cap !== undefined && cap !== null ? ` (at most ${cap} a day)` : '';
  const writeBack = vendor === undefined ? '' : WRITABLE_VENDORS.includes(vendor) ? `, write-back ${policy.writeBack === true ? 'on' : 'off'}` : ', write-back not available (read-only vendor)';
  return `approval ${policy.approval}${limit}, alert at ${policy.minFreeSeats} free, reclaim ${policy.reclaim ?? 'off'}${writeBack}`;
}
