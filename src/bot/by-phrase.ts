import { normalizeCommandText } from './normalize-command-text.js';
import { parseDuration } from './parse-duration.js';

export type CommandArgs = Record<string, string | undefined>;

/**
 * Building blocks of the phrasings, written against normalised text (see normalize-command-text.ts): lower
 * case, no punctuation, "who's" as "whos", one space between words.
 */
const PARTS: Readonly<Record<string, string>> = {
  /** A product name, without the article before it or "seat"/"license"/"access" after it. */
  product:
    '(?:(?:the|a|an|one|any|some|our|my|your|more|another|extra|new) )?(?<product>.+?)(?: (?:seats?|licenses?|license seats?|access|accounts?|subscriptions?|requests?|users?))?',
  /** "for 2 weeks", "for a month", "for 14 days", "for 3d" (optional). */
  days: '(?: (?:for|during|over|lasting) (?<duration>(?:[^ ]+ ){0,3}(?:days?|weeks?|months?|years?|fortnights?)|\\d+ ?[dw]))?',
  /** "because I design" (optional; the reason is kept as written). */
  reason: '(?: (?:because|cause|cuz|coz|since|as|so that|so|for|to|reason) (?<reason>.+))?',
  email: '(?<email>[^ @]+@[^ ]+)',
  /** "in 2 weeks", "this month", "within the next 30 days", "soon" (optional). */
  window:
    '(?: (?<window>(?:(?:in|within|over|during|for|by|before|until|till|through) )?(?:the )?(?:(?:next|coming|following|this|end of(?: the)?) )?(?:(?:\\d+(?:\\.\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a )?couple of|(?:a )?few) ?)?(?:days?|d|weeks?|w|fortnights?|months?|quarters?|years?)|(?:(?:in|within|for|by) )?\\d+|soon|today|tomorrow))?',
};

function compile(template: string): RegExp {
  const source = template.replace(/\{(\w+)\}/g, (whole, name: string) => PARTS[name] ?? whole);
  // `d`: group indices, to give back what the person wrote for a product or a reason.
  return new RegExp(`^(?:${source})$`, 'd');
}

/** Groups taken as the person wrote them (case, inner punctuation); the others as normalised. */
const AS_WRITTEN = new Set(['product', 'reason']);

/**
 * A command's matcher from phrasings (regular-expression sources with {product}, {days}, {reason}, {email},
 * {window} parts), tried in order on the normalised text. Returns the named groups: product and reason as
 * written, a {days} or {window} phrase as a number of days in `days` (a {days} phrase that names no length is
 * passed on as written, so the command can say why; a {window} one such as "soon" leaves the default),
 * everything else normalised. `shape` may rewrite the result.
 */
export function byPhrase(
  templates: readonly string[],
  shape: (args: CommandArgs) => CommandArgs | null = (args) => args,
): (text: string) => CommandArgs | null {
  const patterns = templates.map(compile);
  return (text) => {
    const normalized = normalizeCommandText(text);
    for (const p of patterns) {
      const m = p.exec(normalized.text);
      if (!m) continue;
      const args: CommandArgs = {};
      for (const [name, value] of Object.entries(m.groups ?? {})) {
        if (value === undefined) continue;
        const at = m.indices?.groups?.[name];
        args[name] = AS_WRITTEN.has(name) && at ? normalized.original(at[0], at[1]) : value;
      }
      // "for 2 weeks" must name a length (else the command says why); "expiring soon" may leave it to the default.
      const duration = args['duration'];
      const window = args['window'];
      delete args['duration'];
      delete args['window'];
      if (duration !== undefined) args['days'] = String(parseDuration(duration) ?? duration);
      const windowDays = window === undefined ? undefined : parseDuration(window);
      if (windowDays !== undefined) args['days'] = String(windowDays);
      return shape(args);
    }
    return null;
  };
}
