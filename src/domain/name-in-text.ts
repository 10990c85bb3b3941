/** Longest product or person name the ledger puts in a sentence, in code points. */
export const MAX_NAME_IN_TEXT = 120;

/**
 * A vendor or person name as the ledger's sentences carry it: whole when short, else cut at a word with an
 * ellipsis, so a 2,000-character product name never pushes the rest of the sentence off the message.
 */
export function nameInText(name: string, max = MAX_NAME_IN_TEXT): string {
  const trimmed = name.trim();
  const points = Array.from(trimmed);
  if (points.length <= max) return trimmed;
  const cut = points.slice(0, Math.max(0, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  const endsWord = /\s/.test(points[max - 1] ?? ' ');
  return `${(endsWord || space < cut.length * 0.6 ? cut : cut.slice(0, space)).trimEnd()}…`;
}
