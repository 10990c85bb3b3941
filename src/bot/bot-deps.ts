import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { SyncRun, Vendor } from '../domain/ledger.js';
import type { SeatStore } from '../store/seat-store.js';
import type { Outbox } from './chat-event.js';

/** What the bot needs from vendor sync: the same runner cron and the CLI use. */
export interface SyncTrigger {
  isRunning(): boolean;
  /** Runs (or joins) a sync; resolves with the runs it recorded, one per vendor. */
  run(options: { vendor?: Vendor; trigger: 'command' }): Promise<{ runs: readonly SyncRun[]; alreadyRunning?: boolean }>;
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
  /** For messages that are not a direct answer (approval requests, DMs, finished syncs). */
  outbox: Outbox;
  sync: SyncTrigger | null;
}
