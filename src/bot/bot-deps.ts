import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { SyncRun, Vendor } from '../domain/ledger.js';
import type { SeatStore } from '../store/seat-store.js';
import type { NoticeOutbox } from './delivery.js';

/** What the bot shows of a finished sync (the sync runner's report has this shape). */
export interface SyncOutcome {
  status: 'ok' | 'partial' | 'failed' | 'already_running' | 'not_configured';
  message: string;
  vendors: readonly { vendor: Vendor; status: 'ok' | 'failed'; run: SyncRun }[];
}

/** The sync under way: since when, who started it, which vendors it covers and which are done. */
export interface SyncProgress {
  startedAt: string;
  trigger: SyncRun['trigger'];
  vendors: readonly Vendor[];
  vendorsDone: readonly { vendor: Vendor; status: 'ok' | 'failed' }[];
}

/** What the bot needs from vendor sync: the same runner cron and the CLI use. */
export interface SyncTrigger {
  /** The sync under way, or null when none is. */
  current(): SyncProgress | null;
  /** The report of the sync under way once it ends; null at once when none is under way. */
  whenDone(): Promise<SyncOutcome | null>;
  run(options: { vendor?: Vendor; trigger: 'command' }): Promise<SyncOutcome>;
  /** Vendors with credentials configured. */
  vendors(): readonly Vendor[];
}

export interface BotAccess {
  adminEmails: readonly string[];
  /** Where approval requests go; null = direct messages to each admin. */
  adminSpaceId: string | null;
  /** Empty = everyone may use the bot. */
  allowedEmailDomains: readonly string[];
}

export interface BotDeps {
  store: SeatStore;
  clock: Clock;
  logger: Logger;
  access: BotAccess;
  /**
   * For messages that are not a direct answer: notices of a committed change (approval requests, DMs), whose
   * outcome the actor is told (`deliver`), and finished syncs (`send`). Answers to the actor are returned.
   */
  outbox: NoticeOutbox;
  sync: SyncTrigger | null;
  /** SCHEDULE_TIMEZONE: the zone dates are shown and days counted in (default UTC). */
  timeZone?: string;
  /** WRITE_BACK_VENDORS: `policy … write-back on` warns when its vendor is not among them (absent: no warning). */
  writeBackVendors?: readonly Vendor[];
}
