import type { PoolCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { escapeMarkdown } from '../escape-markdown.js';
import { daysUntil, describeDaysLeft, formatDate, formatDateTime } from '../format-date.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { CardView } from './card-view.js';
import { countOf } from '../count-of.js';


export function poolView(d: PoolCardData): CardView {
  const { pool, usage } = d;
  const u = describeUsage(usage, pool.policy.minFreeSeats);
  const c = poolCondition({ pool, usage }, d.now, d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS);
  const name = escapeMarkdown(pool.productName, 120);
  const sku = pool.sku ? ` · SKU ${escapeMarkdown(pool.sku, 60)}` : '';
  const subtitle = `${vendorLabel(pool.vendor)}${sku} · per ${pool.unit}`;

  const dated = (iso: string | null): string => {
    const days = daysUntil(iso, d.now);
    return days === null ? '—' : `${formatDate(iso)} (${describeDaysLeft(days)})`;
  };
  const renew = pool.renewalDate ? dated(pool.renewalDate) : '—';
  const autoRenew =
    pool.autoRenew === null ? '' : pool.autoRenew ? ' · auto-renews' : ' · does not auto-renew';
  const facts = [
    { title: 'Available', value: u.availability },
    { title: 'Total', value: usage.total !== null ? String(usage.total) : usage.metered ? 'unlimited' : 'not metered' },
    {
      title: 'Used',
      value: `${usage.used} (${usage.vendorUsed} reported by the vendor, ${usage.ledgerOnly} granted by the bot)`,
    },
    { title: 'Pending', value: String(usage.pending) },
    {
      title: 'State',
      value: pool.retired
        ? 'retired (gone at the vendor)'
        : c.expired
          ? 'expired'
          : escapeMarkdown(pool.state, 40),
    },
    {
      title: 'Approval',
      value:
        pool.policy.approval === 'auto'
          ? 'automatic while seats are free'
          : 'required: an admin approves each request',
    },
    { title: 'Expires', value: dated(pool.expiryDate) },
    { title: 'Renews', value: `${renew}${autoRenew}` },
    { title: 'Last synced', value: pool.syncedAt ? formatDateTime(pool.syncedAt) : 'never' },
  ];

  let blockedReason = '';
  if (pool.retired) blockedReason = 'This license is retired at the vendor: no new seats can be requested.';
  else if (c.expired)
    blockedReason = `This license expired${pool.expiryDate ? ` on ${formatDate(pool.expiryDate)}` : ''}: no new seats can be requested.`;
  else if (d.viewerSeat?.status === 'active') blockedReason = 'You already hold a seat in this license.';
  else if (d.viewerSeat?.status === 'pending')
    blockedReason = 'Your request for this license is waiting for approval.';
  else if (usage.available !== null && usage.available <= 0)
    blockedReason = `No free seat right now (${u.availability}, ${countOf(usage.pending, 'seat')} pending). Ask again when one is released.`;
  const canRequest = blockedReason === '';

  const view = {
    title: name,
    subtitle,
    markers: c.markers.join(' · '),
    hasMarkers: c.markers.length > 0,
    facts,
    canRequest,
    blocked: !canRequest,
    blockedReason,
    requestHint:
      pool.policy.approval === 'auto'
        ? 'Granted at once while seats are free.'
        : 'An admin will approve or deny your request.',
    poolId: pool.id,
  };
  const fallback = [
    `**${name}** (${subtitle})`,
    ...(view.hasMarkers ? [view.markers] : []),
    ...facts.map((f) => `- ${f.title}: ${f.value}`),
    canRequest ? `You can request a seat here. ${view.requestHint}` : blockedReason,
  ];
  return { view, fallback };
}
