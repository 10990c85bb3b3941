import type { PersonText } from './card-data.js';
import { plainText } from './escape-markdown.js';
import { safeMd, userText, type Markdown } from './safe-md.js';

/** "Ana Díaz (ana@example.com)", made inert; either part may be missing. */
export function personLabel(p: PersonText | null, whenNobody = 'the bot'): Markdown {
  if (p === null) return safeMd`${whenNobody}`;
  const name = p.name?.trim() ? p.name : '';
  const email = p.email?.trim() ? p.email : '';
  if (name && email) return safeMd`${userText(name, 80)} (${userText(email, 120)})`;
  if (name || email) return userText(name || email, name ? 80 : 120);
  return safeMd`someone unknown`;
}

/** The same label for places without markdown (choice titles): "Ana Díaz (ana@example.com)". */
export function personPlain(p: PersonText): string {
  const name = p.name?.trim() ?? '';
  const email = p.email?.trim() ?? '';
  return plainText(name && email ? `${name} (${email})` : name || email || 'someone unknown', 200);
}
