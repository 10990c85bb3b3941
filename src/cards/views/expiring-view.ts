import type { ExpiringCardData, ExpiringSeat, PoolWithUsage } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { daysUntil, describeDaysLeft, formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel } from '../person-label.js';
import type { CardView } from './card-view.js';
import { pagingView, withPage } from './card-view.js';
import { poolTitle } from './summary-view.js';
import { countOf } from '../count-of.js';

type Row =
  { kind: 'pool'; at: string; item: PoolWithUsage } | { kind: 'seat'; at: string; item: ExpiringSeat };

export function expiringView(d: ExpiringCardData): CardView {
  const when = (iso: string | null): string => {
    const days = daysUntil(iso, d.now);
    return days === null ? '—' : `${formatDate(iso)} (${describeDaysLeft(days)})`;
  };
  const byDate = (a: Row, b: Row): number => a.at.localeCompare(b.at);
  const all: Row[] = [
    ...d.pools.map((p): Row => ({ kind: 'pool', at: p.pool.expiryDate ?? p.pool.renewalDate ?? '', item: p })).sort(byDate),
    ...d.seats.map((s): Row => ({ kind: 'seat', at: s.expiresAt, item: s })).sort(byDate),
  ];
  const pg = paginate(all, d.page);
  const poolRows = pg.items.flatMap((r) => {
    if (r.kind !== 'pool') return [];
    const { pool, usage } = r.item;
    const u = describeUsage(usage, pool.policy.minFreeSeats);
    const renew = pool.autoRenew === null ? '' : pool.autoRenew ? ' · auto-renews' : ' · no auto-renew';
    return [
      {
        title: poolTitle(pool),
        detail: `${pool.expiryDate === null && pool.renewalDate !== null ? `Renews ${when(pool.renewalDate)}` : `Expires ${when(pool.expiryDate)}`} · ${u.availability} · ${usage.used} used${renew}`,
      },
    ];
  });
  const seatRows = pg.items.flatMap((r) =>
    r.kind === 'seat'
      ? [
          {
            title: `${personLabel(r.item.holder)} · ${poolTitle(r.item.pool)}`,
            detail: `${countOf(r.item.seats, 'seat')} · ends ${when(r.item.expiresAt)}`,
          },
        ]
      : [],
  );
  const subtitle = withPage(
    `${countOf(d.pools.length, 'license')} · ${countOf(d.seats.length + d.othersHidden, 'time-bound seat')}`,
    pg.label,
  );
  const endedParts = [
    ...(d.ended.pools > 0 ? [countOf(d.ended.pools, 'license')] : []),
    ...(d.ended.seats > 0 ? [countOf(d.ended.seats, 'time-bound seat')] : []),
  ];
  const endedText =
    endedParts.length === 0 ? '' : `Already ended and not listed here: ${endedParts.join(' and ')} (see "licenses" and "who has").`;
  // People who are not admins see how many seats of others end, never whose (as with "who has").
  const hiddenText =
    d.othersHidden === 0
      ? ''
      : `${countOf(d.othersHidden, d.seats.length > 0 ? 'other time-bound seat' : 'time-bound seat')} ${d.othersHidden === 1 ? 'ends' : 'end'} within ${countOf(d.withinDays, 'day')}; admins see who holds ${d.othersHidden === 1 ? 'it' : 'them'}.`;
  const view = {
    title: `Expiring within ${countOf(d.withinDays, 'day')}`,
    subtitle,
    empty: all.length === 0 && d.othersHidden === 0,
    emptyText: 'Nothing expires in that window.',
    hasPoolRows: poolRows.length > 0,
    poolRows,
    hasSeatRows: seatRows.length > 0,
    seatRows,
    paging: pagingView(pg),
    hasHidden: hiddenText !== '',
    hiddenText,
    hasEnded: endedText !== '',
    endedText,
  };
  const fallback = [
    `**${view.title}** (${subtitle})`,
    ...(view.empty ? [view.emptyText] : []),
    ...(poolRows.length > 0 ? ['Licenses:', ...poolRows.map((r) => `- ${r.title}: ${r.detail}`)] : []),
    ...(seatRows.length > 0
      ? ['Time-bound seats:', ...seatRows.map((r) => `- ${r.title}: ${r.detail}`)]
      : []),
    ...(hiddenText ? [hiddenText] : []),
    ...(endedText ? [endedText] : []),
  ];
  return { view, fallback };
}
