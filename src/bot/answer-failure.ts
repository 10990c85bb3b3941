import type { LedgerErrorCode } from '../domain/ledger.js';
import type { LedgerResult } from '../domain/ledger-command.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { replyCard } from './reply-card.js';

const TITLES: Readonly<Record<LedgerErrorCode, string>> = {
  LEDGER_UNKNOWN_POOL: 'Unknown license',
  LEDGER_POOL_RETIRED: 'License retired',
  LEDGER_POOL_EXPIRED: 'License expired',
  LEDGER_NO_FREE_SEAT: 'No free seat',
  LEDGER_ALREADY_HOLDS: 'Already there',
  LEDGER_UNKNOWN_SEAT: 'Unknown seat',
  LEDGER_WRONG_STATE: 'Already handled',
  LEDGER_FORBIDDEN: 'Admins only',
  LEDGER_SELF_APPROVAL: 'Not your own request',
  LEDGER_OUTSIDE_DOMAIN: 'Outside the organization',
  LEDGER_NOT_YOURS: 'Not your seat',
  LEDGER_INVALID: 'Cannot do that',
  LEDGER_KEY_REUSED: 'Already handled',
  LEDGER_UNDO_EXPIRED: 'Too late to undo',
};

/** A refused ledger command as an error card in the place the person asked. */
export function answerFailure(ctx: BotContext, result: Extract<LedgerResult, { ok: false }>): Reply[] {
  const title = result.code === 'LEDGER_SELF_APPROVAL' && result.op === 'grant' ? 'Not to yourself' : TITLES[result.code];
  return [replyCard(ctx.here, 'error', { title, message: result.message }, ctx.parentId)];
}

/** An error card in the place the person asked; title and message are text (the card escapes them). */
export function answerError(ctx: BotContext, title: string, message: string): Reply[] {
  return [replyCard(ctx.here, 'error', { title, message }, ctx.parentId)];
}
