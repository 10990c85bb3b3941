/**
 * THE text policy: how vendor and user text (product and vendor names, SKUs, reasons, notes, person names,
 * emails, vendor error bodies) is shown, so that it can never become markup, a link or a mention, and still
 * reads as what was typed. The bot's own wording is never passed through here: it carries no escapes.
 * `safeMd` (safe-md.ts) applies these rules to every value interpolated into the bot's wording.
 *
 * What each surface renders (and so what must be neutralised there):
 * - Card TextBlocks and FactSets: the Adaptive Cards markdown subset, **bold**, _italic_, bulleted and numbered
 *   lists and [links](url); "not supported: headers, tables, images, anything not in the table above"
 *   (learn.microsoft.com/adaptive-cards/authoring-cards/text-features, "Markdown (Commonmark subset)"; the
 *   TextBlock schema points there: adaptivecards.io/explorer/TextBlock.html). Renderers HTML-escape `< > & "`
 *   themselves (microsoft/AdaptiveCards source/shared/cpp/ObjectModel/MarkDownParser.cpp, EscapeText), and
 *   Microsoft's own parser treats `\` only as "do not start emphasis here", leaving the backslash on screen
 *   (MarkDownBlockParser.cpp): a backslash escape in a card is an artefact. → `cardText`.
 * - Plain messages and card fallbacks (the `markdown` of POST /messages): Webex's message markdown, a wider
 *   CommonMark-like set: bold, italic, links, ordered and unordered lists, block quotes, inline code, fenced
 *   code blocks and mentions `<@personEmail:…|…>`, `<@personId:…>`, `<@all>` (developer.webex.com/docs/basics,
 *   "Formatting Messages"); Webex also autolinks bare URLs. → `messageText`.
 * - Choice titles, button titles, placeholders: no markdown at all. → `plainText`.
 *
 * How, with no backslash anywhere (one renderer drops it, another shows it, so it cannot be right in both):
 * 1. Control and bidi-override characters are dropped; line breaks and tabs become one space, so a value can
 *    never open a block (list, quote, heading, table, code fence) on a line of its own.
 * 2. Long text is cut at `maxChars` code points, at a word boundary when one is near, with an ellipsis.
 * 3. Links and mentions get an invisible zero-width space (U+200B, ␣ here): `https␣://evil␣.example` (every
 *    `://` and the dots of the URL after it), `www␣.`, `<␣@all>`, and `]␣(` so `[text](url)` and `![alt](src)`
 *    are no link or image. Bare domains and emails (Monday.com, ana_diaz@example.com) stay as typed: they
 *    show their own text, and admins copy emails from cards into commands.
 * 4. Emphasis delimiters become look-alikes that no parser reads as markup: `*` → `∗` (U+2217), and `_` →
 *    `＿` (U+FF3F) unless it sits alone between two letters or digits (`ana_diaz`, `per_01JB`), where no
 *    CommonMark or Adaptive Cards parser starts emphasis, so emails and ids keep their real `_`.
 * 5. A leading list marker (`- `, `+ `, `1. `, `1) `), heading `#` or quote `>` gets a zero-width space in front:
 *    no block (cards document only lists, but renderers built on CommonMark, such as markdown-it in the
 *    Adaptive Cards JavaScript renderer, draw the others too).
 * 6. A backslash that would escape the next character (or the bot's own markup after the value) gets a
 *    zero-width space after it, so it shows as typed and escapes nothing.
 * 7. Messages only (cards document none of these, and their renderers HTML-escape): backticks become `ˋ`
 *    (U+02CB, no code span), `~` becomes `∼` (U+223C, no strikethrough), and `<` before a tag, autolink or
 *    comment and `&` before an entity get a zero-width space.
 * 8. `${` (template syntax) becomes `$␣{` everywhere: it looks the same, is never evaluated, and is not taken
 *    for a template leftover.
 */

import { nameInText } from '../domain/name-in-text.js';

export const TEMPLATE_OPEN_SAFE = '$\u200B{';
/** Zero-width space: invisible, and breaks every link, mention and block pattern it is put into. */
const ZWSP = '\u200B';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const DROP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const BREAKS = /\s*[\r\n\t\u2028\u2029]+\s*/g;
/** "://" and the rest of that URL up to the next space (whatever the scheme before it). */
const URL_TAIL = /:\/\/\S*/g;
const SCHEME_SEPARATOR = /:\/\//g;
const WWW = /\b(www)\./gi;
const MENTION = /<@/g;
const LINK_DESTINATION = /\]\(/g;
const ASTERISK = /\*/g;
/** An underscore that is not a single one between two letters or digits. */
const LOOSE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|_(?=_)|(?<=_)_/gu;
const LEADING_BLOCK = /^(?=[-+]\s|\d{1,9}[.)](\s|$)|[#>])/;
const ESCAPING_BACKSLASH = /\\(?=[!-/:-@[-`{-~]|$)/g;
const BACKTICK = /`/g;
const TILDE = /~/g;
const HTML_OPEN = /<(?=[A-Za-z/!?])/g;
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;

// Most values hold none of the characters the rules act on: these tests (no /g, no lastIndex state) let such a
// value skip the replace passes; the output is the same, since every pass needs one of these characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const NEEDS_CLEANING = /[\u0000-\u001F\u007F\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069]/;
const NEEDS_DEFUSING = /[:<\]\\*_`~&$]|www\./i;

function clean(text: string, maxChars: number): string {
  const kept = NEEDS_CLEANING.test(text) ? text.replace(DROP, '').replace(BREAKS, ' ') : text;
  const trimmed = kept.trim();
  // No longer than maxChars UTF-16 units means no more code points either: nameInText would return it as is.
  return trimmed.length <= maxChars ? trimmed : nameInText(trimmed, maxChars);
}

/** A cleaned value no step after cleaning would change. */
function isInert(cleaned: string): boolean {
  return !NEEDS_DEFUSING.test(cleaned) && !LEADING_BLOCK.test(cleaned);
}

/** Steps 3, 5 and 6: what no Webex surface may read as a link, mention, list or escape. */
function defuse(text: string): string {
  return text
    .replace(URL_TAIL, (tail) => tail.split('.').join(`${ZWSP}.`))
    .replace(SCHEME_SEPARATOR, `${ZWSP}://`)
    .replace(WWW, `$1${ZWSP}.`)
    .replace(MENTION, `<${ZWSP}@`)
    .replace(LINK_DESTINATION, `]${ZWSP}(`)
    .replace(ESCAPING_BACKSLASH, `\\${ZWSP}`);
}

/** Steps 4 and 5: no emphasis and no block in any renderer. */
function noEmphasis(text: string): string {
  return text.replace(ASTERISK, '∗').replace(LOOSE_UNDERSCORE, '＿').replace(LEADING_BLOCK, ZWSP);
}

/** Keep `${` in data from ever reading as a template expression. */
export function neutralizeTemplate(text: string): string {
  return text.split('${').join(TEMPLATE_OPEN_SAFE);
}

/** For places Webex does not render markdown (choice titles, button titles, placeholders). */
export function plainText(text: string | null | undefined, maxChars = 300): string {
  return neutralizeTemplate(clean(text ?? '', maxChars));
}

/** Step 7: what only Webex messages render (code, strikethrough, HTML, entities). */
function messageOnly(text: string): string {
  return text
    .replace(BACKTICK, 'ˋ')
    .replace(TILDE, '∼')
    .replace(HTML_OPEN, `<${ZWSP}`)
    .replace(ENTITY, `&${ZWSP}`);
}

/** For card TextBlocks and FactSet titles and values: the Adaptive Cards markdown subset is inert. */
export function cardText(text: string | null | undefined, maxChars = 300): string {
  const cleaned = clean(text ?? '', maxChars);
  return isInert(cleaned) ? cleaned : neutralizeTemplate(noEmphasis(defuse(cleaned)));
}

/** For plain replies and card fallbacks: Webex message markdown (code, quotes, headings, HTML too) is inert. */
export function messageText(text: string | null | undefined, maxChars = 300): string {
  const cleaned = clean(text ?? '', maxChars);
  return isInert(cleaned) ? cleaned : neutralizeTemplate(messageOnly(noEmphasis(defuse(cleaned))));
}

/** `messageText` and `cardText` of one value, cleaning and defusing it once. */
export function inertTexts(text: string | null | undefined, maxChars = 300): { text: string; card: string } {
  const cleaned = clean(text ?? '', maxChars);
  if (isInert(cleaned)) return { text: cleaned, card: cleaned };
  const base = noEmphasis(defuse(cleaned));
  return { text: neutralizeTemplate(messageOnly(base)), card: neutralizeTemplate(base) };
}
