import type { Change, IdempotencyRecord, LedgerErrorCode, LedgerOutcome } from './ledger.js';
import type { LedgerView } from './ledger-view.js';
import type { LedgerRequest, LedgerResult } from './ledger-command.js';
import { LedgerDraft, refuse } from './ledger-draft.js';
import { requestSeat } from './request-seat.js';
import { decideSeat } from './decide-seat.js';
import { endSeat } from './end-seat.js';
import { grantSeat } from './grant-seat.js';
import { configureLedger } from './configure-ledger.js';
import { expireRequest } from './expire-request.js';
import { extendSeat } from './extend-seat.js';
import { restoreSeat } from './restore-seat.js';
import { joinWaitlist } from './join-waitlist.js';
import { offerWaitlist } from './offer-waitlist.js';
import { claimOffer } from './claim-offer.js';
import { keepSeat } from './keep-seat.js';
import { closeExtension } from './close-extension.js';
import { queueProvisions } from './queue-provisions.js';
import { settleProvision } from './settle-provision.js';
import { manageWriteBack } from './manage-write-back.js';

/** How many idempotency records are kept; older ones are dropped in batches. */
export const IDEMPOTENCY_LIMIT = 100_000;
const PRUNE_BATCH = 1_000;

/**
 * Refusals that matter for security and are audited as `attempt.refused` (they change nothing else): a
 * non-admin trying an admin action, an admin deciding or granting for themselves, a grant to an outsider.
 */
const AUDITED_REFUSALS: ReadonlySet<LedgerErrorCode> = new Set<LedgerErrorCode>(['LEDGER_FORBIDDEN', 'LEDGER_SELF_APPROVAL', 'LEDGER_OUTSIDE_DOMAIN']);

/**
 * The ledger's single entry point: pure (state in, changes out). A replayed idempotency key returns the
 * first outcome and changes nothing; every real change carries its audit event in the same change list.
 */
export function executeLedgerCommand(view: LedgerView, req: LedgerRequest): { changes: Change[]; result: LedgerResult } {
  const { command } = req;
  const key = req.idempotencyKey.trim();
  if (key === '' || key.length > 200) {
    return { changes: [], result: { ...refuse(command.op, 'LEDGER_INVALID', 'Every change needs an idempotency key (1-200 characters).'), replayed: false } };
  }
  const seen = view.idempotency(key);
  if (seen) {
    const result: LedgerOutcome =
      seen.op === command.op
        ? seen.outcome
        : refuse(command.op, 'LEDGER_KEY_REUSED', 'That button or message was already used for something else, so it changed nothing this time.');
    return { changes: [], result: { ...result, replayed: true } };
  }

  const draft = new LedgerDraft({ actor: req.actor, source: req.source, idempotencyKey: key, now: req.now });
  const outcome = dispatch(view, { ...req, idempotencyKey: key }, draft);
  if (!outcome.ok) {
    draft.changes.length = 0;
    if (AUDITED_REFUSALS.has(outcome.code)) {
      draft.audit('attempt.refused', { poolId: poolOf(req), assignmentId: seatOf(req) }, null, { op: command.op }, outcome.message);
    }
  } else {
    // Write-back outbox: seats that became active or ended queue their vendor change in this same change list.
    draft.changes.push(...queueProvisions(view, draft.changes, req.now));
  }
  const record: IdempotencyRecord = { key, op: command.op, at: req.now, outcome };
  draft.changes.push({ type: 'idempotency.put', record });
  const count = view.idempotencyCount();
  if (count >= IDEMPOTENCY_LIMIT + PRUNE_BATCH) {
    for (const old of view.oldestIdempotencyKeys(count - IDEMPOTENCY_LIMIT)) draft.changes.push({ type: 'idempotency.delete', key: old });
  }
  return { changes: draft.changes, result: { ...outcome, replayed: false } };
}

function dispatch(view: LedgerView, req: LedgerRequest, draft: LedgerDraft): LedgerOutcome {
  const c = req.command;
  switch (c.op) {
    case 'request':
      return requestSeat(view, req, c, draft);
    case 'approve':
    case 'deny':
      return decideSeat(view, req, c, draft);
    case 'release':
    case 'revoke':
    case 'expire':
      return endSeat(view, req, c, draft);
    case 'grant':
      return grantSeat(view, req, c, draft);
    case 'extend':
      return extendSeat(view, req, c, draft);
    case 'denyExtension':
    case 'expireExtension':
      return closeExtension(view, req, c, draft);
    case 'restore':
      return restoreSeat(view, req, c, draft);
    case 'keep':
      return keepSeat(view, req, c, draft);
    case 'expireRequest':
      return expireRequest(view, req, c, draft);
    case 'setPolicy':
    case 'setDigest':
      return configureLedger(view, req, c, draft);
    case 'joinWaitlist':
    case 'leaveWaitlist':
      return joinWaitlist(view, req, c, draft);
    case 'offerWaitlist':
      return offerWaitlist(view, req, c, draft);
    case 'claimOffer':
      return claimOffer(view, req, c, draft);
    case 'settleProvision':
      return settleProvision(view, req, c, draft);
    case 'retryProvision':
    case 'cancelProvision':
    case 'resumeWriteBack':
      return manageWriteBack(view, req, c, draft);
    case 'noteRefusal':
      return req.actor.kind === 'person' && req.actor.isAdmin
        ? refuse(c.op, 'LEDGER_INVALID', 'Nothing to refuse: you are an admin.')
        : refuse(c.op, 'LEDGER_FORBIDDEN', `Only license admins may ${c.attempted}.`);
  }
}

const poolOf = (req: LedgerRequest): string | null => ('poolId' in req.command ? req.command.poolId : null);
const seatOf = (req: LedgerRequest): string | null => ('assignmentId' in req.command ? req.command.assignmentId : null);
