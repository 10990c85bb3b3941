import { WRITABLE_VENDORS, type Change, type Iso, type ProvisionIntent, type ProvisionOp, type SeatAssignment } from './ledger.js';
import type { LedgerView } from './ledger-view.js';

/** The id of a seat's n-th provisioning intent (1-based). */
export const provisionIntentId = (assignmentId: string, n: number): string => `${assignmentId}#p${n}`;

/**
 * The write-back hook of executeLedgerCommand: for every seat in `changes` that became active (approve, grant,
 * auto-approve, claim, restore) or stopped being active (release, revoke, expire, reclaim) in a pool whose policy
 * has `writeBack` on and whose vendor is writable, one queued provisioning intent, to be committed in the same
 * change list. Never a removal for a seat the bot did not assign: vendor-held seats (origin 'vendor') get none,
 * and a bot seat gets a removal only after an assignment intent that was not refused or cancelled.
 */
export function queueProvisions(view: LedgerView, changes: readonly Change[], now: Iso): Change[] {
  const last = new Map<string, SeatAssignment>();
  for (const c of changes) if (c.type === 'assignment.put') last.set(c.assignment.id, c.assignment);
  const out: Change[] = [];
  let seq = view.provisionCount();
  for (const after of last.values()) {
    const op = provisionOpFor(view.assignment(after.id), after);
    if (op === null || after.origin !== 'ledger') continue;
    const pool = view.pool(after.poolId);
    if (!pool || pool.policy.writeBack !== true || !WRITABLE_VENDORS.includes(pool.vendor)) continue;
    const history = view.provisionsOf(after.id);
    if (op === 'remove') {
      const lastAdd = history.findLast((i) => i.op === 'add');
      if (!lastAdd || lastAdd.status === 'refused' || lastAdd.status === 'cancelled') continue;
    }
    const intent: ProvisionIntent = {
      id: provisionIntentId(after.id, history.length + 1),
      assignmentId: after.id,
      poolId: pool.id,
      vendor: pool.vendor,
      op,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: null,
      reason: null,
      createdAt: now,
      updatedAt: now,
      seq: seq++,
    };
    out.push({ type: 'provision.put', intent });
  }
  return out;
}

function provisionOpFor(before: SeatAssignment | undefined, after: SeatAssignment): ProvisionOp | null {
  const was = before?.status === 'active';
  const is = after.status === 'active';
  if (was === is) return null;
  return is ? 'add' : 'remove';
}
