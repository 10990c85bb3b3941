import { AppError } from '../errors.js';
import { cardText, inertTexts, messageText } from './escape-markdown.js';

declare const MARKDOWN: unique symbol;

/**
 * Text the bot composed: its own words as written, every interpolated value made inert by the text policy
 * (escape-markdown.ts), once for each surface: `text` for Webex messages and card fallbacks, `card` for card
 * TextBlocks and facts.
 */
export interface Markdown {
  /** For plain replies and card fallbacks (Webex message markdown). */
  readonly text: string;
  /** For card TextBlocks and FactSets (the Adaptive Cards markdown subset). */
  readonly card: string;
  readonly [MARKDOWN]: true;
}

/** What may be interpolated: text (made inert), numbers (safe as they are), markdown built here (kept). */
export type MarkdownValue = string | number | Markdown | readonly Markdown[];

/** Longest interpolated value, in code points; longer values are cut with an ellipsis. */
export const MAX_INTERPOLATED_CHARS = 1000;

const built = new WeakSet<object>();

function isList(v: MarkdownValue): v is readonly Markdown[] {
  return Array.isArray(v);
}

function make(text: string, card: string): Markdown {
  const out = Object.freeze({ text, card }) as unknown as Markdown;
  built.add(out);
  return out;
}

function render(v: MarkdownValue, side: 'text' | 'card'): string {
  if (typeof v === 'string') return side === 'text' ? messageText(v, MAX_INTERPOLATED_CHARS) : cardText(v, MAX_INTERPOLATED_CHARS);
  if (typeof v === 'number') return String(v);
  if (isList(v)) return v.map((m) => render(m, side)).join('');
  if (built.has(v)) return v[side];
  throw new AppError('MARKDOWN_NOT_BUILT', 'Only markdown made by safeMd`…` may be interpolated unescaped');
}

/**
 * The only way the bot writes text: safeMd`Granted **${product}** to ${email}.` keeps the literal wording (and
 * its markup) untouched and makes each `${…}` inert with the rules in escape-markdown.ts, so vendor and user
 * text can never become a link, mention or markup, and the bot's own words never carry escapes. A list of
 * `safeMd` values is joined as it is.
 * (Not named `md`: Prettier formats templates tagged `md` as Markdown and would rewrite the bot's wording.)
 */
export function safeMd(literals: TemplateStringsArray, ...values: readonly MarkdownValue[]): Markdown {
  let text = literals[0] ?? '';
  let card = text;
  values.forEach((v, i) => {
    const after = literals[i + 1] ?? '';
    if (typeof v === 'string') {
      // Text is cleaned and defused once for both sides.
      const inert = inertTexts(v, MAX_INTERPOLATED_CHARS);
      text += inert.text + after;
      card += inert.card + after;
      return;
    }
    text += render(v, 'text') + after;
    card += render(v, 'card') + after;
  });
  return make(text, card);
}

/** One value of vendor or user text, cut at `maxChars` code points: `userText(pool.productName, 120)`. */
export function userText(value: string | null | undefined, maxChars: number): Markdown {
  const inert = inertTexts(value, maxChars);
  return make(inert.text, inert.card);
}

/** Markdown values joined with a separator written by the bot (" · ", ", "). */
export function joinMd(parts: readonly Markdown[], separator: string): Markdown {
  return make(parts.map((p) => p.text).join(separator), parts.map((p) => p.card).join(separator));
}
