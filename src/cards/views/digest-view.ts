import type { DigestCardData, VendorSyncStatus } from '../card-data.js';
import { countOf } from '../count-of.js';
import { describeUsage } from '../describe-usage.js';
import { datedText, formatDate, formatDateTime } from '../format-date.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { safeMd, userText, type Markdown } from '../safe-md.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { CardView } from './card-view.js';
import { invitationsNote } from './pending-view.js';
import { poolTitle, sortPools } from './summary-view.js';

/** The digest is not paged: it lists this many rows per section and points to the summary card. */
export const DIGEST_MAX_ROWS = 12;

function syncLine(s: VendorSyncStatus, timeZone: string | undefined): Markdown {
  const at = s.at ? safeMd` · ${formatDateTime(s.at, timeZone)}` : safeMd``;
  const vendor = vendorLabel(s.vendor);
  switch (s.status) {
    case 'ok':
      return safeMd`✅ ${vendor}: synced${at}`;
    case 'failed':
      return s.error ? safeMd`❌ ${vendor}: failed${at}: ${userText(s.error, 200)}` : safeMd`❌ ${vendor}: failed${at}`;
    case 'running':
      return safeMd`🔄 ${vendor}: running${at}`;
    case 'skipped':
      return safeMd`⏭️ ${vendor}: skipped${at}`;
    case 'never':
      return safeMd`➖ ${vendor}: never synced`;
  }
}

function capped<T>(items: T[]): { items: T[]; more: string } {
  const rest = items.length - DIGEST_MAX_ROWS;
  return { items: items.slice(0, DIGEST_MAX_ROWS), more: rest > 0 ? `… and ${rest} more` : '' };
}

export function digestView(d: DigestCardData): CardView {
  const within = d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS;
  const pools = sortPools(d.pools).filter((p) => !p.pool.retired);
  const withCondition = pools.map((p) => ({ p, c: poolCondition(p, d, within), u: describeUsage(p.usage, p.pool.vendor) }));
  const alerts = capped(
    withCondition
      .filter((x) => x.c.low || x.c.full)
      .map((x) => safeMd`${x.c.full ? '⛔' : '⚠️'} ${poolTitle(x.p.pool)}: ${x.u.availability}`),
  );
  const expiring = capped(
    withCondition
      .filter((x) => x.c.expiringInDays !== null)
      .sort((a, b) => (a.c.expiringInDays ?? 0) - (b.c.expiringInDays ?? 0))
      .map((x) => safeMd`⏳ ${poolTitle(x.p.pool)}: ${datedText(x.p.pool.expiryDate, d)}`),
  );
  const rows = capped(withCondition.map((x) => safeMd`${poolTitle(x.p.pool)}: ${x.u.availability} · ${x.u.pending}`));
  const note = invitationsNote(d.invitations);
  const pending = `${countOf(d.pendingCount, 'request')} waiting for approval`;
  const sync = d.sync.map((s) => ({ line: syncLine(s, d.timeZone), failed: s.status === 'failed' }));
  const subtitle = d.spaceTitle?.trim()
    ? safeMd`${formatDate(d.now, d.timeZone)} · ${userText(d.spaceTitle, 80)}`
    : safeMd`${formatDate(d.now, d.timeZone)}`;
  const texts = (list: Markdown[]): { text: string }[] => list.map((m) => ({ text: m.card }));
  const view = {
    title: 'Daily license digest',
    subtitle: subtitle.card,
    pending,
    hasInvitations: note !== null,
    invitations: note?.card ?? '',
    hasAlerts: alerts.items.length > 0,
    alerts: texts(alerts.items),
    alertsMore: alerts.more,
    hasAlertsMore: alerts.more !== '',
    hasExpiring: expiring.items.length > 0,
    expiring: texts(expiring.items),
    expiringMore: expiring.more,
    hasExpiringMore: expiring.more !== '',
    hasPools: rows.items.length > 0,
    pools: texts(rows.items),
    poolsMore: rows.more,
    hasPoolsMore: rows.more !== '',
    noPools: rows.items.length === 0,
    hasSync: sync.length > 0,
    sync: sync.map((s) => ({ text: s.line.card, failed: s.failed })),
  };
  const section = (title: string, items: Markdown[], more: string): string[] =>
    items.length === 0 ? [] : [`**${title}**`, ...items.map((i) => `- ${i.text}`), ...(more ? [more] : [])];
  const fallback = [
    `**${view.title}** (${subtitle.text})`,
    pending,
    ...(note ? [note.text] : []),
    ...section('Low or out of seats', alerts.items, alerts.more),
    ...section(`Expiring within ${within} days`, expiring.items, expiring.more),
    ...section('Availability', rows.items, rows.more),
    ...(rows.items.length === 0 ? ['No licenses yet.'] : []),
    ...section('Vendor sync', sync.map((s) => s.line), ''),
  ];
  return { view, fallback };
}
