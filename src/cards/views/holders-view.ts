import type { Holder, HoldersCardData } from '../card-data.js';
import { countOf } from '../count-of.js';
import { describeUsage } from '../describe-usage.js';
import { formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel, personPlain } from '../person-label.js';
import { safeMd, userText } from '../safe-md.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { cardRow, fallbackRow, pagingView, withPage, type CardView, type Row } from './card-view.js';
import { expiryText, termText } from './my-seats-view.js';

/** Only an active seat granted through the bot can be revoked in chat; vendor seats are changed at the vendor. */
export const isRevocable = (h: Holder): boolean => h.status === 'active' && h.origin === 'ledger';

export function holdersView(d: HoldersCardData): CardView {
  const sorted = [...d.holders].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) ||
      (a.person.name ?? a.person.email ?? '').localeCompare(b.person.name ?? b.person.email ?? '') ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  const vendor = vendorLabel(d.pool.vendor);
  const u = describeUsage(d.usage, d.pool.vendor);
  const count = (f: (h: Holder) => boolean): number => d.holders.filter(f).length;
  const counts =
    `${countOf(d.holders.length, 'holder')}: ${count((h) => h.status === 'active')} active, ` +
    `${count((h) => h.status === 'pending')} pending · ${count((h) => h.origin === 'vendor')} from ${vendor}, ` +
    `${count((h) => h.origin === 'ledger')} through the bot`;
  const rows: Row[] = pg.items.map((h) => {
    const state =
      h.origin === 'vendor'
        ? h.status === 'active'
          ? `Active · at ${vendor}`
          : `Invitation pending at ${vendor}`
        : h.status === 'active'
          ? 'Active · through the bot'
          : 'Request pending · through the bot';
    const seats = h.seats === 1 ? safeMd`` : safeMd` · ${h.seats} seats`;
    const end = h.status === 'active' ? expiryText(h.expiresAt, d) : termText(h.requestedDays);
    const vendorState = h.vendorState === undefined ? safeMd`` : safeMd` · ${h.vendorState}`;
    return { title: personLabel(h.person), detail: safeMd`${state}${seats} · since ${formatDate(h.since, d.timeZone)} · ${end}${vendorState}` };
  });
  const revocable = pg.items.filter(isRevocable);
  const vendorHeld = pg.items.some((h) => h.origin === 'vendor');
  const note = vendorHeld ? `Seats and invitations at ${vendor} are changed at ${vendor}, not here.` : '';
  const subtitle = withPage(`${u.availability} · ${u.counts}`, pg.label);
  const title = safeMd`Who has ${userText(d.pool.productName, 120)} (${vendor})`;
  const view = {
    title: title.card,
    subtitle,
    counts,
    empty: rows.length === 0,
    emptyText: 'Nobody holds or has requested a seat in this license.',
    rows: rows.map(cardRow),
    hasNote: note !== '',
    note,
    hasChoices: revocable.length > 0,
    choices: revocable.map((h) => ({ title: personPlain(h.person), value: h.assignmentId })),
    poolId: d.pool.id,
    paging: pagingView(pg),
  };
  const fallback = [
    `**${title.text}** (${subtitle})`,
    counts,
    ...(rows.length === 0 ? [view.emptyText] : rows.map(fallbackRow)),
    ...(note ? [note] : []),
  ];
  return { view, fallback };
}
