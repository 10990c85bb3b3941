/** Webex's limit for `text`/`markdown`/`html`, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 7439;
const TRUNCATION_MARK = '\n\n… (truncated)';

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, marking the cut. */
export function truncateUtf8(text: string, maxBytes: number = MAX_MESSAGE_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATION_MARK, 'utf8');
  let used = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > budget) break;
    used += n;
    out += ch;
  }
  return out + TRUNCATION_MARK;
}
