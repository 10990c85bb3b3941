import type { PoolWithUsage, SummaryCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { escapeMarkdown, plainText } from '../escape-markdown.js';
import { paginate } from '../paginate.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { pagingView, withPage, type CardView } from './card-view.js';
import { countOf } from '../count-of.js';

/** Active pools first, then by product name and vendor: stable pages whatever order the caller passes. */
export function sortPools(pools: readonly PoolWithUsage[]): PoolWithUsage[] {
  return [...pools].sort(
    (a, b) =>
      Number(a.pool.retired) - Number(b.pool.retired) ||
      a.pool.productName.localeCompare(b.pool.productName) ||
      a.pool.vendor.localeCompare(b.pool.vendor) ||
      a.pool.id.localeCompare(b.pool.id),
  );
}

export function poolTitle(p: { productName: string; vendor: PoolWithUsage['pool']['vendor'] }): string {
  return `**${escapeMarkdown(p.productName, 120)}** · ${vendorLabel(p.vendor)}`;
}

export function poolChoiceTitle(p: { productName: string; vendor: PoolWithUsage['pool']['vendor'] }): string {
  return `${plainText(p.productName, 80)} (${vendorLabel(p.vendor)})`;
}

export function summaryView(d: SummaryCardData): CardView {
  const within = d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS;
  const pg = paginate(sortPools(d.pools), d.page);
  const rows = pg.items.map((p) => {
    const u = describeUsage(p.usage, p.pool.policy.minFreeSeats);
    const c = poolCondition(p, d.now, within);
    return {
      title: poolTitle(p.pool),
      detail: `${u.availability} · ${p.usage.pending} pending`,
      markers: c.markers.join(' · '),
      hasMarkers: c.markers.length > 0,
    };
  });
  const low = d.pools.filter((p) => poolCondition(p, d.now, within).low).length;
  const subtitle = withPage(
    `${countOf(d.pools.length, 'license')}${low > 0 ? ` · ${low} low on seats` : ''}`,
    pg.label,
  );
  const view = {
    title: 'Licenses',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'No licenses yet. They appear after the next vendor sync.',
    rows,
    hasChoices: rows.length > 0,
    choices: pg.items.map((p) => ({ title: poolChoiceTitle(p.pool), value: p.pool.id })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**Licenses** (${subtitle})`,
    ...(rows.length === 0
      ? [view.emptyText]
      : rows.map((r) => `- ${r.title}: ${r.detail}${r.hasMarkers ? ` · ${r.markers}` : ''}`)),
  ];
  return { view, fallback };
}
