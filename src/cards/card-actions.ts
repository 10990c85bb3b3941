import { z } from 'zod';
import { MAX_DAYS, MAX_TEXT } from '../domain/ledger-command.js';
import { MAX_CARD_INPUT_CHARS, MAX_CARD_INPUTS, MAX_ID_CHARS } from '../domain/input-limits.js';

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
] as const;

export type CardActionName = (typeof CARD_ACTION_NAMES)[number];

/** Max characters of a free-text input (reason, note): the ledger's limit; the cards set the same maxLength. */
export const MAX_TEXT_INPUT = MAX_TEXT;
/** Input id of the ChoiceSet of pending requests on the my-seats card (ids must be unique per card). */
export const PENDING_CHOICE_INPUT = 'pendingAssignmentId';

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const numericString = (v: unknown): unknown =>
  typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;

const id = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({
        error: (iss) =>
          iss.input === undefined ? `${what} is missing: choose one first` : `${what} must be text`,
      })
      .min(1, `${what} is missing: choose one first`)
      .max(MAX_ID_CHARS, `${what} is too long`),
  );
const page = z.preprocess(
  numericString,
  z
    .number('page must be a number')
    .int('page must be a whole number')
    .min(0, 'page must be 0 or more')
    .max(100_000, 'page is too large'),
);
const days = z.preprocess(
  (v) => numericString(blankToUndefined(v)),
  z
    .number('days must be a number')
    .int('days must be a whole number')
    .min(1, `days must be from 1 to ${MAX_DAYS}`)
    .max(MAX_DAYS, `days must be from 1 to ${MAX_DAYS}`)
    .optional(),
);
const text = (what: string) =>
  z.preprocess(
    (v) => blankToUndefined(typeof v === 'string' ? v.trim() : v),
    z
      .string(`${what} must be text`)
      .max(MAX_TEXT_INPUT, `${what} must be at most ${MAX_TEXT_INPUT} characters`)
      .optional(),
  );

/** One zod schema per action, over the merged inputs + data object Webex returns. Extra keys are dropped. */
export const cardActionSchemas = {
  'pool.show': z.object({ action: z.literal('pool.show'), poolId: id('license') }),
  'summary.page': z.object({ action: z.literal('summary.page'), page }),
  'seat.request': z.object({
    action: z.literal('seat.request'),
    poolId: id('license'),
    days,
    reason: text('reason'),
  }),
  'seat.release': z.object({ action: z.literal('seat.release'), assignmentId: id('seat') }),
  'seat.cancel': z
    .object({ action: z.literal('seat.cancel'), [PENDING_CHOICE_INPUT]: id('request') })
    .transform((v) => ({ action: v.action, assignmentId: v[PENDING_CHOICE_INPUT] })),
  'seat.revoke': z.object({
    action: z.literal('seat.revoke'),
    poolId: id('license'),
    assignmentId: id('seat'),
    note: text('note'),
  }),
  'holders.page': z.object({ action: z.literal('holders.page'), poolId: id('license'), page }),
  'seat.approve': z.object({
    action: z.literal('seat.approve'),
    assignmentId: id('request'),
    note: text('note'),
  }),
  'seat.deny': z.object({ action: z.literal('seat.deny'), assignmentId: id('request'), note: text('note') }),
  'my-seats.page': z.object({ action: z.literal('my-seats.page'), page }),
  'pending.page': z.object({ action: z.literal('pending.page'), page }),
  'expiring.page': z.object({ action: z.literal('expiring.page'), page }),
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

/** Parse the inputs of an attachmentAction (data merged with input values) into a typed action. */
export function parseCardAction(
  inputs: unknown,
): { ok: true; action: CardAction } | { ok: false; error: string } {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    return { ok: false, error: 'Card inputs must be an object.' };
  }
  if (overBudget(inputs as Record<string, unknown>)) {
    return {
      ok: false,
      error: `The card sent more than a card may: at most ${MAX_CARD_INPUTS} inputs, each a value of at most ${MAX_CARD_INPUT_CHARS} characters.`,
    };
  }
  const name: unknown = Object.hasOwn(inputs, 'action')
    ? (inputs as Record<string, unknown>)['action']
    : undefined;
  if (name === undefined || name === null || name === '') {
    return { ok: false, error: 'The card did not say what to do (no "action" in its data).' };
  }
  if (!isCardActionName(name)) {
    const shown = typeof name === 'string' ? `"${name.slice(0, 60)}"` : `of type ${typeof name}`;
    return { ok: false, error: `Unknown card action ${shown}.` };
  }
  const result = cardActionSchemas[name].safeParse(inputs);
  if (!result.success) {
    const details = result.error.issues.map((i) => i.message).join('; ');
    return { ok: false, error: `Cannot run "${name}": ${details}.` };
  }
  return { ok: true, action: result.data };
}
