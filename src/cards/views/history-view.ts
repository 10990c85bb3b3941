import type { Markdown } from '../safe-md.js';
import type { CardView } from './card-view.js';

/** A page of a seat or license history: lines composed by the bot, and the More button's cursor. */
export interface HistoryCardData {
  title: Markdown;
  lines: Markdown[];
  /** The next page: events older than the audit event `before`, of one license (`poolId`) or the viewer's own (null). */
  more: { poolId: string | null; before: string } | null;
  /** Extra fallback line (how to get the next page by chat). */
  hint?: Markdown | null;
}

export function historyView(d: HistoryCardData): CardView {
  const view = {
    title: d.title.card,
    lines: d.lines.map((l) => ({ line: l.card })),
    hasMore: d.more !== null,
    morePoolId: d.more?.poolId ?? '',
    moreBefore: d.more?.before ?? '',
  };
  const fallback = [
    d.title.text,
    ...d.lines.map((l) => l.text),
    ...(d.hint ? [d.hint.text] : d.more ? ['More: press More on the card.'] : []),
  ];
  return { view, fallback };
}
