import type { DecisionCardData, DecisionKind } from '../card-data.js';
import { escapeMarkdown } from '../escape-markdown.js';
import { formatDate, formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import type { CardView } from './card-view.js';
import { poolTitle } from './summary-view.js';

const HEADINGS: Record<DecisionKind, string> = {
  approved: '✅ Seat approved',
  granted: '✅ Seat granted',
  denied: '🚫 Request denied',
  released: '↩️ Seat released',
  revoked: '⛔ Seat revoked',
  expired: '⌛ Seat expired',
  cancelled: '✖️ Request cancelled',
};

export function decisionView(d: DecisionCardData): CardView {
  const facts = [
    { title: 'License', value: poolTitle(d.pool) },
    { title: 'For', value: personLabel(d.holder) },
    { title: 'By', value: personLabel(d.actor) },
    { title: 'When', value: formatDateTime(d.at) },
    { title: 'Seats', value: String(d.seats) },
    ...(d.expiresAt && (d.kind === 'approved' || d.kind === 'granted')
      ? [{ title: 'Expires', value: formatDate(d.expiresAt) }]
      : []),
    ...(d.note?.trim() ? [{ title: 'Note', value: escapeMarkdown(d.note, 300) }] : []),
  ];
  const view = { title: HEADINGS[d.kind], attention: d.kind === 'denied' || d.kind === 'revoked', facts };
  const fallback = [`**${view.title}**`, ...facts.map((f) => `- ${f.title}: ${f.value}`)];
  return { view, fallback };
}
