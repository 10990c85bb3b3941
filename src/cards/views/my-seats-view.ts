import type { MySeat, MySeatsCardData, Moment } from '../card-data.js';
import { countOf } from '../count-of.js';
import { datedText, formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { safeMd, type Markdown } from '../safe-md.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { cardRow, fallbackRow, pagingView, withPage, type CardView, type Row } from './card-view.js';
import { poolChoiceTitle, poolTitle } from './summary-view.js';

/** When an active seat ends: "expires 2025-04-03 (in 2 days)" or "no end date". */
export function expiryText(expiresAt: string | null, at: Moment): string {
  return expiresAt === null ? 'no end date' : `expires ${datedText(expiresAt, at)}`;
}

/** The term a pending request asks for, which starts at approval: "for 10 days once approved". */
export function termText(requestedDays: number | null): string {
  return requestedDays === null ? 'no end date' : `for ${countOf(requestedDays, 'day')} once approved`;
}

function seatRow(s: MySeat, at: Moment): Row {
  const icon = s.status === 'active' ? '✅' : '⏳';
  const state =
    s.origin === 'vendor'
      ? s.status === 'active'
        ? `Held at ${vendorLabel(s.pool.vendor)}`
        : `Invitation pending at ${vendorLabel(s.pool.vendor)}`
      : s.status === 'active'
        ? 'Active'
        : 'Pending approval';
  const seats = s.seats === 1 ? safeMd`` : safeMd` · ${s.seats} seats`;
  const since = s.status === 'active' ? `since ${formatDate(s.since, at.timeZone)}` : `asked ${formatDate(s.since, at.timeZone)}`;
  const end = s.status === 'active' ? expiryText(s.expiresAt, at) : termText(s.requestedDays);
  const vendor = s.vendorState === undefined ? safeMd`` : safeMd` · ${s.vendorState}`;
  const detail: Markdown = safeMd`${state}${seats} · ${since} · ${end}${vendor}`;
  return { title: safeMd`${icon} ${poolTitle(s.pool)}`, detail };
}

export function mySeatsView(d: MySeatsCardData): CardView {
  const sorted = [...d.seats].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) ||
      a.pool.productName.localeCompare(b.pool.productName) ||
      a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  // Seats held or invited at a vendor are changed there: never offered for Release or Cancel.
  const active = pg.items.filter((s) => s.status === 'active' && s.origin === 'ledger');
  const pending = pg.items.filter((s) => s.status === 'pending' && s.origin === 'ledger');
  const atVendor = pg.items.some((s) => s.origin === 'vendor');
  const nActive = d.seats.filter((s) => s.status === 'active').length;
  const subtitle = withPage(`${nActive} active · ${d.seats.length - nActive} pending`, pg.label);
  const rows = pg.items.map((s) => seatRow(s, d));
  const vendorNote = atVendor ? 'Seats and invitations held at a vendor are changed there, not here.' : '';
  const view = {
    title: 'My seats',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'You hold no seats and have no pending requests.',
    rows: rows.map(cardRow),
    hasVendorNote: vendorNote !== '',
    vendorNote,
    hasReleasable: active.length > 0,
    releasable: active.map((s) => ({ title: poolChoiceTitle(s.pool), value: s.assignmentId })),
    hasCancellable: pending.length > 0,
    cancellable: pending.map((s) => ({ title: poolChoiceTitle(s.pool), value: s.assignmentId })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**My seats** (${subtitle})`,
    ...(rows.length === 0 ? [view.emptyText] : rows.map(fallbackRow)),
    ...(vendorNote ? [vendorNote] : []),
  ];
  return { view, fallback };
}
