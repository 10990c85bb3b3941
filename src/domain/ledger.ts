/**
 * The seat ledger's data model: what is persisted (LedgerData) and the only ways it changes (Change).
 * See README "How seats are counted" for how vendor-consumed seats and local grants combine.
 */

export const SCHEMA_VERSION = 1;

export type Iso = string;
export type Vendor = 'webex' | 'meraki' | 'zoho_crm' | 'cpod';
export const VENDORS: readonly Vendor[] = ['webex', 'meraki', 'zoho_crm', 'cpod'];
/** Vendors the bot can assign and remove seats at (write-back); the others are read-only. */
export const WRITABLE_VENDORS: readonly Vendor[] = ['webex', 'cpod'];

export type PoolSourceKind =
  | 'webex.license'
  | 'meraki.device_license_group'
  | 'meraki.coterm_model'
  | 'meraki.subscription_entitlement'
  | 'meraki.sm_seats'
  | 'zoho.user_licenses'
  | 'cpod.software_license';
export type LicenseModel = 'named_user' | 'concurrent' | 'site' | 'device' | 'network_seat' | 'org_pool';
export type SeatUnit = 'user' | 'device' | 'seat' | 'workspace';
export type PoolState = 'active' | 'expiring' | 'expired' | 'queued' | 'unused' | 'inactive' | 'cancelled' | 'unknown';
export type Compliance = 'ok' | 'over_allocated' | 'under_utilized' | 'unknown';

export interface PoolPolicy {
  /** 'required': requests wait for an admin; 'auto': granted at once while seats are free. */
  approval: 'required' | 'auto';
  /** Alert (digest, pool card) when available seats fall to this number or below. */
  minFreeSeats: number;
  /** What to do with idle seats (stored and shown; acted on once reclaim exists). Absent = 'off'. */
  reclaim?: ReclaimMode;
  /** With approval 'auto': at most this many automatic approvals per calendar day; absent or null = no cap. */
  autoApprovalsPerDay?: number | null;
  /**
   * Write seats back to the vendor (Webex, cPod): approvals assign the license there, endings remove it. Absent =
   * off. Meraki and Zoho CRM are read-only (see WRITABLE_VENDORS).
   */
  writeBack?: boolean;
}

export type ReclaimMode = 'off' | 'ask' | 'auto';
export const RECLAIM_MODES: readonly ReclaimMode[] = ['off', 'ask', 'auto'];
export const APPROVAL_MODES: readonly PoolPolicy['approval'][] = ['required', 'auto'];
/** The largest number a policy count (minimum free seats, daily auto-approvals) may be. */
export const MAX_POLICY_COUNT = 100_000;

export const DEFAULT_POLICY: PoolPolicy = { approval: 'required', minFreeSeats: 1 };

export interface LicensePool {
  /** Stable ledger id: `${vendor}:${connectionId}:${externalId}`. */
  id: string;
  vendor: Vendor;
  connectionId: string;
  externalId: string;
  sourceKind: PoolSourceKind;
  productName: string;
  sku: string | null;
  licenseModel: LicenseModel;
  unit: SeatUnit;
  /** null = unlimited (or unknown). */
  totalSeats: number | null;
  /** Seats the vendor reports as consumed; null when the vendor does not say. */
  consumedSeats: number | null;
  /** The vendor's own "available" figure where it gives one (informational). */
  vendorAvailableSeats: number | null;
  startDate: Iso | null;
  expiryDate: Iso | null;
  renewalDate: Iso | null;
  autoRenew: boolean | null;
  state: PoolState;
  vendorState: string | null;
  compliance: Compliance;
  subscriptionRef: string | null;
  scope: { siteUrl?: string; siteType?: string; networkId?: string; productTypes?: string[] };
  /** false for pools the vendor does not meter (Webex Hybrid Services). */
  metered: boolean;
  /** Gone at the vendor; kept because seats and history reference it. */
  retired: boolean;
  retiredAt: Iso | null;
  policy: PoolPolicy;
  createdAt: Iso;
  updatedAt: Iso;
  syncedAt: Iso | null;
  /** Price of one seat where the vendor gives one (cPod: list price less the negotiated discount); absent = unknown. */
  seatPrice?: SeatPrice | null;
}

/** One seat's price for the vendor's term (cPod: a year), in `currency` when the vendor names it. */
export interface SeatPrice {
  amount: number;
  currency: string | null;
}

export type SeatStatus = 'pending' | 'active' | 'denied' | 'released' | 'revoked' | 'expired';
export const OPEN_STATUSES: readonly SeatStatus[] = ['pending', 'active'];
export type SeatSource = 'chat' | 'card' | 'admin' | 'sync' | 'schedule';
export type AssigneeKind = 'user' | 'group' | 'device' | 'network' | 'workspace';

export interface Assignee {
  kind: AssigneeKind;
  /** Webex person id for people who asked the bot; the vendor's id for synced holders. */
  id: string;
  email: string | null;
  name: string | null;
}

/** Who did something. People are identified by what Webex reported, never by card inputs. */
export type ActorRef = { kind: 'person'; personId: string; email: string } | { kind: 'system'; name: 'sync' | 'schedule' | 'policy' };

export interface SeatAssignment {
  id: string;
  poolId: string;
  assignee: Assignee;
  seats: number;
  status: SeatStatus;
  /** 'ledger' = requested or granted through the bot; 'vendor' = observed at the vendor by sync. */
  origin: 'ledger' | 'vendor';
  /** Sync saw this seat at the vendor, so it is inside the vendor's consumed count. */
  vendorSeen: boolean;
  /** The vendor's id for this assignment, when known. */
  externalId: string | null;
  source: SeatSource;
  reason: string | null;
  requestedAt: Iso | null;
  requestedBy: ActorRef | null;
  decidedAt: Iso | null;
  decidedBy: ActorRef | null;
  decisionNote: string | null;
  assignedAt: Iso | null;
  endedAt: Iso | null;
  endedBy: ActorRef | null;
  /** Time-bound seats end at this instant (the reminder job expires them). */
  expiresAt: Iso | null;
  lastUsedAt: Iso | null;
  updatedAt: Iso;
  /**
   * The holder asked for more time in a pool that needs approval: waiting for an admin (Approve extends, Deny
   * closes it; unanswered for REQUEST_TTL_DAYS it expires). Absent or null = none. Added within version 1.
   */
  extensionRequest?: ExtensionRequest | null;
}

/** A holder's pending request to move their time-bound seat's end `days` later. */
export interface ExtensionRequest {
  days: number;
  requestedAt: Iso;
  requestedBy: ActorRef;
}

export type AuditAction =
  | 'seat.requested'
  | 'seat.approved'
  | 'seat.auto_approved'
  | 'seat.denied'
  | 'seat.released'
  | 'seat.revoked'
  | 'seat.granted'
  | 'seat.expired'
  | 'seat.synced'
  | 'seat.ended_at_vendor'
  /** A released or revoked seat given back to its holder by Undo (within UNDO_MINUTES). */
  | 'seat.restored'
  /** A time-bound seat's end moved later. */
  | 'seat.extended'
  /** The holder asked an admin for more time (pool needs approval); then denied, or expired after REQUEST_TTL_DAYS. */
  | 'seat.extension_requested'
  | 'seat.extension_denied'
  | 'seat.extension_expired'
  /** The holder of an idle seat pressed Keep (reclaim asks again after RECLAIM_KEEP_DAYS at the earliest). */
  | 'seat.kept'
  | 'pool.created'
  | 'pool.updated'
  | 'pool.retired'
  | 'pool.policy_changed'
  | 'space.updated'
  /** A pending request closed unanswered after REQUEST_TTL_DAYS. */
  | 'seat.request_expired'
  /** A scheduled notice (digest, reminder, alert) recorded as sent, or re-armed. */
  | 'notice.sent'
  | 'notice.rearmed'
  /** A refused attempt that matters for security (non-admin trying an admin action). Not a change. */
  | 'attempt.refused'
  /** Waitlist: joined, left, offered a freed seat, claimed it, or let the offer lapse (see WaitlistEntry). */
  | 'waitlist.joined'
  | 'waitlist.left'
  | 'waitlist.offered'
  | 'waitlist.claimed'
  | 'waitlist.lapsed'
  /** A provisioning intent's outcome at the vendor (assigned, pending acceptance, refused, paused, cancelled). */
  | 'seat.provisioned'
  /** Write-back paused (removal brake, vendor 401/403) or resumed. */
  | 'provisioning.held'
  | 'provisioning.resumed';

export interface AuditEvent {
  id: string;
  at: Iso;
  actor: ActorRef;
  source: SeatSource;
  action: AuditAction;
  poolId: string | null;
  assignmentId: string | null;
  before: unknown;
  after: unknown;
  idempotencyKey: string | null;
  note: string | null;
}

export type LedgerOutcome =
  | { ok: true; op: string; assignmentId: string | null; poolId: string | null; status: SeatStatus | null; message: string }
  | { ok: false; op: string; code: LedgerErrorCode; message: string };

export type LedgerErrorCode =
  | 'LEDGER_UNKNOWN_POOL'
  | 'LEDGER_POOL_RETIRED'
  | 'LEDGER_POOL_EXPIRED'
  | 'LEDGER_NO_FREE_SEAT'
  | 'LEDGER_ALREADY_HOLDS'
  | 'LEDGER_UNKNOWN_SEAT'
  | 'LEDGER_WRONG_STATE'
  | 'LEDGER_FORBIDDEN'
  | 'LEDGER_SELF_APPROVAL'
  /** A grant to an address outside ALLOWED_EMAIL_DOMAINS. */
  | 'LEDGER_OUTSIDE_DOMAIN'
  | 'LEDGER_NOT_YOURS'
  | 'LEDGER_INVALID'
  | 'LEDGER_KEY_REUSED'
  /** Undo pressed after UNDO_MINUTES. */
  | 'LEDGER_UNDO_EXPIRED';

export interface IdempotencyRecord {
  key: string;
  op: string;
  at: Iso;
  outcome: LedgerOutcome;
}

export type SyncRunStatus = 'running' | 'ok' | 'failed' | 'skipped';
export interface SyncRun {
  id: string;
  /**
   * Start sequence: one more than any run recorded before it on this ledger. Runs are ordered by it, never by
   * wall clock, so a clock stepped back cannot hide a newer run behind an older one. Absent on runs recorded
   * before it existed (those order before every sequenced run).
   */
  seq?: number;
  vendor: Vendor;
  connectionId: string;
  trigger: 'schedule' | 'command' | 'cli' | 'startup';
  startedAt: Iso;
  finishedAt: Iso | null;
  status: SyncRunStatus;
  dryRun: boolean;
  pages: number;
  requests: number;
  retries: number;
  summary: { poolsAdded: number; poolsUpdated: number; poolsRetired: number; seatsAdded: number; seatsEnded: number; drift: number } | null;
  error: { code: string; message: string; httpStatus: number | null; trackingId: string | null } | null;
}

/** write_back_missing: seats write-back assigned at the vendor (done) that the vendor no longer lists. */
export type DriftKind = 'consumed_mismatch' | 'over_allocated' | 'expiry_moved' | 'total_changed' | 'write_back_missing';
export interface DriftFinding {
  /** `${poolId}:${kind}`: one open finding per pool and kind. */
  id: string;
  poolId: string;
  kind: DriftKind;
  detectedAt: Iso;
  message: string;
  vendorValue: number | string | null;
  ledgerValue: number | string | null;
  resolvedAt: Iso | null;
}

export interface SpaceSettings {
  roomId: string;
  digest: boolean;
  title: string | null;
  updatedAt: Iso;
  updatedBy: ActorRef;
}

export type NoticeKind = 'digest' | 'pending_nudge' | 'pool_expiry' | 'pool_renewal' | 'low_seats' | 'seat_ending' | 'reclaim';

/**
 * What the scheduled jobs have sent, one record per subject (bounded: per space, per pool, one nudge), so a
 * restart or a second firing sends nothing twice. Ids come from `noticeId`.
 */
export interface NoticeMark {
  id: string;
  kind: NoticeKind;
  /** The room (digest), pool (reminders, alerts) or seat (seat_ending) it is about; null for the admin nudge. */
  subject: string | null;
  /**
   * digest, pending_nudge: the calendar day (SCHEDULE_TIMEZONE) last claimed. pool dates: the date reminded
   * about. seat_ending: the seat end the holder was warned of.
   */
  on: string | null;
  /** pool_expiry, pool_renewal: the thresholds (days before `on`) already reminded; seat_ending: hours before. */
  thresholds: number[];
  /** low_seats: the alert was sent and the pool has not recovered since. */
  active: boolean;
  at: Iso;
}

export type WaitlistStatus = 'waiting' | 'offered' | 'claimed' | 'left' | 'lapsed';

/**
 * One person waiting for a seat in a full pool, in join order. An 'offered' entry reserves one seat (counted
 * like a pending request) until `offerExpiresAt`; then it lapses and the next waiting person is offered.
 */
export interface WaitlistEntry {
  /** The idempotency key of the join. */
  id: string;
  poolId: string;
  person: Assignee;
  status: WaitlistStatus;
  joinedAt: Iso;
  /**
   * Order of joining within the pool (1 + the highest before it), so first-come-first-served never rests on
   * an object's key order (PostgreSQL's jsonb and canonical exports sort keys). Absent in older ledgers.
   */
  joinSeq?: number;
  offeredAt: Iso | null;
  offerExpiresAt: Iso | null;
  /** The seat a claim created. */
  assignmentId: string | null;
  updatedAt: Iso;
}

export type ProvisionOp = 'add' | 'remove';
/**
 * queued: waits for the worker (at `nextAttemptAt` when set); done: the vendor has it as asked; pending_acceptance:
 * assigned, the user has yet to accept; refused: the vendor said no (`reason`); paused: held by the removal brake or
 * a vendor 401/403, resumed by an admin; cancelled: an admin gave it up.
 */
export type ProvisionStatus = 'queued' | 'done' | 'pending_acceptance' | 'refused' | 'paused' | 'cancelled';
export const OPEN_PROVISION_STATUSES: readonly ProvisionStatus[] = ['queued', 'paused'];

/**
 * An outbox record: carry out one vendor write (assign or remove the seat's license), written in the same change
 * list as the decision that caused it. Ids are `${assignmentId}#p${n}`; a seat's visible vendor state is its
 * latest intent.
 */
export interface ProvisionIntent {
  id: string;
  assignmentId: string;
  poolId: string;
  vendor: Vendor;
  op: ProvisionOp;
  status: ProvisionStatus;
  /** Vendor calls tried so far (since the last admin retry or resume). */
  attempts: number;
  /** Admin retries and resumes so far (absent = 0): part of the worker's idempotency keys. */
  rounds?: number;
  /** Creation order over all intents (0-based): intents for one person and license run in this order. */
  seq?: number;
  /** When a queued intent may run again (bounded backoff); null = now. */
  nextAttemptAt: Iso | null;
  /** Refused or paused: why, in the vendor's words; done: what was found or done. */
  reason: string | null;
  createdAt: Iso;
  updatedAt: Iso;
  /** When the vendor call that settled it was made (the removal brake counts these per hour). */
  calledAt?: Iso | null;
}

/** Write-back held: 'removals' (the hourly removal brake) or a vendor id (401/403: a missing scope). */
export interface ProvisionHold {
  id: string;
  reason: string;
  since: Iso;
  /** When an admin resumed: the hold no longer applies, and the removal brake counts only removals after it. */
  liftedAt?: Iso | null;
}

export interface LedgerData {
  schemaVersion: number;
  pools: Record<string, LicensePool>;
  assignments: Record<string, SeatAssignment>;
  audit: AuditEvent[];
  idempotency: Record<string, IdempotencyRecord>;
  syncRuns: Record<string, SyncRun>;
  drift: Record<string, DriftFinding>;
  spaces: Record<string, SpaceSettings>;
  notices: Record<string, NoticeMark>;
  /** Added within version 1: files written before it have none, read as empty. */
  waitlist?: Record<string, WaitlistEntry>;
  /** Added within version 1 (write-back outbox): read as empty when absent. */
  provisions?: Record<string, ProvisionIntent>;
  provisionHolds?: Record<string, ProvisionHold>;
}

/** The only ways the ledger changes. Records are replaced whole, never mutated in place. */
export type Change =
  | { type: 'pool.put'; pool: LicensePool }
  | { type: 'assignment.put'; assignment: SeatAssignment }
  | { type: 'audit.add'; event: AuditEvent }
  | { type: 'idempotency.put'; record: IdempotencyRecord }
  | { type: 'idempotency.delete'; key: string }
  | { type: 'syncRun.put'; run: SyncRun }
  /** Drops an old sync run record (history is bounded per vendor connection). */
  | { type: 'syncRun.delete'; id: string }
  | { type: 'drift.put'; finding: DriftFinding }
  | { type: 'space.put'; space: SpaceSettings }
  | { type: 'notice.put'; notice: NoticeMark }
  | { type: 'waitlist.put'; entry: WaitlistEntry }
  | { type: 'provision.put'; intent: ProvisionIntent }
  | { type: 'provisionHold.put'; hold: ProvisionHold }
  | { type: 'provisionHold.delete'; id: string };

export function emptyLedger(): LedgerData {
  return {
    schemaVersion: SCHEMA_VERSION,
    pools: {},
    assignments: {},
    audit: [],
    idempotency: {},
    syncRuns: {},
    drift: {},
    spaces: {},
    notices: {},
    waitlist: {},
    provisions: {},
    provisionHolds: {},
  };
}

export function poolId(vendor: Vendor, connectionId: string, externalId: string): string {
  return `${vendor}:${connectionId}:${externalId}`;
}
