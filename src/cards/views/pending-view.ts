import type { PendingCardData } from '../card-data.js';
import { escapeMarkdown, plainText } from '../escape-markdown.js';
import { formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel } from '../person-label.js';
import type { CardView } from './card-view.js';
import { pagingView, withPage } from './card-view.js';
import { poolTitle } from './summary-view.js';
import { countOf } from '../count-of.js';

export function pendingView(d: PendingCardData): CardView {
  const sorted = [...d.requests].sort(
    (a, b) =>
      (a.requestedAt ?? '').localeCompare(b.requestedAt ?? '') ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  const rows = pg.items.map((r) => ({
    title: `${personLabel(r.requester)} → ${poolTitle(r.pool)}`,
    detail:
      `${countOf(r.seats, 'seat')} · asked ${formatDate(r.requestedAt)}` +
      `${r.expiresAt ? ` · until ${formatDate(r.expiresAt)}` : ''}` +
      `${r.reason?.trim() ? ` · reason: ${escapeMarkdown(r.reason, 300)}` : ''}`,
  }));
  const subtitle = withPage(
    `${countOf(d.requests.length, 'request')} waiting`,
    pg.label,
  );
  const view = {
    title: 'Pending requests',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'No requests are waiting for approval.',
    rows,
    hasChoices: rows.length > 0,
    choices: pg.items.map((r) => ({
      title: `${plainText(r.requester.name ?? r.requester.email ?? 'unknown', 50)}: ${plainText(r.pool.productName, 60)}`,
      value: r.assignmentId,
    })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**Pending requests** (${subtitle})`,
    ...(rows.length === 0 ? [view.emptyText] : rows.map((r) => `- ${r.title}: ${r.detail}`)),
  ];
  return { view, fallback };
}
