/**
 * Budgets on what people send the bot, checked before any parsing or matching, so one message or card
 * submit costs a bounded amount of work whatever it holds. (Reason and note length and the 1-365 days of a
 * time-bound seat are ledger rules: MAX_TEXT and MAX_DAYS in ledger-command.ts.)
 */

/** A chat message, after the bot's @mention is stripped. Webex allows ~7,400 bytes; commands are short. */
export const MAX_MESSAGE_CHARS = 2000;
/** A product name as people type it ("seats <product>", "request <product>" ...). */
export const MAX_PRODUCT_QUERY_CHARS = 200;
/** An id a card submits (pool, seat or request id). */
export const MAX_ID_CHARS = 512;
/** Keys in one card submit (Webex merges the card's inputs with the button's data; ours have a handful). */
export const MAX_CARD_INPUTS = 40;
/** Any one value in a card submit, whatever its key (typed fields have tighter limits of their own). */
export const MAX_CARD_INPUT_CHARS = MAX_MESSAGE_CHARS;
/** How far ahead "expiring [days]" may look. */
export const MAX_LOOKAHEAD_DAYS = 3650;

/** The one wording for an over-long input: "That product name is too long (at most 200 characters)." */
export function tooLong(subject: string, max: number): string {
  return `${subject} is too long (at most ${max} characters).`;
}
