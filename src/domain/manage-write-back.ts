import type { LedgerOutcome, ProvisionIntent } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerCommand, LedgerRequest } from './ledger-command.js';
import { refuse, type LedgerDraft } from './ledger-draft.js';
import { ownEntry } from './own-entry.js';
import { requireAdmin } from './seat-rules.js';
import { vendorLabel } from './vendor-label.js';

type Cmd = Extract<LedgerCommand, { op: 'retryProvision' | 'cancelProvision' | 'resumeWriteBack' }>;

/**
 * Admin controls of write-back: Retry or Cancel a seat's latest provisioning when refused or paused, and resume
 * after a hold (removal brake, vendor 401/403), which requeues the paused intents that still fit their seat.
 */
export function manageWriteBack(view: LedgerView, req: LedgerRequest, cmd: Cmd, draft: LedgerDraft): LedgerOutcome {
  const forbidden = requireAdmin(req.actor, 'manage write-back');
  if (forbidden) return { ...forbidden, op: cmd.op };
  if (cmd.op === 'resumeWriteBack') {
    const holds = view.provisionHolds();
    const paused = view.openProvisions().filter((i) => i.status === 'paused');
    if (holds.length === 0 && paused.length === 0) return { ok: true, op: cmd.op, assignmentId: null, poolId: null, status: null, message: 'Write-back is not paused.' };
    for (const h of holds) {
      // Kept, marked lifted: the removal brake counts removals from here on.
      const lifted = { ...h, liftedAt: req.now };
      draft.changes.push({ type: 'provisionHold.put', hold: lifted });
      draft.audit('provisioning.resumed', { poolId: null, assignmentId: null }, h, lifted);
    }
    let again = 0;
    for (const i of paused) {
      const seat = view.assignment(i.assignmentId);
      if ((i.op === 'add') === (seat?.status === 'active')) {
        requeue(draft, i, req.now);
        again++;
      } else draft.changes.push({ type: 'provision.put', intent: { ...i, status: 'cancelled', reason: 'the seat changed while write-back was paused', updatedAt: req.now } });
    }
    return { ok: true, op: cmd.op, assignmentId: null, poolId: null, status: null, message: `Write-back resumed; ${again} paused ${again === 1 ? 'change runs' : 'changes run'} again.` };
  }
  const intent = ownEntry(view.data.provisions ?? {}, cmd.intentId);
  if (!intent) return refuse(cmd.op, 'LEDGER_UNKNOWN_SEAT', 'That vendor change does not exist (any more).');
  const latest = view.provisionsOf(intent.assignmentId).at(-1);
  if (latest?.id !== intent.id) return refuse(cmd.op, 'LEDGER_WRONG_STATE', 'A newer change for this seat is already under way.');
  const at = vendorLabel(intent.vendor);
  if (cmd.op === 'retryProvision') {
    if (intent.status !== 'refused' && intent.status !== 'paused' && intent.status !== 'cancelled') {
      return refuse(cmd.op, 'LEDGER_WRONG_STATE', `Nothing to retry: the change at ${at} is ${intent.status.replace('_', ' ')}.`);
    }
    const seat = view.assignment(intent.assignmentId);
    if ((intent.op === 'add') !== (seat?.status === 'active')) {
      return refuse(cmd.op, 'LEDGER_WRONG_STATE', `Nothing to retry: the seat is ${seat?.status ?? 'gone'} now, so ${intent.op === 'add' ? 'assigning' : 'removing'} it at ${at} would be wrong.`);
    }
    requeue(draft, intent, req.now);
    draft.audit('seat.provisioned', { poolId: intent.poolId, assignmentId: intent.assignmentId }, { status: intent.status }, { status: 'queued' }, 'retried by an admin');
    return { ok: true, op: cmd.op, assignmentId: intent.assignmentId, poolId: intent.poolId, status: null, message: `Trying ${at} again.` };
  }
  // Not a queued one: the worker may be calling the vendor for it right now, and a cancelled add that did land would
  // never be removed (removals follow only adds that were not refused or cancelled).
  if (intent.status !== 'refused' && intent.status !== 'paused') {
    return refuse(cmd.op, 'LEDGER_WRONG_STATE', `Nothing to cancel: the change at ${at} is ${intent.status.replace('_', ' ')}.`);
  }
  const after: ProvisionIntent = { ...intent, status: 'cancelled', nextAttemptAt: null, updatedAt: req.now };
  draft.changes.push({ type: 'provision.put', intent: after });
  draft.audit('seat.provisioned', { poolId: intent.poolId, assignmentId: intent.assignmentId }, { status: intent.status }, { status: 'cancelled' }, 'cancelled by an admin');
  return { ok: true, op: cmd.op, assignmentId: intent.assignmentId, poolId: intent.poolId, status: null, message: `The change at ${at} is cancelled; nothing more is sent there for it.` };
}

function requeue(draft: LedgerDraft, intent: ProvisionIntent, now: string): void {
  draft.changes.push({ type: 'provision.put', intent: { ...intent, status: 'queued', attempts: 0, rounds: (intent.rounds ?? 0) + 1, nextAttemptAt: null, reason: null, updatedAt: now } });
}
