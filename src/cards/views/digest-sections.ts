import type { AuditAction } from '../../domain/ledger.js';
import type { DigestCardData } from '../card-data.js';
import { countOf } from '../count-of.js';
import { datedText, daysUntil } from '../format-date.js';
import { formatMoney } from '../format-money.js';
import { DIGEST_EXPIRY_STEPS, poolCondition } from '../pool-markers.js';
import { safeMd, type Markdown } from '../safe-md.js';
import { poolTitle, sortPools } from './summary-view.js';

/** Extra digest sections (totals, expiring/renewing, over-allocated, changes, reclaim, cost), as safe lines. */
export interface DigestSections {
  totals: Markdown;
  overAllocated: Markdown[];
  dates: Markdown[];
  changes: Markdown[] | null;
  idle: Markdown[];
  cost: Markdown[];
}

const CHANGE_WORDS: Partial<Record<AuditAction, [string, string]>> = {
  'seat.requested': ['seat requested', 'seats requested'],
  'seat.approved': ['request approved', 'requests approved'],
  'seat.auto_approved': ['request approved automatically', 'requests approved automatically'],
  'seat.denied': ['request denied', 'requests denied'],
  'seat.released': ['seat released', 'seats released'],
  'seat.revoked': ['seat revoked', 'seats revoked'],
  'seat.granted': ['seat granted', 'seats granted'],
  'seat.expired': ['seat expired', 'seats expired'],
  'seat.synced': ['seat found at a vendor', 'seats found at vendors'],
  'seat.ended_at_vendor': ['seat ended at a vendor', 'seats ended at vendors'],
  'seat.restored': ['seat restored', 'seats restored'],
  'seat.extended': ['seat extended', 'seats extended'],
  'seat.request_expired': ['request closed unanswered', 'requests closed unanswered'],
  'pool.created': ['license added', 'licenses added'],
  'pool.updated': ['license updated', 'licenses updated'],
  'pool.retired': ['license retired', 'licenses retired'],
  'pool.policy_changed': ['policy changed', 'policies changed'],
  'space.updated': ['space setting changed', 'space settings changed'],
  'waitlist.joined': ['person joined a waitlist', 'people joined waitlists'],
  'waitlist.left': ['person left a waitlist', 'people left waitlists'],
  'waitlist.offered': ['waitlist offer made', 'waitlist offers made'],
  'waitlist.claimed': ['seat claimed from a waitlist', 'seats claimed from waitlists'],
  'waitlist.lapsed': ['waitlist offer lapsed', 'waitlist offers lapsed'],
};

const stepOf = (days: number): number => DIGEST_EXPIRY_STEPS.find((s) => days <= s) ?? days;

export function digestSections(d: DigestCardData): DigestSections {
  const within = d.expiringWithinDays ?? DIGEST_EXPIRY_STEPS[DIGEST_EXPIRY_STEPS.length - 1] ?? 90;
  const pools = sortPools(d.pools).filter((p) => !p.pool.retired);
  let total = 0;
  let used = 0;
  let free = 0;
  let unlimited = 0;
  for (const p of pools) {
    if (p.usage.total === null) unlimited++;
    else total += p.usage.total;
    used += p.usage.used;
    free += p.usage.available ?? 0;
  }
  const totals = safeMd`${countOf(pools.length, 'license')} · ${used} of ${total} seats in use · ${free} free${unlimited > 0 ? ` · ${unlimited} unlimited` : ''}`;
  const overAllocated = pools
    .filter((p) => p.usage.total !== null && p.usage.used > p.usage.total)
    .map((p) => safeMd`🚨 ${poolTitle(p.pool)}: over-allocated, ${p.usage.used} in use of ${p.usage.total ?? 0}`);
  const dated: { days: number; line: Markdown }[] = [];
  for (const p of pools) {
    if (poolCondition(p, d, within).expired) continue;
    const exp = daysUntil(p.pool.expiryDate, d);
    if (exp !== null && exp >= 0 && exp <= within) dated.push({ days: exp, line: safeMd`⏳ ${poolTitle(p.pool)}: ${datedText(p.pool.expiryDate, d)}` });
    const ren = p.pool.renewalDate !== p.pool.expiryDate ? daysUntil(p.pool.renewalDate, d) : null;
    if (ren !== null && ren >= 0 && ren <= within) {
      const how = p.pool.autoRenew === true ? 'renews automatically' : p.pool.autoRenew === false ? 'is due for renewal (not automatic)' : 'renews';
      dated.push({ days: ren, line: safeMd`🔁 ${poolTitle(p.pool)}: ${how} ${datedText(p.pool.renewalDate, d)}` });
    }
  }
  const dates = dated.sort((a, b) => a.days - b.days).map((x) => safeMd`Within ${stepOf(x.days)} days: ${x.line}`);
  const changes =
    d.changesSince === undefined || d.changesSince === null
      ? null
      : (d.changes ?? []).map((c) => {
          const words = CHANGE_WORDS[c.action] ?? [c.action, c.action];
          return safeMd`${c.count} ${c.count === 1 ? words[0] : words[1]}`;
        });
  const idle = (d.idle ?? []).map((x) => safeMd`💤 ${poolTitle(x.pool)}: ${countOf(x.seats, 'seat')} unused for over ${d.idleDays ?? 60} days`);
  const cost = (d.prices ?? []).map((p) => {
    const per = formatMoney(p.seatPrice.amount, p.seatPrice.currency);
    const sum = formatMoney(p.seatPrice.amount * (p.idle + p.unassigned), p.seatPrice.currency);
    return safeMd`💰 ${poolTitle(p.pool)}: ${p.idle} idle + ${p.unassigned} unassigned × ${per} = ${sum}`;
  });
  return { totals, overAllocated, dates, changes, idle, cost };
}
