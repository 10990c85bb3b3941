import type { PoolWithUsage, SummaryCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { plainText } from '../escape-markdown.js';
import { paginate } from '../paginate.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { safeMd, userText, type Markdown } from '../safe-md.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { cardRow, fallbackRow, pagingView, withPage, type CardView } from './card-view.js';
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

/** "**Zoho CRM Enterprise** · Zoho CRM": the product name in bold, then the vendor. */
export function poolTitle(p: { productName: string; vendor: PoolWithUsage['pool']['vendor'] }): Markdown {
  return safeMd`**${userText(p.productName, 120)}** · ${vendorLabel(p.vendor)}`;
}

/** A pool in a choice list or button (no markdown there): the full name, which Webex wraps. */
export function poolChoiceTitle(p: { productName: string; vendor: PoolWithUsage['pool']['vendor'] }): string {
  return `${plainText(p.productName, 200)} (${vendorLabel(p.vendor)})`;
}

export function summaryView(d: SummaryCardData): CardView {
  const within = d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS;
  const pg = paginate(sortPools(d.pools), d.page);
  const rows = pg.items.map((p) => {
    const u = describeUsage(p.usage, p.pool.vendor);
    const c = poolCondition(p, d, within);
    return {
      row: { title: poolTitle(p.pool), detail: safeMd`${u.availability} · ${u.pending}` },
      markers: c.markers.join(' · '),
    };
  });
  let low = 0;
  let full = 0;
  for (const p of d.pools) {
    const c = poolCondition(p, d, within);
    if (c.low) low++;
    if (c.full) full++;
  }
  const subtitle = withPage(
    [countOf(d.pools.length, 'license'), ...(full > 0 ? [`${full} with no free seats`] : []), ...(low > 0 ? [`${low} low on seats`] : [])].join(' · '),
    pg.label,
  );
  const view = {
    title: 'Licenses',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'No licenses yet. They appear after the next vendor sync.',
    rows: rows.map((r) => ({ ...cardRow(r.row), markers: r.markers, hasMarkers: r.markers !== '' })),
    hasChoices: rows.length > 0,
    choices: pg.items.map((p) => ({ title: poolChoiceTitle(p.pool), value: p.pool.id })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**Licenses** (${subtitle})`,
    ...(rows.length === 0 ? [view.emptyText] : rows.map((r) => `${fallbackRow(r.row)}${r.markers ? ` · ${r.markers}` : ''}`)),
  ];
  return { view, fallback };
}
