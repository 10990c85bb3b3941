import type { ApprovalRequestCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { escapeMarkdown } from '../escape-markdown.js';
import { formatDate, formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import type { CardView } from './card-view.js';
import { poolTitle } from './summary-view.js';
import { countOf } from '../count-of.js';

export function approvalRequestView(d: ApprovalRequestCardData): CardView {
  const u = describeUsage(d.usage, d.pool.policy.minFreeSeats);
  const duration =
    d.days === null
      ? d.expiresAt
        ? `until ${formatDate(d.expiresAt)}`
        : 'no end date'
      : `${countOf(d.days, 'day')}${d.expiresAt ? ` (until ${formatDate(d.expiresAt)})` : ''}`;
  const facts = [
    { title: 'Requested by', value: personLabel(d.requester) },
    { title: 'License', value: poolTitle(d.pool) },
    { title: 'Seats', value: String(d.seats) },
    { title: 'Reason', value: d.reason?.trim() ? escapeMarkdown(d.reason, 300) : '—' },
    { title: 'For', value: duration },
    { title: 'Requested', value: d.requestedAt ? formatDateTime(d.requestedAt) : '—' },
    { title: 'Availability', value: `${u.availability} · ${u.counts} (this request included)` },
  ];
  const view = {
    title: 'Seat request',
    subtitle: `${personLabel(d.requester)} asks for ${poolTitle(d.pool)}`,
    facts,
    assignmentId: d.assignmentId,
  };
  const fallback = [
    `**Seat request**: ${view.subtitle}`,
    ...facts.map((f) => `- ${f.title}: ${f.value}`),
    'Approve or deny it on the card.',
  ];
  return { view, fallback };
}
