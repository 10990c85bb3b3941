import { AppError } from '../errors.js';
import { escapeMarkdown } from './escape-markdown.js';

declare const MARKDOWN: unique symbol;

/** Webex markdown the bot composed: its own words as written, every interpolated value escaped. */
export interface Markdown {
  readonly text: string;
  readonly [MARKDOWN]: true;
}

/** What may be interpolated: text (escaped), numbers (safe as they are), markdown built by `safeMd` (kept). */
export type MarkdownValue = string | number | Markdown | readonly Markdown[];

/** Longest interpolated value, in code points; longer values are cut with an ellipsis. */
export const MAX_INTERPOLATED_CHARS = 1000;

const built = new WeakSet<object>();

function isList(v: MarkdownValue): v is readonly Markdown[] {
  return Array.isArray(v);
}

function render(v: MarkdownValue): string {
  if (typeof v === 'string') return escapeMarkdown(v, MAX_INTERPOLATED_CHARS);
  if (typeof v === 'number') return String(v);
  if (isList(v)) return v.map(render).join('');
  if (built.has(v)) return v.text;
  throw new AppError('MARKDOWN_NOT_BUILT', 'Only markdown made by safeMd`…` may be interpolated unescaped');
}

/**
 * The only way the bot writes a plain (non-card) reply: safeMd`Granted **${product}** to ${email}.` keeps the
 * literal wording (and its markup) untouched and escapes each `${…}` with the one rule in
 * escape-markdown.ts, so vendor and user text can never become a link, mention or markup, and the bot's
 * own words never carry escape backslashes. A list of `safeMd` values is joined as it is.
 * (Not named `md`: Prettier formats templates tagged `md` as Markdown and would rewrite the bot's wording.)
 */
export function safeMd(literals: TemplateStringsArray, ...values: readonly MarkdownValue[]): Markdown {
  let text = literals[0] ?? '';
  values.forEach((v, i) => {
    text += render(v) + (literals[i + 1] ?? '');
  });
  const out = Object.freeze({ text }) as unknown as Markdown;
  built.add(out);
  return out;
}
