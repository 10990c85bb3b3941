import type { Command } from './command.js';
import { help } from './commands/help.js';
import { licenses } from './commands/licenses.js';
import { mySeats } from './commands/my-seats.js';
import { requestSeatCommand } from './commands/request-seat.js';
import { releaseSeatCommand } from './commands/release-seat.js';
import { expiring } from './commands/expiring.js';
import { pending } from './commands/pending.js';
import { whoHas } from './commands/who-has.js';
import { grant } from './commands/grant.js';
import { revoke } from './commands/revoke.js';
import { sync } from './commands/sync.js';
import { digest } from './commands/digest.js';
import { poolSeats } from './commands/pool-seats.js';
import { myHistory } from './commands/my-history.js';
import { poolHistory } from './commands/pool-history.js';
import { syncStatusCommand } from './commands/sync-status.js';
import { policy } from './commands/policy.js';
import { waitlist } from './commands/waitlist.js';
import { writeBack } from './commands/write-back.js';

/**
 * Every chat command, in matching order: each tries its phrasings on the normalised message (see
 * normalize-command-text.ts) and the first that fits wins, so the specific ones come first ("any free seats" is
 * the summary, "any free Zoho seats" one pool; "I want to release Zoho" is a release, not a request). The last,
 * `seats`, also takes anything left as a product name, or points a sentence it cannot place to help.
 * Help is built from this table.
 */
export const COMMANDS: readonly Command[] = [
  help,
  licenses,
  mySeats,
  expiring,
  pending,
  digest,
  syncStatusCommand,
  sync,
  myHistory,
  poolHistory,
  policy,
  writeBack,
  waitlist,
  whoHas,
  grant,
  revoke,
  releaseSeatCommand,
  requestSeatCommand,
  poolSeats,
];
