import { WRITABLE_VENDORS, type LedgerOutcome, type LicensePool, type SpaceSettings } from './ledger.js';
import { vendorLabel } from './vendor-label.js';
import type { LedgerView } from './ledger-view.js';
import { actorRef, type LedgerCommand, type LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { requireAdmin } from './seat-rules.js';
import { ownEntry } from './own-entry.js';
import { nameInText } from './name-in-text.js';
import { checkPolicy } from './check-policy.js';
import { describePolicy } from './describe-policy.js';

type Cmd = Extract<LedgerCommand, { op: 'setPolicy' | 'setDigest' }>;

/** Settings changes: a pool's approval policy (admins) and a space's digest subscription (anyone in it). */
export function configureLedger(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const { now } = req;
  if (cmd.op === 'setDigest') {
    // The schedule only turns a digest off (the bot was removed from the space); only people turn it on.
    if (req.actor.kind !== 'person' && cmd.digest) return refuse(cmd.op, 'LEDGER_INVALID', 'Only people turn the digest on.');
    const before = ownEntry(view.data.spaces, cmd.roomId) ?? null;
    if (before?.digest === cmd.digest) {
      return { ok: true, op: cmd.op, assignmentId: null, poolId: null, status: null, message: `The daily digest is already ${cmd.digest ? 'on' : 'off'} here.` };
    }
    const space: SpaceSettings = { roomId: cmd.roomId, digest: cmd.digest, title: cmd.title ?? before?.title ?? null, updatedAt: now, updatedBy: actorRef(req.actor) };
    draft.changes.push({ type: 'space.put', space });
    draft.audit('space.updated', { poolId: null, assignmentId: null }, before, space, cmd.note ?? null);
    return { ok: true, op: cmd.op, assignmentId: null, poolId: null, status: null, message: `The daily digest is now ${cmd.digest ? 'on' : 'off'} for this space.` };
  }
  const forbidden = requireAdmin(req.actor, 'change the policy of');
  if (forbidden) return { ...forbidden, op: cmd.op };
  const pool = view.pool(cmd.poolId);
  if (!pool) return refuse(cmd.op, 'LEDGER_UNKNOWN_POOL', `No license pool "${cmd.poolId}" is known.`);
  const bad = checkPolicy(cmd.policy);
  if (bad !== null) return refuse(cmd.op, 'LEDGER_INVALID', bad);
  if (cmd.policy.writeBack === true && !WRITABLE_VENDORS.includes(pool.vendor)) {
    return refuse(cmd.op, 'LEDGER_INVALID', `${vendorLabel(pool.vendor)} is read-only for the bot: it cannot assign or remove seats there, so write-back stays off for ${nameInText(pool.productName)}.`);
  }
  const after: LicensePool = { ...pool, policy: { ...pool.policy, ...cmd.policy }, updatedAt: now };
  draft.changes.push({ type: 'pool.put', pool: after });
  draft.audit('pool.policy_changed', { poolId: pool.id, assignmentId: null }, pool.policy, after.policy);
  return { ok: true, op: cmd.op, assignmentId: null, poolId: pool.id, status: null, message: `${nameInText(pool.productName)}: ${describePolicy(after.policy, pool.vendor)}.` };
}
