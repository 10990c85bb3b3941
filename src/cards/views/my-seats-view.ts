import type { MySeat, MySeatsCardData } from '../card-data.js';
import { daysUntil, describeDaysLeft, formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import type { CardView } from './card-view.js';
import { pagingView, withPage } from './card-view.js';
import { poolChoiceTitle, poolTitle } from './summary-view.js';

export function expiryText(expiresAt: string | null, now: string): string {
  const days = daysUntil(expiresAt, now);
  return days === null ? 'no end date' : `expires ${formatDate(expiresAt)} (${describeDaysLeft(days)})`;
}

export function mySeatsView(d: MySeatsCardData): CardView {
  const sorted = [...d.seats].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) ||
      a.pool.productName.localeCompare(b.pool.productName) ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  const row = (s: MySeat) => ({
    title: `${s.status === 'active' ? '✅' : '⏳'} ${poolTitle(s.pool)}`,
    detail: `${s.status === 'active' ? 'Active' : 'Pending approval'}${s.seats === 1 ? '' : ` · ${s.seats} seats`} · since ${formatDate(s.since)} · ${expiryText(s.expiresAt, d.now)}`,
  });
  const active = pg.items.filter((s) => s.status === 'active');
  const pending = pg.items.filter((s) => s.status === 'pending');
  const nActive = d.seats.filter((s) => s.status === 'active').length;
  const subtitle = withPage(`${nActive} active · ${d.seats.length - nActive} pending`, pg.label);
  const rows = pg.items.map(row);
  const view = {
    title: 'My seats',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'You hold no seats and have no pending requests.',
    rows,
    hasReleasable: active.length > 0,
    releasable: active.map((s) => ({ title: poolChoiceTitle(s.pool), value: s.assignmentId })),
    hasCancellable: pending.length > 0,
    cancellable: pending.map((s) => ({ title: poolChoiceTitle(s.pool), value: s.assignmentId })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**My seats** (${subtitle})`,
    ...(rows.length === 0 ? [view.emptyText] : rows.map((r) => `- ${r.title}: ${r.detail}`)),
  ];
  return { view, fallback };
}
