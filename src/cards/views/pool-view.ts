import type { PoolCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { datedText, formatDate, formatDateTime } from '../format-date.js';
import { DEFAULT_EXPIRING_DAYS, poolCondition } from '../pool-markers.js';
import { safeMd, userText } from '../safe-md.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { MAX_DAYS } from '../../domain/ledger-command.js';
import { cardFact, fallbackFact, type CardView, type Fact } from './card-view.js';

export function poolView(d: PoolCardData): CardView {
  const { pool, usage } = d;
  const u = describeUsage(usage, pool.vendor);
  const c = poolCondition({ pool, usage }, d, d.expiringWithinDays ?? DEFAULT_EXPIRING_DAYS);
  const name = userText(pool.productName, 120);
  const subtitle = pool.sku
    ? safeMd`${vendorLabel(pool.vendor)} · SKU ${userText(pool.sku, 60)} · per ${pool.unit}`
    : safeMd`${vendorLabel(pool.vendor)} · per ${pool.unit}`;
  const renew = pool.renewalDate ? datedText(pool.renewalDate, d) : '—';
  const autoRenew = pool.autoRenew === null ? safeMd`` : pool.autoRenew ? safeMd` · auto-renews` : safeMd` · does not auto-renew`;
  const facts: Fact[] = [
    { title: 'Available', value: safeMd`${u.availability}` },
    { title: 'Total', value: safeMd`${usage.total !== null ? String(usage.total) : usage.metered ? 'unlimited' : 'not metered'}` },
    { title: 'Used', value: safeMd`${usage.used} (${usage.vendorUsed} reported by the vendor, ${usage.ledgerOnly} granted by the bot)` },
    { title: 'Pending', value: u.pendingParts ? safeMd`${usage.pending} (${u.pendingParts})` : safeMd`${usage.pending}` },
    {
      title: 'State',
      value: pool.retired ? safeMd`retired (gone at the vendor)` : c.expired ? safeMd`expired` : userText(pool.state, 40),
    },
    {
      title: 'Approval',
      value: pool.policy.approval === 'auto' ? safeMd`automatic while seats are free` : safeMd`required: an admin approves each request`,
    },
    { title: 'Expires', value: safeMd`${datedText(pool.expiryDate, d)}` },
    { title: 'Renews', value: safeMd`${renew}${autoRenew}` },
    { title: 'Last synced', value: safeMd`${pool.syncedAt ? formatDateTime(pool.syncedAt, d.timeZone) : 'never'}` },
  ];

  let blockedReason = '';
  if (pool.retired) blockedReason = 'This license is retired at the vendor: no new seats can be requested.';
  else if (c.expired)
    blockedReason = `This license expired${pool.expiryDate ? ` on ${formatDate(pool.expiryDate, d.timeZone)}` : ''}: no new seats can be requested.`;
  else if (d.viewerSeat?.status === 'active') blockedReason = 'You already hold a seat in this license.';
  else if (d.viewerSeat?.status === 'pending') blockedReason = 'Your request for this license is waiting for approval.';
  else if (usage.available !== null && usage.available <= 0)
    blockedReason = `No free seat right now (${u.availability}, ${u.pending}). Ask again when one is released.`;
  const canRequest = blockedReason === '';

  const view = {
    title: name.card,
    subtitle: subtitle.card,
    markers: c.markers.join(' · '),
    hasMarkers: c.markers.length > 0,
    facts: facts.map(cardFact),
    canRequest,
    blocked: !canRequest,
    blockedReason,
    requestHint:
      pool.policy.approval === 'auto' ? 'Granted at once while seats are free.' : 'An admin will approve or deny your request.',
    daysLabel: `For how many days (optional, 1 to ${MAX_DAYS})`,
    daysPlaceholder: 'Leave empty for no end date',
    poolId: pool.id,
  };
  const fallback = [
    `**${name.text}** (${subtitle.text})`,
    ...(view.hasMarkers ? [view.markers] : []),
    ...facts.map(fallbackFact),
    canRequest ? `You can request a seat here. ${view.requestHint}` : blockedReason,
  ];
  return { view, fallback };
}
