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

/**
 * Every chat command, in matching order (specific phrasings before the product-name fallback).
 * Help is built from this table.
 */
export const COMMANDS: readonly Command[] = [
  help,
  licenses,
  mySeats,
  expiring,
  pending,
  digest,
  sync,
  whoHas,
  grant,
  revoke,
  requestSeatCommand,
  releaseSeatCommand,
  poolSeats,
];
