import type { DigestCardData, VendorSyncStatus } from '../card-data.js';
import { countOf } from '../count-of.js';
import { describeUsage } from '../describe-usage.js';
import { formatDate, formatDateTime } from '../format-date.js';
import { DIGEST_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { digestSections } from './digest-sections.js';
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
  const within = d.expiringWithinDays ?? DIGEST_EXPIRING_DAYS;
  const pools = sortPools(d.pools).filter((p) => !p.pool.retired);
  const withCondition = pools.map((p) => ({ p, c: poolCondition(p, d, within), u: describeUsage(p.usage, p.pool.vendor) }));
  const sections = digestSections(d);
  const alerts = capped([
    ...sections.overAllocated,
    ...withCondition.filter((x) => x.c.low || x.c.full).map((x) => safeMd`${x.c.full ? '⛔' : '⚠️'} ${poolTitle(x.p.pool)}: ${x.u.availability}`),
  ]);
  const expiring = capped(sections.dates);
  const changes = capped(sections.changes ?? []);
  const idle = capped(sections.idle);
  const cost = capped(sections.cost);
  const changesTitle = d.changesSince ? `Changes since the last digest (${formatDate(d.changesSince, d.timeZone)})` : 'Changes since the last digest';
  const rows = capped(withCondition.map((x) => safeMd`${poolTitle(x.p.pool)}: ${x.u.availability} · ${x.u.pending}`));
  const note = invitationsNote(d.invitations);
  const waitlisted = d.waitlisted ?? 0;
  const pending = `${countOf(d.pendingCount, 'request')} waiting for approval${waitlisted > 0 ? ` · ${waitlisted} on waitlists` : ''}`;
  const sync = d.sync.map((s) => ({ line: syncLine(s, d.timeZone), failed: s.status === 'failed' }));
  const subtitle = d.spaceTitle?.trim()
    ? safeMd`${formatDate(d.now, d.timeZone)} · ${userText(d.spaceTitle, 80)}`
    : safeMd`${formatDate(d.now, d.timeZone)}`;
  const texts = (list: Markdown[]): { text: string }[] => list.map((m) => ({ text: m.card }));
  const view = {
    title: 'Daily license digest',
    subtitle: subtitle.card,
    totals: sections.totals.card,
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
    hasChanges: sections.changes !== null,
    changesTitle,
    changes: texts(changes.items),
    changesMore: changes.more,
    hasChangesMore: changes.more !== '',
    noChanges: sections.changes !== null && changes.items.length === 0,
    hasIdle: idle.items.length > 0,
    idle: texts(idle.items),
    idleMore: idle.more,
    hasIdleMore: idle.more !== '',
    hasCost: cost.items.length > 0,
    cost: texts(cost.items),
    costMore: cost.more,
    hasCostMore: cost.more !== '',
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
    sections.totals.text,
    pending,
    ...(note ? [note.text] : []),
    ...section('Low, full or over-allocated', alerts.items, alerts.more),
    ...section(`Expiring or renewing within ${within} days`, expiring.items, expiring.more),
    ...section(changesTitle, changes.items, changes.more),
    ...(view.noChanges ? [`**${changesTitle}**`, 'Nothing changed.'] : []),
    ...section('Reclaim candidates', idle.items, idle.more),
    ...section('Cost of idle and unassigned seats', cost.items, cost.more),
    ...section('Availability', rows.items, rows.more),
    ...(rows.items.length === 0 ? ['No licenses yet.'] : []),
    ...section('Vendor sync', sync.map((s) => s.line), ''),
  ];
  return { view, fallback };
}
