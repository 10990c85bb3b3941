import type { WaitlistCardData } from './views/waitlist-view.js';
import type { HistoryCardData } from './views/history-view.js';
import type { AuditAction, Iso, LicensePool, SeatPrice, SyncRunStatus, Vendor } from '../domain/ledger.js';
import type { PoolUsage } from '../domain/ledger-view.js';

/**
 * The typed data each card takes. Text here is raw (as stored): the renderer makes it inert.
 * `now` makes "days left" / "expiring soon" deterministic; callers pass `clock.now().toISOString()`.
 * `timeZone` (SCHEDULE_TIMEZONE, default UTC) is the zone dates are shown and days counted in.
 */

/** When a card is drawn, and in which time zone its dates are read. */
export interface Moment {
  now: Iso;
  timeZone?: string;
}

/** The pool fields the cards show (a LicensePool is assignable). */
export type PoolFacts = Pick<
  LicensePool,
  | 'id'
  | 'productName'
  | 'vendor'
  | 'sku'
  | 'state'
  | 'retired'
  | 'expiryDate'
  | 'renewalDate'
  | 'autoRenew'
  | 'policy'
  | 'syncedAt'
  | 'unit'
>;
export type PoolRef = Pick<LicensePool, 'id' | 'productName' | 'vendor'>;
export interface PoolWithUsage {
  pool: PoolFacts;
  usage: PoolUsage;
}
export interface PersonText {
  name: string | null;
  email: string | null;
}
export type OpenStatus = 'active' | 'pending';

export interface SummaryCardData extends Moment {
  pools: PoolWithUsage[];
  /** 0-based; clamped to the last page. */
  page: number;
  /** Pools expiring within this many days get a marker (default 30). */
  expiringWithinDays?: number;
}

export interface PoolCardData extends Moment {
  pool: PoolFacts;
  usage: PoolUsage;
  /** The viewer's open seat in this pool, if any: hides the Request action. */
  viewerSeat: { assignmentId: string; status: OpenStatus } | null;
  expiringWithinDays?: number;
}

export interface MySeat {
  assignmentId: string;
  pool: PoolRef;
  status: OpenStatus;
  /** 'vendor': held or invited at the vendor, changed there (never offered for Release or Cancel). */
  origin: 'vendor' | 'ledger';
  seats: number;
  /** assignedAt for active seats, requestedAt for pending ones. */
  since: Iso | null;
  /** When an active seat ends. */
  expiresAt: Iso | null;
  /** The term a pending request asks for (days from approval); null = no end date. */
  requestedDays: number | null;
  /** Write-back: the seat's state at the vendor ("assigned in Webex ✓", "Webex refused: …"); absent = never written. */
  vendorState?: string;
}
export interface MySeatsCardData extends Moment {
  seats: MySeat[];
  page: number;
}

export interface Holder {
  assignmentId: string;
  person: PersonText;
  status: OpenStatus;
  origin: 'vendor' | 'ledger';
  seats: number;
  since: Iso | null;
  expiresAt: Iso | null;
  /** The term a pending request asks for (days from approval); null = no end date. */
  requestedDays: number | null;
  /** Write-back: the seat's state at the vendor; absent = never written. */
  vendorState?: string;
}
export interface HoldersCardData extends Moment {
  pool: PoolFacts;
  usage: PoolUsage;
  holders: Holder[];
  page: number;
}

export interface ApprovalRequestCardData extends Moment {
  assignmentId: string;
  requester: PersonText;
  pool: PoolFacts;
  usage: PoolUsage;
  seats: number;
  reason: string | null;
  /** Requested duration (days from approval); null = no end date. */
  days: number | null;
  requestedAt: Iso | null;
}

export interface PendingRequest {
  assignmentId: string;
  requester: PersonText;
  pool: PoolRef;
  seats: number;
  reason: string | null;
  requestedAt: Iso | null;
  /** The term asked for (days from approval); null = no end date. */
  requestedDays: number | null;
  /** The viewer's own request: listed, never offered to them for Approve or Deny. */
  mine: boolean;
  /** Set for a holder's pending extension of an active seat: the days asked (Approve extends, Deny keeps the end). */
  extensionDays?: number | null;
  /** With extensionDays: the seat's current end. */
  endsAt?: Iso | null;
}
/** Invitations pending at a vendor: they reserve seats, and are settled at the vendor, not here. */
export interface PendingInvitations {
  pool: PoolRef;
  count: number;
}
export interface PendingCardData extends Moment {
  requests: PendingRequest[];
  invitations: PendingInvitations[];
  page: number;
}

export type DecisionKind =
  | 'approved'
  | 'denied'
  | 'released'
  | 'revoked'
  | 'granted'
  | 'expired'
  | 'cancelled'
  | 'restored'
  | 'extended'
  /** The holder asked for more time; the admins' card carries the Extend button. */
  | 'extension_requested'
  /** An admin denied the holder's extension (or it expired unanswered): the seat keeps its end date. */
  | 'extension_denied'
  /** The warning before a time-bound seat ends, with an Extend button. */
  | 'ending'
  /** The reclaim question about a seat unused for RECLAIM_AFTER_DAYS, with Keep and Release buttons. */
  | 'idle'
  /** Write-back: the vendor refused to assign or remove the seat (the note says why); admins get Retry and Cancel. */
  | 'write_back_refused';
export interface DecisionCardData {
  kind: DecisionKind;
  pool: PoolRef;
  /** Whose seat it is. */
  holder: PersonText;
  /** Who decided; null = the bot itself (schedule, sync). */
  actor: PersonText | null;
  at: Iso;
  timeZone?: string;
  seats: number;
  note: string | null;
  expiresAt: Iso | null;
  /** An Undo button for this (released or revoked) seat, valid UNDO_MINUTES. */
  undo?: { assignmentId: string } | null;
  /** An Extend button: the seat's end moves `days` later. */
  extend?: { assignmentId: string; days: number } | null;
  /** A Deny button for the holder's pending extension (on the admins' card). */
  denyExtension?: { assignmentId: string } | null;
  /** Keep and Release buttons for an idle seat (the reclaim question); Release only for a bot-granted seat (`release` not false). */
  reclaim?: { assignmentId: string; release?: boolean } | null;
  /** Retry and Cancel buttons for a refused vendor change (the provisioning intent's id), on the admins' card. */
  writeBack?: { intentId: string } | null;
  /** Write-back: the seat's state at the vendor ("assigning in Webex…"); absent = never written. */
  vendorState?: string;
}

export interface ExpiringSeat {
  assignmentId: string;
  holder: PersonText;
  pool: PoolRef;
  seats: number;
  expiresAt: Iso;
}
export interface ExpiringCardData extends Moment {
  withinDays: number;
  /** Only admins are pointed to admin commands ("who has"). */
  viewerIsAdmin: boolean;
  pools: PoolWithUsage[];
  seats: ExpiringSeat[];
  /** Time-bound seats in the window held by other people, counted but not listed (non-admin viewers). */
  othersHidden: number;
  /** Licenses already past their expiry date and active seats past their end date (not listed above). */
  ended: { pools: number; seats: number };
  page: number;
}

export interface HelpCommand {
  usage: string;
  description: string;
  adminOnly: boolean;
}
export interface HelpCardData {
  intro?: string;
  commands: HelpCommand[];
  /** Admin-only commands are listed only for admins. */
  viewerIsAdmin: boolean;
}

export interface ErrorCardData {
  title: string;
  message: string;
  /**
   * "Did you mean": one is asked about by name with a button that opens it; several (at most 4) are offered
   * as a list of full names to choose from, with one button.
   */
  suggestions?: PoolRef[];
  referenceId?: string;
}

export interface VendorSyncStatus {
  vendor: Vendor;
  status: SyncRunStatus | 'never';
  at: Iso | null;
  error: string | null;
}
export interface DigestCardData extends Moment {
  spaceTitle: string | null;
  pools: PoolWithUsage[];
  /** Requests waiting for an admin: the ones the `pending` command lists. */
  pendingCount: number;
  /** Invitations pending at vendors (in the pools' pending counts, settled at the vendor). */
  invitations: PendingInvitations[];
  sync: VendorSyncStatus[];
  expiringWithinDays?: number;
  /** When this space's previous digest went out (null: this is its first); absent = no changes section. */
  changesSince?: Iso | null;
  /** Audit actions since `changesSince`, counted (bookkeeping left out). */
  changes?: { action: AuditAction; count: number }[];
  /** Reclaim candidates: active seats unused for `idleDays` days (vendor `lastUsedAt`), per pool. */
  idle?: { pool: PoolRef; seats: number }[];
  idleDays?: number;
  /** People waiting (or offered a seat) on pool waitlists. */
  waitlisted?: number;
  /** Pools with a known per-seat price: what their idle and unassigned seats cost. */
  prices?: { pool: PoolRef; seatPrice: SeatPrice; idle: number; unassigned: number }[];
}

/** Card name -> the data it takes. */
export interface CardDataMap {
  summary: SummaryCardData;
  pool: PoolCardData;
  'my-seats': MySeatsCardData;
  holders: HoldersCardData;
  'approval-request': ApprovalRequestCardData;
  pending: PendingCardData;
  decision: DecisionCardData;
  expiring: ExpiringCardData;
  help: HelpCardData;
  error: ErrorCardData;
  digest: DigestCardData;
  waitlist: WaitlistCardData;
  history: HistoryCardData;
}
export type CardName = keyof CardDataMap;

export const CARD_NAMES = [
  'summary',
  'pool',
  'my-seats',
  'holders',
  'approval-request',
  'pending',
  'decision',
  'expiring',
  'help',
  'error',
  'digest',
  'waitlist',
  'history',
] as const satisfies readonly CardName[];
