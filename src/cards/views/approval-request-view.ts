import type { ApprovalRequestCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import { safeMd, userText } from '../safe-md.js';
import { cardFact, fallbackFact, type CardView, type Fact } from './card-view.js';
import { countOf } from '../count-of.js';
import { poolTitle } from './summary-view.js';

export function approvalRequestView(d: ApprovalRequestCardData): CardView {
  const u = describeUsage(d.usage, d.pool.vendor);
  const facts: Fact[] = [
    { title: 'Requested by', value: personLabel(d.requester) },
    { title: 'License', value: poolTitle(d.pool) },
    { title: 'Seats', value: safeMd`${d.seats}` },
    { title: 'Reason', value: d.reason?.trim() ? userText(d.reason, 300) : safeMd`—` },
    { title: 'For', value: safeMd`${d.days === null ? 'no end date' : `${countOf(d.days, 'day')} from approval`}` },
    { title: 'Requested', value: safeMd`${d.requestedAt ? formatDateTime(d.requestedAt, d.timeZone) : '—'}` },
    { title: 'Availability', value: safeMd`${u.availability} · ${u.counts} (this request included)` },
  ];
  const subtitle = safeMd`${personLabel(d.requester)} asks for ${poolTitle(d.pool)}`;
  const view = {
    title: 'Seat request',
    subtitle: subtitle.card,
    facts: facts.map(cardFact),
    assignmentId: d.assignmentId,
  };
  const fallback = [`**Seat request**: ${subtitle.text}`, ...facts.map(fallbackFact), 'Approve or deny it on the card.'];
  return { view, fallback };
}
