import type { Iso, ProvisionHold, ProvisionIntent, SeatAssignment } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import type { Reply } from '../bot/chat-event.js';

/**
 * What the bot says when write-back settles something (the contract between the provisioning worker and the
 * bot, as BotNotices is for the jobs): the worker decides when, the bot the words and cards.
 */
export interface WriteBackNotices {
  /** An intent left 'queued' for good: the holder told the license is really theirs (or pending, or not), admins told of a refusal. */
  settled(view: LedgerView, intent: ProvisionIntent, seat: SeatAssignment, now: Iso): Reply[];
  /** Write-back was just held (removal brake, vendor 401/403): the admins, once per hold. */
  held(view: LedgerView, hold: ProvisionHold, now: Iso): Reply[];
}
