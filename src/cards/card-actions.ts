import { z } from 'zod';
import { MAX_DAYS, MAX_TEXT } from '../domain/ledger-command.js';
import { MAX_CARD_INPUT_CHARS, MAX_CARD_INPUTS, MAX_ID_CHARS, MAX_LOOKAHEAD_DAYS, tooLong } from '../domain/input-limits.js';

/**
 * What the cards submit. Webex merges each Action.Submit `data` into the card's input values, so every
 * submit carries an `action` discriminator and ids that the user picks come from inputs (ChoiceSets).
 * Webex sends Input.Number values as strings and unset inputs as "": both are accepted here.
 */
export const CARD_ACTION_NAMES = [
  'pool.show',
  'summary.page',
  'seat.request',
  'seat.release',
  'seat.cancel',
  'seat.revoke',
  'holders.page',
  'seat.approve',
  'seat.deny',
  'my-seats.page',
  'pending.page',
  'expiring.page',
  'seat.restore',
  'seat.extend',
  'seat.keep',
  'waitlist.join',
  'waitlist.claim',
  'waitlist.leave',
  'history.more',
  'provision.retry',
  'provision.cancel',
] as const;

export type CardActionName = (typeof CARD_ACTION_NAMES)[number];

/** Max characters of a free-text input (reason, note): the ledger's limit; the cards set the same maxLength. */
export const MAX_TEXT_INPUT = MAX_TEXT;
/** Input id of the ChoiceSet of pending requests on the my-seats card (ids must be unique per card). */
export const PENDING_CHOICE_INPUT = 'pendingAssignmentId';

/**
 * Each action in people's words: the title of the answer when it could not be done, and what it does (for
 * "Only license admins may …"). Answers never show the action's internal name.
 */
export const CARD_ACTION_WORDS: { readonly [K in CardActionName]: { notDone: string; work: string } } = {
  'pool.show': { notDone: 'Which license?', work: 'open a license' },
  'summary.page': { notDone: 'Page not shown', work: 'page through the licenses' },
  'seat.request': { notDone: 'Seat not requested', work: 'request seats' },
  'seat.release': { notDone: 'Seat not released', work: 'release their seats' },
  'seat.cancel': { notDone: 'Request not cancelled', work: 'cancel their requests' },
  'seat.revoke': { notDone: 'Seat not revoked', work: 'revoke seats' },
  'holders.page': { notDone: 'Page not shown', work: 'see who holds a license' },
  'seat.approve': { notDone: 'Not approved', work: 'approve requests' },
  'seat.deny': { notDone: 'Not denied', work: 'deny requests' },
  'my-seats.page': { notDone: 'Page not shown', work: 'page through their seats' },
  'pending.page': { notDone: 'Page not shown', work: 'see pending requests' },
  'expiring.page': { notDone: 'Page not shown', work: 'page through what expires' },
  'seat.restore': { notDone: 'Not undone', work: 'undo a release or revoke' },
  'seat.extend': { notDone: 'Seat not extended', work: 'extend seats' },
  'seat.keep': { notDone: 'Seat not kept', work: 'keep their idle seats' },
  'waitlist.join': { notDone: 'Not on the waitlist', work: 'join a waitlist' },
  'waitlist.claim': { notDone: 'Seat not claimed', work: 'claim a held seat' },
  'waitlist.leave': { notDone: 'Still on the waitlist', work: 'leave a waitlist' },
  'history.more': { notDone: 'Page not shown', work: 'page through a history' },
  'provision.retry': { notDone: 'Not retried', work: 'retry vendor changes' },
  'provision.cancel': { notDone: 'Not cancelled', work: 'cancel vendor changes' },
};

/** The one sentence for days out of range, in chat and on cards. */
export const DAYS_RULE = `A seat can be asked for 1 to ${MAX_DAYS} days (a whole number), or with no end date: leave the days empty.`;

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** Webex sends Input.Number values as strings: "14", "-3", "2.5" and "1e3" are numbers, to be judged as numbers. */
const numericString = (v: unknown): unknown =>
  typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v) ? Number(v) : v;

/** An id the card carries; `choose` says what to pick when a choice set was left empty. */
const id = (choose: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: (iss) => (iss.input === undefined ? choose : 'This card sent something I cannot read; ask again for a fresh card.') })
      .min(1, choose)
      .max(MAX_ID_CHARS, 'This card sent something I cannot read; ask again for a fresh card.'),
  );
const PAGE_GONE = 'That page does not exist any more; ask again for the list.';
const page = z.preprocess(numericString, z.number(PAGE_GONE).int(PAGE_GONE).min(0, PAGE_GONE).max(100_000, PAGE_GONE));
const days = z.preprocess(
  (v) => numericString(blankToUndefined(v)),
  z.number(DAYS_RULE).int(DAYS_RULE).min(1, DAYS_RULE).max(MAX_DAYS, DAYS_RULE).optional(),
);
const text = (what: string) =>
  z.preprocess(
    (v) => blankToUndefined(typeof v === 'string' ? v.trim() : v),
    z
      .string(`The ${what} must be text.`)
      .max(MAX_TEXT_INPUT, tooLong(`The ${what}`, MAX_TEXT_INPUT))
      .optional(),
  );

const CHOOSE_LICENSE = 'Choose a license first.';
const CARD_LICENSE = 'This card no longer says which license it is about; ask again with "seats <license>".';

/** One zod schema per action, over the merged inputs + data object Webex returns. Extra keys are dropped. */
export const cardActionSchemas = {
  'pool.show': z.object({ action: z.literal('pool.show'), poolId: id(CHOOSE_LICENSE) }),
  'summary.page': z.object({ action: z.literal('summary.page'), page }),
  'seat.request': z.object({
    action: z.literal('seat.request'),
    poolId: id(CARD_LICENSE),
    days,
    reason: text('reason'),
  }),
  'seat.release': z.object({ action: z.literal('seat.release'), assignmentId: id('Choose the seat to release first.') }),
  'seat.cancel': z
    .object({ action: z.literal('seat.cancel'), [PENDING_CHOICE_INPUT]: id('Choose the request to cancel first.') })
    .transform((v) => ({ action: v.action, assignmentId: v[PENDING_CHOICE_INPUT] })),
  'seat.revoke': z.object({
    action: z.literal('seat.revoke'),
    poolId: id(CARD_LICENSE),
    assignmentId: id('Choose the seat to revoke first.'),
    note: text('note'),
  }),
  'holders.page': z.object({ action: z.literal('holders.page'), poolId: id(CARD_LICENSE), page }),
  'seat.approve': z.object({
    action: z.literal('seat.approve'),
    assignmentId: id('Choose the request to approve first.'),
    note: text('note'),
  }),
  'seat.deny': z.object({ action: z.literal('seat.deny'), assignmentId: id('Choose the request to deny first.'), note: text('note') }),
  'my-seats.page': z.object({ action: z.literal('my-seats.page'), page }),
  'pending.page': z.object({ action: z.literal('pending.page'), page }),
  'expiring.page': z.object({
    action: z.literal('expiring.page'),
    page,
    days: z.preprocess(numericString, z.number(PAGE_GONE).int(PAGE_GONE).min(0, PAGE_GONE).max(MAX_LOOKAHEAD_DAYS, PAGE_GONE).optional()),
  }),
  'seat.restore': z.object({ action: z.literal('seat.restore'), assignmentId: id('This card no longer says which seat it is about.') }),
  'seat.extend': z.object({
    action: z.literal('seat.extend'),
    assignmentId: id('This card no longer says which seat it is about.'),
    days: z.preprocess(numericString, z.number(DAYS_RULE).int(DAYS_RULE).min(1, DAYS_RULE).max(MAX_DAYS, DAYS_RULE)),
  }),
  'seat.keep': z.object({ action: z.literal('seat.keep'), assignmentId: id('This card no longer says which seat it is about.') }),
  'waitlist.join': z.object({ action: z.literal('waitlist.join'), poolId: id(CARD_LICENSE) }),
  'waitlist.claim': z.object({ action: z.literal('waitlist.claim'), poolId: id(CARD_LICENSE) }),
  'waitlist.leave': z.object({ action: z.literal('waitlist.leave'), poolId: id(CARD_LICENSE) }),
  /** The next page of a history: events older than `before` (an audit event id), of one license or (empty) the viewer's own. */
  'history.more': z.object({
    action: z.literal('history.more'),
    poolId: z.preprocess(blankToUndefined, z.string(PAGE_GONE).max(MAX_ID_CHARS, PAGE_GONE).optional()),
    before: id(PAGE_GONE),
  }),
  'provision.retry': z.object({ action: z.literal('provision.retry'), intentId: id('This card no longer says which vendor change it is about.') }),
  'provision.cancel': z.object({ action: z.literal('provision.cancel'), intentId: id('This card no longer says which vendor change it is about.') }),
} satisfies { [K in CardActionName]: z.ZodType<{ action: K }, unknown> };

type Schemas = typeof cardActionSchemas;
/** A parsed card submit, discriminated by `action`. */
export type CardAction = { [K in CardActionName]: z.output<Schemas[K]> }[CardActionName];
/** The parsed submit of one action. */
export type CardActionOf<K extends CardActionName> = z.output<Schemas[K]>;

const ACTION_NAMES: ReadonlySet<string> = new Set(CARD_ACTION_NAMES);

/** A Set, not a property lookup: "__proto__" or "constructor" as an action name is just unknown. */
export function isCardActionName(v: unknown): v is CardActionName {
  return typeof v === 'string' && ACTION_NAMES.has(v);
}

/** The budget of one submit, checked before anything reads it: a handful of flat values, none over the cap. */
function overBudget(inputs: Record<string, unknown>): boolean {
  const values = Object.values(inputs);
  return (
    values.length > MAX_CARD_INPUTS ||
    values.some((v) =>
      typeof v === 'string' ? v.length > MAX_CARD_INPUT_CHARS : typeof v === 'object' && v !== null,
    )
  );
}

/** A card submit that cannot be run, in words for the person who pressed it (never an internal name). */
export interface CardActionRefusal {
  ok: false;
  title: string;
  error: string;
}

const UNREADABLE = 'I could not read what this card sent. It may come from an older version of me: ask again for a fresh card (say "help" to see what I can do).';

/** Parse the inputs of an attachmentAction (data merged with input values) into a typed action. */
export function parseCardAction(inputs: unknown): { ok: true; action: CardAction } | CardActionRefusal {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    return { ok: false, title: 'Cannot do that', error: UNREADABLE };
  }
  if (overBudget(inputs as Record<string, unknown>)) {
    return {
      ok: false,
      title: 'Cannot do that',
      error: `That card sent more than a card of mine can: at most ${MAX_CARD_INPUTS} fields, each at most ${MAX_CARD_INPUT_CHARS} characters.`,
    };
  }
  const name: unknown = Object.hasOwn(inputs, 'action') ? (inputs as Record<string, unknown>)['action'] : undefined;
  if (!isCardActionName(name)) return { ok: false, title: 'Cannot do that', error: UNREADABLE };
  const result = cardActionSchemas[name].safeParse(inputs);
  if (!result.success) {
    const messages = [...new Set(result.error.issues.map((i) => i.message))];
    return { ok: false, title: CARD_ACTION_WORDS[name].notDone, error: messages.join(' ') };
  }
  return { ok: true, action: result.data };
}
