import type { PersonText } from './card-data.js';
import { escapeMarkdown } from './escape-markdown.js';

/** "Ana Díaz (ana\@example.com)" escaped for markdown; either part may be missing. */
export function personLabel(p: PersonText | null, whenNobody = 'the bot'): string {
  if (p === null) return whenNobody;
  const name = p.name?.trim() ? escapeMarkdown(p.name, 80) : '';
  const email = p.email?.trim() ? escapeMarkdown(p.email, 120) : '';
  if (name && email) return `${name} (${email})`;
  return name || email || 'someone unknown';
}
