/**
 * THE escaping rule for every outgoing text: card TextBlocks and FactSets, card fallbacks and plain
 * replies (those go through `safeMd`, which applies `escapeMarkdown` to every interpolated value). Vendor and
 * user text (product and vendor names, reasons, notes, person names, vendor error bodies) must never
 * become a live link, a mention or markup in Webex markdown.
 *
 * - Control and bidi-override characters are dropped, line breaks and tabs become one space (no block
 *   markdown: lists, quotes, headings, tables).
 * - Long text is cut at `maxChars` code points with an ellipsis (before escaping, so no escape is split).
 * - Mentions and autolinks are defused with a zero-width space (U+200B, written ␣ here) first: `<@`
 *   becomes `<␣@`, `https://evil.example` becomes `https␣://evil␣.example` (every `://`, and the dots of the
 *   URL after it), `www.` becomes `www␣.`. Why not a backslash (`https\://`)? It only hides the URL from
 *   the markdown parser: the rendered text reads `https://` again, and Webex autolinks bare URLs in what it
 *   shows. A zero-width space survives rendering, is invisible, and no linkifier or mention parser reads
 *   `https␣://`, `evil␣.example` or `<␣@all>` as a link or a mention.
 *   Bare domains and emails ("Monday.com", ana@example.com) are left alone: they show their own text (no
 *   disguised link), and admins copy emails from cards into commands.
 * - `escapeMarkdown` then backslash-escapes the characters that start markup: emphasis `* _ ~`, code
 *   `` ` ``, links and images `[ ]`, HTML and mentions `< >`, entities `&`, headings `#`, tables `|`, the
 *   backslash itself, and a leading list marker (`- `, `+ `, `1. `). Parentheses and `!` stay as written:
 *   with `[` and `]` escaped they cannot form a link or image, so plain sentences ("(at most 300
 *   characters)") read the same in every client.
 * - Both functions neutralise `${` (template syntax) by putting a zero-width space between `$` and `{`: it
 *   looks the same, cannot be evaluated, and is not flagged as a template leftover.
 */

export const TEMPLATE_OPEN_SAFE = '$\u200B{';
/** Zero-width space: invisible, and breaks every mention and autolink pattern it is put into. */
const ZWSP = '\u200B';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const DROP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const BREAKS = /\s*[\r\n\t\u2028\u2029]+\s*/g;
const MARKDOWN_SPECIAL = /[\\`*_[\]<>~#|&]/g;
const LEADING_LIST = /^([-+])(\s)/;
const LEADING_ORDERED = /^(\d+)([.)])(\s|$)/;
/** "://" and the rest of that URL up to the next space (whatever the scheme before it). */
const URL_TAIL = /:\/\/\S*/g;
const SCHEME_SEPARATOR = /:\/\//g;
const WWW = /\b(www)\./gi;
const MENTION = /<@/g;

function clean(text: string, maxChars: number): string {
  const flat = text.replace(DROP, '').replace(BREAKS, ' ').trim();
  const points = Array.from(flat);
  return points.length <= maxChars
    ? flat
    : `${points
        .slice(0, Math.max(0, maxChars - 1))
        .join('')
        .trimEnd()}…`;
}

/** Make URLs and mentions inert for every Webex client (see the comment at the top for why not `\`). */
function defuse(text: string): string {
  return text
    .replace(URL_TAIL, (tail) => tail.split('.').join(`${ZWSP}.`))
    .replace(SCHEME_SEPARATOR, `${ZWSP}://`)
    .replace(WWW, `$1${ZWSP}.`)
    .replace(MENTION, `<${ZWSP}@`);
}

/** Keep `${` in data from ever reading as a template expression. */
export function neutralizeTemplate(text: string): string {
  return text.split('${').join(TEMPLATE_OPEN_SAFE);
}

/** For places Webex does not render markdown (choice titles, button titles, placeholders). */
export function plainText(text: string | null | undefined, maxChars = 300): string {
  return neutralizeTemplate(clean(text ?? '', maxChars));
}

/** For TextBlocks, FactSet values, the markdown fallback and (through `safeMd`) every plain reply. */
export function escapeMarkdown(text: string | null | undefined, maxChars = 300): string {
  const escaped = defuse(clean(text ?? '', maxChars))
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(LEADING_LIST, '\\$1$2')
    .replace(LEADING_ORDERED, '$1\\$2$3');
  return neutralizeTemplate(escaped);
}
