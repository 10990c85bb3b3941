/**
 * The words the command phrasings are written with, as `normalizeCommandText` spells them. A word of a message
 * that is one slip away from one of them (two for long words) and starts with the same letter is read as it:
 * "licences", "lisence" → "license(s)", "relase" → "release", "reqest" → "request".
 */
const KEYWORDS = [
  'help',
  'commands',
  'license',
  'licenses',
  'release',
  'request',
  'requests',
  'expiring',
  'expires',
  'renewal',
  'renewals',
  'pending',
  'approve',
  'approval',
  'approvals',
  'revoke',
  'assign',
  'digest',
  'holders',
  'available',
  'availability',
  'remaining',
  'summary',
  'overview',
  'refresh',
  'return',
  'withdraw',
  'cancel',
  'because',
  'anymore',
] as const;

/** Real words near a keyword that mean something else, left as they are. */
const KEEP = new Set<string>([
  ...KEYWORDS,
  'licensed',
  'licensee',
  'released',
  'requested',
  'expired',
  'expire',
  'approved',
  'revoked',
  'assigned',
  'returned',
  'cancelled',
  'canceled',
  'withdrawn',
  'helps',
  'helped',
  'helper',
  'pendant',
]);

/** Misspellings further than the distance rule allows. */
const KNOWN_SLIPS: ReadonlyMap<string, string> = new Map([
  ['hepl', 'help'],
  ['halp', 'help'],
  ['realese', 'release'],
  ['realease', 'release'],
  ['relaese', 'release'],
  ['liscence', 'license'],
  ['liscences', 'licenses'],
  ['lisences', 'licenses'],
  ['licsenses', 'licenses'],
]);

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits), capped at `max + 1`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/** The command keyword a (lower-case) word was meant to be, or the word itself. */
export function correctCommandWord(word: string): string {
  const slip = KNOWN_SLIPS.get(word);
  if (slip !== undefined) return slip;
  if (word.length < 5 || KEEP.has(word) || !/^\p{Ll}+$/u.test(word)) return word;
  const max = word.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const k of KEYWORDS) {
    if (k[0] !== word[0]) continue;
    const d = distance(word, k, max);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best ?? word;
}
