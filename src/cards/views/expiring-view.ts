import type { ExpiringCardData, ExpiringSeat, PoolWithUsage } from '../card-data.js';
import { countOf } from '../count-of.js';
import { describeUsage } from '../describe-usage.js';
import { datedText } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel } from '../person-label.js';
import { safeMd } from '../safe-md.js';
import { cardRow, fallbackRow, pagingView, withPage, type CardView, type Row } from './card-view.js';
import { poolTitle } from './summary-view.js';

type Item = { kind: 'pool'; at: string; item: PoolWithUsage } | { kind: 'seat'; at: string; item: ExpiringSeat };

export function expiringView(d: ExpiringCardData): CardView {
  const byDate = (a: Item, b: Item): number => a.at.localeCompare(b.at);
  const all: Item[] = [
    ...d.pools.map((p): Item => ({ kind: 'pool', at: p.pool.expiryDate ?? p.pool.renewalDate ?? '', item: p })).sort(byDate),
    ...d.seats.map((s): Item => ({ kind: 'seat', at: s.expiresAt, item: s })).sort(byDate),
  ];
  const pg = paginate(all, d.page);
  const poolRows: Row[] = pg.items.flatMap((r) => {
    if (r.kind !== 'pool') return [];
    const { pool, usage } = r.item;
    const u = describeUsage(usage, pool.vendor);
    const renew = pool.autoRenew === null ? safeMd`` : pool.autoRenew ? safeMd` · auto-renews` : safeMd` · no auto-renew`;
    const when = pool.expiryDate === null && pool.renewalDate !== null ? `Renews ${datedText(pool.renewalDate, d)}` : `Expires ${datedText(pool.expiryDate, d)}`;
    return [{ title: poolTitle(pool), detail: safeMd`${when} · ${u.availability} · ${usage.used} used${renew}` }];
  });
  const seatRows: Row[] = pg.items.flatMap((r) =>
    r.kind === 'seat'
      ? [{ title: safeMd`${personLabel(r.item.holder)} · ${poolTitle(r.item.pool)}`, detail: safeMd`${countOf(r.item.seats, 'seat')} · ends ${datedText(r.item.expiresAt, d)}` }]
      : [],
  );
  const subtitle = withPage(`${countOf(d.pools.length, 'license')} · ${countOf(d.seats.length + d.othersHidden, 'time-bound seat')}`, pg.label);
  const endedParts = [
    ...(d.ended.pools > 0 ? [countOf(d.ended.pools, 'license')] : []),
    ...(d.ended.seats > 0 ? [countOf(d.ended.seats, 'time-bound seat')] : []),
  ];
  // Point each reader only to what they may use: "who has" is for admins.
  const see = d.viewerIsAdmin ? 'see "licenses" and "who has"' : 'see "licenses" and "my seats"';
  const endedText = endedParts.length === 0 ? '' : `Already ended and not listed here: ${endedParts.join(' and ')} (${see}).`;
  // People who are not admins see how many seats of others end, never whose (as with "who has").
  const hiddenText =
    d.othersHidden === 0
      ? ''
      : `${countOf(d.othersHidden, d.seats.length > 0 ? 'other time-bound seat' : 'time-bound seat')} ${d.othersHidden === 1 ? 'ends' : 'end'} within ${countOf(d.withinDays, 'day')}; only admins see who holds ${d.othersHidden === 1 ? 'it' : 'them'}.`;
  const view = {
    title: `Expiring within ${countOf(d.withinDays, 'day')}`,
    subtitle,
    empty: all.length === 0 && d.othersHidden === 0,
    emptyText: 'Nothing expires in that window.',
    hasPoolRows: poolRows.length > 0,
    poolRows: poolRows.map(cardRow),
    hasSeatRows: seatRows.length > 0,
    seatRows: seatRows.map(cardRow),
    paging: pagingView(pg),
    withinDays: d.withinDays,
    hasHidden: hiddenText !== '',
    hiddenText,
    hasEnded: endedText !== '',
    endedText,
  };
  const fallback = [
    `**${view.title}** (${subtitle})`,
    ...(view.empty ? [view.emptyText] : []),
    ...(poolRows.length > 0 ? ['Licenses:', ...poolRows.map(fallbackRow)] : []),
    ...(seatRows.length > 0 ? ['Time-bound seats:', ...seatRows.map(fallbackRow)] : []),
    ...(hiddenText ? [hiddenText] : []),
    ...(endedText ? [endedText] : []),
  ];
  return { view, fallback };
}
