import type { HelpCardData } from '../card-data.js';
import { escapeMarkdown } from '../escape-markdown.js';
import type { CardView } from './card-view.js';

const DEFAULT_INTRO =
  'I keep track of software-license seats: see what is free, request a seat, and release it when done.';

export function helpView(d: HelpCardData): CardView {
  const rows = d.commands
    .filter((c) => d.viewerIsAdmin || !c.adminOnly)
    .map((c) => ({
      title: `**${escapeMarkdown(c.usage, 80)}**${c.adminOnly ? ' (admin)' : ''}`,
      detail: escapeMarkdown(c.description, 300),
    }));
  const intro = escapeMarkdown(d.intro ?? DEFAULT_INTRO, 500);
  const view = {
    title: 'License bot: what I can do',
    intro,
    rows,
    empty: rows.length === 0,
    emptyText: 'No commands are available.',
  };
  const fallback = [`**${view.title}**`, intro, ...rows.map((r) => `- ${r.title}: ${r.detail}`)];
  return { view, fallback };
}
