/**
 * Make user- or vendor-supplied text safe to put into a card or a markdown message.
 *
 * - Control and bidi-override characters are dropped, line breaks and tabs become one space (no block
 *   markdown: lists, quotes, headings).
 * - Long text is cut at `maxChars` code points with an ellipsis (before escaping, so no escape is split).
 * - `escapeMarkdown` backslash-escapes what Webex markdown would act on: emphasis, code, links and images,
 *   `<@all>`-style mentions and HTML, headings, list markers.
 * - Both neutralise `${` (template syntax) by putting a zero-width space between `$` and `{`: it looks the
 *   same, cannot be evaluated, and is not flagged as a template leftover.
 */

export const TEMPLATE_OPEN_SAFE = '$\u200B{';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const DROP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const BREAKS = /\s*[\r\n\t\u2028\u2029]+\s*/g;
const MARKDOWN_SPECIAL = /[\\`*_[\]()<>~#|&!]/g;
const LEADING_LIST = /^([-+])(\s)/;
const LEADING_ORDERED = /^(\d+)([.)])(\s|$)/;

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

/** Keep `${` in data from ever reading as a template expression. */
export function neutralizeTemplate(text: string): string {
  return text.split('${').join(TEMPLATE_OPEN_SAFE);
}

/** For places Webex does not render markdown (choice titles, button titles, placeholders). */
export function plainText(text: string | null | undefined, maxChars = 300): string {
  return neutralizeTemplate(clean(text ?? '', maxChars));
}

/** For TextBlocks, FactSet values and the markdown fallback. */
export function escapeMarkdown(text: string | null | undefined, maxChars = 300): string {
  const escaped = clean(text ?? '', maxChars)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(LEADING_LIST, '\\$1$2')
    .replace(LEADING_ORDERED, '$1\\$2$3');
  return neutralizeTemplate(escaped);
}
