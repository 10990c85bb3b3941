import type { ActorRef, Iso, LedgerOutcome, PoolPolicy, ProvisionStatus, SeatSource } from './ledger.js';

/** A person acting through the bot, as Webex identified them; isAdmin comes from config, never from input. */
export interface PersonActor {
  kind: 'person';
  personId: string;
  email: string;
  name: string;
  isAdmin: boolean;
}
export interface SystemActor {
  kind: 'system';
  name: 'schedule' | 'sync';
}
export type LedgerActor = PersonActor | SystemActor;

export type LedgerCommand =
  | {
      op: 'request';
      poolId: string;
      days?: number | null;
      reason?: string | null;
      /** SCHEDULE_TIMEZONE from config: the calendar day a pool's daily auto-approval limit counts in (default UTC). */
      timeZone?: string;
    }
  | { op: 'approve'; assignmentId: string; note?: string | null }
  | { op: 'deny'; assignmentId: string; note?: string | null }
  /** The holder gives back an active seat, or withdraws a pending request. */
  | { op: 'release'; assignmentId: string }
  | { op: 'revoke'; assignmentId: string; note?: string | null }
  | {
      op: 'grant';
      poolId: string;
      assignee: { email: string; id?: string | null; name?: string | null };
      days?: number | null;
      reason?: string | null;
      /** ALLOWED_EMAIL_DOMAINS from config (never from input); empty or absent = any domain. */
      allowedDomains?: readonly string[];
    }
  | { op: 'expire'; assignmentId: string }
  /**
   * Moves a time-bound seat's end `days` later: at once for an admin (not the holder) or an auto pool; else
   * the holder's ask is stored on the seat as a pending extension (status null; the bot asks the admins).
   */
  | { op: 'extend'; assignmentId: string; days: number }
  /** An admin denies a holder's pending extension request; the schedule closes one unanswered for `ttlDays`. */
  | { op: 'denyExtension'; assignmentId: string; note?: string | null }
  | { op: 'expireExtension'; assignmentId: string; ttlDays: number }
  /** The holder keeps an idle seat the reclaim job asked about (recorded on its reclaim notice mark). */
  | { op: 'keep'; assignmentId: string }
  /** Undo of a release or revoke within UNDO_MINUTES, while the seat is still free. */
  | { op: 'restore'; assignmentId: string }
  /** The schedule closes a request left unanswered for `ttlDays` (REQUEST_TTL_DAYS). */
  | { op: 'expireRequest'; assignmentId: string; ttlDays: number }
  | { op: 'setPolicy'; poolId: string; policy: Partial<PoolPolicy> }
  | { op: 'setDigest'; roomId: string; digest: boolean; title?: string | null; note?: string | null }
  /** A person with no seat in a full pool queues for the next freed seat; or leaves the queue. */
  | { op: 'joinWaitlist'; poolId: string }
  | { op: 'leaveWaitlist'; poolId: string }
  /** The schedule lapses offers past their time and offers each free seat to the next waiting person. */
  | { op: 'offerWaitlist'; poolId: string }
  /** The offered person takes the held seat, by the pool's approval policy (active, or a pending request). */
  | { op: 'claimOffer'; poolId: string; timeZone?: string }
  /** Records a refused admin-only request that changes nothing (e.g. a non-admin asking "pending"). */
  | { op: 'noteRefusal'; attempted: string }
  /**
   * The provisioning worker (system) records what one vendor write came to: a final status, or 'queued' again with
   * the next attempt's time; `hold` also holds write-back (removal brake, vendor 401/403).
   */
  | {
      op: 'settleProvision';
      intentId: string;
      status: ProvisionStatus;
      attempts: number;
      reason?: string | null;
      nextAttemptAt?: Iso | null;
      calledAt?: Iso | null;
      hold?: { id: string; reason: string } | null;
    }
  /** Admin: carry out a refused, paused or cancelled provisioning again (the seat's latest), or give it up. */
  | { op: 'retryProvision'; intentId: string }
  | { op: 'cancelProvision'; intentId: string }
  /** Admin: lift every write-back hold (removal brake, vendor auth) and requeue what they paused. */
  | { op: 'resumeWriteBack' };

export type LedgerOp = LedgerCommand['op'];

export interface LedgerRequest {
  command: LedgerCommand;
  actor: LedgerActor;
  source: SeatSource;
  /** Every mutating call carries one (e.g. the Webex attachment-action or message id). */
  idempotencyKey: string;
  now: Iso;
}

export type LedgerResult = LedgerOutcome & { replayed: boolean };

export function actorRef(actor: LedgerActor): ActorRef {
  return actor.kind === 'person'
    ? { kind: 'person', personId: actor.personId, email: actor.email.toLowerCase() }
    : { kind: 'system', name: actor.name };
}

export const MAX_TEXT = 300;
export const MAX_DAYS = 365;
/** How long an Undo button works after a release or revoke. */
export const UNDO_MINUTES = 10;
/** REQUEST_TTL_DAYS by default: a request unanswered this many days is closed as expired. */
export const DEFAULT_REQUEST_TTL_DAYS = 14;
