import { countOf } from './count-of.js';
/** Webex's limit for `text`/`markdown`, in UTF-8 bytes. */
export const MAX_MARKDOWN_BYTES = 7439;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Join fallback lines and keep the result under the Webex limit: whole lines are dropped from the end and
 * a note says how many; a single overlong line is cut at a code point boundary.
 */
export function fitMarkdown(lines: readonly string[], maxBytes = MAX_MARKDOWN_BYTES): string {
  const full = lines.join('\n');
  if (bytes(full) <= maxBytes) return full;
  const kept: string[] = [];
  let used = 0;
  const noteFor = (dropped: number): string =>
    dropped > 0
      ? `\n_… ${countOf(dropped, 'more line')} not shown (message too long); open the card for everything._`
      : '\n_… cut (message too long); open the card for everything._';
  const reserve = bytes(noteFor(lines.length));
  for (const line of lines) {
    const cost = bytes(line) + (kept.length > 0 ? 1 : 0);
    if (used + cost + reserve > maxBytes) {
      if (kept.length === 0) kept.push(cutToBytes(line, maxBytes - reserve));
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.join('\n') + noteFor(lines.length - kept.length);
}

function cutToBytes(line: string, max: number): string {
  let out = '';
  for (const ch of line) {
    if (bytes(out) + bytes(ch) + bytes('…') > max) break;
    out += ch;
  }
  // A cut could leave a dangling backslash escape; drop it.
  return `${out.replace(/\\+$/, '')}…`;
}
