import type { DecisionCardData, DecisionKind } from '../card-data.js';
import { formatDate, formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import { safeMd, userText } from '../safe-md.js';
import { cardFact, fallbackFact, type CardView, type Fact } from './card-view.js';
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
  const facts: Fact[] = [
    { title: 'License', value: poolTitle(d.pool) },
    { title: 'For', value: personLabel(d.holder) },
    { title: 'By', value: personLabel(d.actor) },
    { title: 'When', value: safeMd`${formatDateTime(d.at, d.timeZone)}` },
    { title: 'Seats', value: safeMd`${d.seats}` },
    ...(d.expiresAt && (d.kind === 'approved' || d.kind === 'granted')
      ? [{ title: 'Expires', value: safeMd`${formatDate(d.expiresAt, d.timeZone)}` }]
      : []),
    ...(d.note?.trim() ? [{ title: 'Note', value: userText(d.note, 300) }] : []),
  ];
  const view = { title: HEADINGS[d.kind], attention: d.kind === 'denied' || d.kind === 'revoked', facts: facts.map(cardFact) };
  const fallback = [`**${view.title}**`, ...facts.map(fallbackFact)];
  return { view, fallback };
}
