import type { DigestCardData, VendorSyncStatus } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { escapeMarkdown } from '../escape-markdown.js';
import { describeDaysLeft, formatDate, formatDateTime } from '../format-date.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { CardView } from './card-view.js';
import { poolTitle, sortPools } from './summary-view.js';
import { countOf } from '../count-of.js';

/** The digest is not paged: it lists this many rows per section and points to the summary card. */
export const DIGEST_MAX_ROWS = 12;

function syncLine(s: VendorSyncStatus): string {
  const at = s.at ? ` · ${formatDateTime(s.at)}` : '';
  switch (s.status) {
    case 'ok':
      return `✅ ${vendorLabel(s.vendor)}: synced${at}`;
    case 'failed':
      return `❌ ${vendorLabel(s.vendor)}: failed${at}${s.error ? `: ${escapeMarkdown(s.error, 200)}` : ''}`;
    case 'running':
      return `🔄 ${vendorLabel(s.vendor)}: running${at}`;
    case 'skipped':
      return `⏭️ ${vendorLabel(s.vendor)}: skipped${at}`;
    case 'never':
      return `➖ ${vendorLabel(s.vendor)}: never synced`;
  }
}

function capped<T>(items: T[]): { items: T[]; more: string } {
  const rest = items.length - DIGEST_MAX_ROWS;
  return { items: items.slice(0, DIGEST_MAX_ROWS), more: rest > 0 ? `… and ${rest} more` : '' };
}

export function digestView(d: DigestCardData): CardView {
  const within = d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS;
  const pools = sortPools(d.pools).filter((p) => !p.pool.retired);
  const withCondition = pools.map((p) => ({
    p,
    c: poolCondition(p, d.now, within),
    u: describeUsage(p.usage, p.pool.policy.minFreeSeats),
  }));
  const alerts = capped(
    withCondition
      .filter((x) => x.c.low)
      .map((x) => ({ text: `⚠️ ${poolTitle(x.p.pool)}: ${x.u.availability}` })),
  );
  const expiring = capped(
    withCondition
      .filter((x) => x.c.expiringInDays !== null)
      .sort((a, b) => (a.c.expiringInDays ?? 0) - (b.c.expiringInDays ?? 0))
      .map((x) => ({
        text: `⏳ ${poolTitle(x.p.pool)}: ${formatDate(x.p.pool.expiryDate)} (${describeDaysLeft(x.c.expiringInDays ?? 0)})`,
      })),
  );
  const rows = capped(
    withCondition.map((x) => ({
      text: `${poolTitle(x.p.pool)}: ${x.u.availability} · ${x.p.usage.pending} pending`,
    })),
  );
  const pending = `${countOf(d.pendingCount, 'request')} waiting for approval`;
  const sync = d.sync.map((s) => ({ text: syncLine(s), failed: s.status === 'failed' }));
  const subtitle = `${formatDate(d.now)}${d.spaceTitle?.trim() ? ` · ${escapeMarkdown(d.spaceTitle, 80)}` : ''}`;
  const view = {
    title: 'Daily license digest',
    subtitle,
    pending,
    hasAlerts: alerts.items.length > 0,
    alerts: alerts.items,
    alertsMore: alerts.more,
    hasAlertsMore: alerts.more !== '',
    hasExpiring: expiring.items.length > 0,
    expiring: expiring.items,
    expiringMore: expiring.more,
    hasExpiringMore: expiring.more !== '',
    hasPools: rows.items.length > 0,
    pools: rows.items,
    poolsMore: rows.more,
    hasPoolsMore: rows.more !== '',
    noPools: rows.items.length === 0,
    hasSync: sync.length > 0,
    sync,
  };
  const section = (title: string, items: { text: string }[], more: string): string[] =>
    items.length === 0 ? [] : [`**${title}**`, ...items.map((i) => `- ${i.text}`), ...(more ? [more] : [])];
  const fallback = [
    `**${view.title}** (${subtitle})`,
    pending,
    ...section('Low on seats', alerts.items, alerts.more),
    ...section(`Expiring within ${within} days`, expiring.items, expiring.more),
    ...section('Availability', rows.items, rows.more),
    ...(rows.items.length === 0 ? ['No licenses yet.'] : []),
    ...section('Vendor sync', sync, ''),
  ];
  return { view, fallback };
}
