import type { HelpCardData } from '../card-data.js';
import { safeMd, userText } from '../safe-md.js';
import { cardRow, fallbackRow, type CardView, type Row } from './card-view.js';

const DEFAULT_INTRO = 'I keep track of software-license seats: see what is free, request a seat, and release it when done.';

/**
 * The command list. Usages are the bot's own wording and are shown exactly as written ("request <product>
 * [days]"); they pass the text policy only so that `<product>` cannot read as an HTML tag in a message, which
 * adds no visible character.
 */
export function helpView(d: HelpCardData): CardView {
  const rows: Row[] = d.commands
    .filter((c) => d.viewerIsAdmin || !c.adminOnly)
    .map((c) => ({
      title: safeMd`**${userText(c.usage, 120)}**${c.adminOnly ? safeMd` (admin)` : safeMd``}`,
      detail: userText(c.description, 300),
    }));
  const intro = userText(d.intro ?? DEFAULT_INTRO, 500);
  const view = {
    title: 'License bot: what I can do',
    intro: intro.card,
    rows: rows.map(cardRow),
    empty: rows.length === 0,
    emptyText: 'No commands are available.',
  };
  const fallback = [`**${view.title}**`, intro.text, ...rows.map(fallbackRow)];
  return { view, fallback };
}
