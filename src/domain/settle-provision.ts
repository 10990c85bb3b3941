import type { LedgerOutcome, ProvisionHold, ProvisionIntent } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { ownEntry } from './own-entry.js';
import { checkText } from './seat-rules.js';

type Cmd = Extract<LedgerCommand, { op: 'settleProvision' }>;

/**
 * Records what the provisioning worker's vendor call came to. Only the system settles, and only a queued intent
 * (a second settle of the same outcome is refused as LEDGER_WRONG_STATE, so a retried worker changes nothing).
 * Leaving 'queued' is audited as `seat.provisioned`; a requeue for a later attempt is not.
 */
export function settleProvision(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  if (req.actor.kind !== 'system') return refuse(cmd.op, 'LEDGER_FORBIDDEN', 'Only the provisioning worker records vendor outcomes.');
  const before = ownEntry(view.data.provisions ?? {}, cmd.intentId);
  if (!before) return refuse(cmd.op, 'LEDGER_UNKNOWN_SEAT', `No provisioning intent "${cmd.intentId}".`);
  if (before.status !== 'queued') return refuse(cmd.op, 'LEDGER_WRONG_STATE', `Provisioning ${before.id} is already ${before.status}.`);
  const bad = checkText(cmd.reason, 'reason', cmd.op);
  if (bad) return bad;
  const after: ProvisionIntent = {
    ...before,
    status: cmd.status,
    attempts: cmd.attempts,
    nextAttemptAt: cmd.status === 'queued' ? (cmd.nextAttemptAt ?? null) : null,
    reason: cmd.reason ?? null,
    updatedAt: req.now,
    ...(cmd.calledAt === undefined ? {} : { calledAt: cmd.calledAt }),
  };
  draft.changes.push({ type: 'provision.put', intent: after });
  const refs = { poolId: before.poolId, assignmentId: before.assignmentId };
  if (cmd.status !== 'queued') {
    draft.audit('seat.provisioned', refs, { id: before.id, op: before.op, status: before.status }, { id: after.id, op: after.op, status: after.status }, after.reason);
  }
  const existing = cmd.hold ? ownEntry(view.data.provisionHolds ?? {}, cmd.hold.id) : undefined;
  if (cmd.hold && (existing === undefined || (existing.liftedAt !== undefined && existing.liftedAt !== null))) {
    const hold: ProvisionHold = { id: cmd.hold.id, reason: cmd.hold.reason, since: req.now };
    draft.changes.push({ type: 'provisionHold.put', hold });
    draft.audit('provisioning.held', refs, null, hold, hold.reason);
  }
  return { ok: true, op: cmd.op, assignmentId: before.assignmentId, poolId: before.poolId, status: null, message: `Provisioning ${after.id}: ${after.status}.` };
}
