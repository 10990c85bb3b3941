/** The bot as a message may mention it. */
export interface MentionTarget {
  id: string;
  displayName: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Texts shown for spark-mentions of the bot in `html` (the user may have shortened the name). */
function mentionLabels(html: string, bot: MentionTarget): string[] {
  const labels: string[] = [];
  const re = /<spark-mention\b([^>]*)>([\s\S]*?)<\/spark-mention>/gi;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    const attrs = m[1] ?? '';
    const id = /data-object-id="([^"]*)"/i.exec(attrs)?.[1];
    const isPerson = /data-object-type="person"/i.test(attrs);
    if (isPerson && id !== undefined && (id === bot.id || sameUuid(id, bot.id)))
      labels.push(decodeEntities(m[2] ?? '').trim());
  }
  return labels;
}

/** Webex sometimes puts the bare uuid in data-object-id where the API uses the base64 Hydra id. */
function sameUuid(a: string, hydraId: string): boolean {
  try {
    const decoded = Buffer.from(hydraId, 'base64').toString('utf8');
    return decoded.endsWith(`/${a}`);
  } catch {
    return false;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The message text without the bot's @mention, trimmed. The mention is found through the html's
 * spark-mention of the bot, else the bot's display name (or its first word) at the start of the text.
 */
export function stripMention(text: string, html: string | undefined, bot: MentionTarget): string {
  const trimmed = text.trim();
  const labels = [
    ...(html === undefined ? [] : mentionLabels(html, bot)),
    bot.displayName,
    bot.displayName.split(/\s+/)[0] ?? '',
  ]
    .filter((l) => l !== '')
    .sort((a, b) => b.length - a.length);
  for (const label of labels) {
    const lead = new RegExp(`^@?${escapeRe(label)}(?=$|[\\s,:;!?.])[\\s,:;]*`, 'i');
    if (lead.test(trimmed)) return trimmed.replace(lead, '').trim();
  }
  const fromHtml = html === undefined ? [] : mentionLabels(html, bot);
  for (const label of fromHtml) {
    const anywhere = new RegExp(`(^|\\s)@?${escapeRe(label)}(?=$|[\\s,:;!?.])`, 'i');
    if (anywhere.test(trimmed))
      return trimmed
        .replace(anywhere, '$1')
        .replace(/\s{2,}/g, ' ')
        .trim();
  }
  return trimmed;
}
