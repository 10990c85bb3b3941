import type { PendingCardData, PendingInvitations } from '../card-data.js';
import { countOf } from '../count-of.js';
import { formatDate } from '../format-date.js';
import { paginate } from '../paginate.js';
import { personLabel, personPlain } from '../person-label.js';
import { safeMd, userText, joinMd, type Markdown } from '../safe-md.js';
import { plainText } from '../escape-markdown.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { cardRow, fallbackRow, pagingView, withPage, type CardView, type Row } from './card-view.js';
import { termText } from './my-seats-view.js';
import { poolTitle } from './summary-view.js';

/**
 * "Also pending at the vendors, and settled there: 1 invitation to Zoho CRM Enterprise (Zoho CRM)." The same
 * invitations every pool count includes, so "2 pending" on a pool card is explained here.
 */
export function invitationsNote(invitations: readonly PendingInvitations[]): Markdown | null {
  if (invitations.length === 0) return null;
  const parts = invitations.map((i) => safeMd`${countOf(i.count, 'invitation')} to ${userText(i.pool.productName, 120)} (${vendorLabel(i.pool.vendor)})`);
  const total = invitations.reduce((n, i) => n + i.count, 0);
  return safeMd`Also pending at the vendor, and settled there rather than here: ${joinMd(parts, ', ')}. ${total === 1 ? 'It holds a seat, as a request does.' : 'They hold seats, as requests do.'}`;
}

export function pendingView(d: PendingCardData): CardView {
  const sorted = [...d.requests].sort(
    (a, b) => (a.requestedAt ?? '').localeCompare(b.requestedAt ?? '') || a.assignmentId.localeCompare(b.assignmentId),
  );
  const pg = paginate(sorted, d.page);
  const rows: Row[] = pg.items.map((r) => ({
    title: safeMd`${personLabel(r.requester)} → ${poolTitle(r.pool)}`,
    detail: safeMd`${r.extensionDays ? safeMd`extension: ${countOf(r.extensionDays, 'more day')} · ` : safeMd``}${countOf(r.seats, 'seat')} · asked ${formatDate(r.requestedAt, d.timeZone)} · ${r.extensionDays ? safeMd`now ends ${formatDate(r.endsAt ?? null, d.timeZone)}` : termText(r.requestedDays)}${r.reason?.trim() ? safeMd` · reason: ${userText(r.reason, 300)}` : safeMd``}${r.mine ? safeMd` · your own request: another admin decides it` : safeMd``}`,
  }));
  // Nobody decides their own request: the viewer's own are listed but not offered.
  const decidable = pg.items.filter((r) => !r.mine);
  const invitations = d.invitations.reduce((n, i) => n + i.count, 0);
  const note = invitationsNote(d.invitations);
  const subtitle = withPage(
    `${countOf(d.requests.length, 'request')} waiting${invitations > 0 ? ` · ${countOf(invitations, 'invitation')} pending at the vendor` : ''}`,
    pg.label,
  );
  const view = {
    title: 'Pending requests',
    subtitle,
    empty: rows.length === 0,
    emptyText: 'No requests are waiting for approval.',
    rows: rows.map(cardRow),
    hasNote: note !== null,
    note: note?.card ?? '',
    hasChoices: decidable.length > 0,
    choices: decidable.map((r) => ({ title: `${personPlain(r.requester)}: ${plainText(r.pool.productName, 200)}${r.extensionDays ? ` (extend ${r.extensionDays} days)` : ''}`, value: r.assignmentId })),
    paging: pagingView(pg),
  };
  const fallback = [
    `**Pending requests** (${subtitle})`,
    ...(rows.length === 0 ? [view.emptyText] : rows.map(fallbackRow)),
    ...(note ? [note.text] : []),
  ];
  return { view, fallback };
}
