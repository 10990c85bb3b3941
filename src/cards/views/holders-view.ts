import type { Holder, HoldersCardData } from '../card-data.js';
import { describeUsage } from '../describe-usage.js';
import { escapeMarkdown, plainText } from '../escape-markdown.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel } from '../person-label.js';
import type { CardView } from './card-view.js';
import { pagingView, withPage } from './card-view.js';
import { expiryText } from './my-seats-view.js';
import { countOf } from '../count-of.js';

export function holdersView(d: HoldersCardData): CardView {
  const sorted = [...d.holders].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) ||
      (a.person.name ?? a.person.email ?? '').localeCompare(b.person.name ?? b.person.email ?? '') ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  const u = describeUsage(d.usage, d.pool.policy.minFreeSeats);
  const count = (f: (h: Holder) => boolean): number => d.holders.filter(f).length;
  const counts =
    `${countOf(d.holders.length, 'holder')}: ${count((h) => h.status === 'active')} active, ` +
    `${count((h) => h.status === 'pending')} pending · ${count((h) => h.origin === 'vendor')} from the vendor, ` +
    `${count((h) => h.origin === 'ledger')} through the bot`;
  const rows = pg.items.map((h) => ({
    title: personLabel(h.person),
    detail:
      `${h.status === 'active' ? 'Active' : 'Pending'} · ${h.origin === 'vendor' ? 'vendor' : 'bot'}` +
      `${h.seats === 1 ? '' : ` · ${h.seats} seats`} · since ${formatDate(h.since)} · ${expiryText(h.expiresAt, d.now)}`,
  }));
  const subtitle = withPage(`${u.availability} · ${u.counts}`, pg.label);
  const view = {
    title: `Who has ${escapeMarkdown(d.pool.productName, 120)} (${vendorLabel(d.pool.vendor)})`,
    subtitle,
    counts,
    empty: rows.length === 0,
    emptyText: 'Nobody holds or has requested a seat in this license.',
    rows,
    hasChoices: rows.length > 0,
    choices: pg.items.map((h) => ({
      title: `${plainText(h.person.name ?? h.person.email ?? 'unknown', 60)}${h.status === 'pending' ? ' (pending)' : ''}`,
      value: h.assignmentId,
    })),
    poolId: d.pool.id,
    paging: pagingView(pg),
  };
  const fallback = [
    `**${view.title}** (${subtitle})`,
    counts,
    ...(rows.length === 0 ? [view.emptyText] : rows.map((r) => `- ${r.title}: ${r.detail}`)),
  ];
  return { view, fallback };
}
