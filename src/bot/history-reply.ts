import type { AuditEvent } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { actorLine } from '../domain/seat-history.js';
import { knownPerson, personLine } from '../domain/known-person.js';
import { formatDateTime } from '../cards/format-date.js';
import { PAGE_SIZE, paginate } from '../cards/paginate.js';
import { safeMd, type Markdown } from '../cards/safe-md.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { replyCard, replyText } from './reply-card.js';
import { AUDIT_ACTION_TEXT } from './audit-action-text.js';

/**
 * A page of audit events, newest first (events of one instant keep their reverse recording order), each as
 * "when · what · whose seat or which license · by whom", on a card whose More button shows the next page.
 * `about`: 'pool' names the seat's holder (one license's trail), 'seat' the license (one person's history).
 * The More button pages by cursor (the last event shown), so events recorded meanwhile do not shift the next
 * page; `before` is that cursor (null: the first page, or page `page` by number as chat says it).
 */
export function historyReply(
  ctx: BotContext,
  view: LedgerView,
  events: readonly AuditEvent[],
  o: { title: Markdown; about: 'pool' | 'seat'; page: number; nextCommand: (page: number) => string; poolId: string | null; before?: string | null },
): Reply[] {
  const newest = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : b.i - a.i))
    .map(({ e }) => e);
  if (newest.length === 0) return [replyText(ctx.here, safeMd`${o.title}: nothing recorded yet.`, ctx.parentId)];
  let items: AuditEvent[];
  let hasNext: boolean;
  let where = safeMd``;
  let hint: Markdown | null = null;
  if (o.before != null) {
    const at = newest.findIndex((e) => e.id === o.before);
    if (at < 0) return [replyText(ctx.here, safeMd`${o.title}: that page is gone; ask for the history again.`, ctx.parentId)];
    items = newest.slice(at + 1, at + 1 + PAGE_SIZE);
    hasNext = at + 1 + PAGE_SIZE < newest.length;
    where = safeMd` (older)`;
    if (items.length === 0) return [replyText(ctx.here, safeMd`${o.title}: nothing older.`, ctx.parentId)];
  } else {
    const page = paginate(newest, o.page - 1);
    items = page.items;
    hasNext = page.hasNext;
    if (page.pageCount > 1) where = safeMd` (page ${page.page + 1} of ${page.pageCount})`;
    if (page.hasNext) hint = safeMd`More: say **${o.nextCommand(page.page + 2)}**.`;
  }
  const lines = items.map((e) => safeMd`- ${formatDateTime(e.at, ctx.timeZone)} · ${AUDIT_ACTION_TEXT[e.action]}${subject(view, e, o.about)} · by ${actorLine(view, e.actor)}${e.note ? safeMd` (${e.note})` : safeMd``}`);
  const last = items[items.length - 1];
  const more = hasNext && last ? { poolId: o.poolId, before: last.id } : null;
  return [replyCard(ctx.here, 'history', { title: safeMd`${o.title}${where}, newest first:`, lines, more, hint }, ctx.parentId)];
}

function subject(view: LedgerView, e: AuditEvent, about: 'pool' | 'seat'): Markdown {
  if (about === 'seat') {
    const pool = e.poolId === null ? undefined : view.pool(e.poolId);
    return pool ? safeMd` · ${pool.productName}` : safeMd``;
  }
  const seat = e.assignmentId === null ? undefined : view.assignment(e.assignmentId);
  if (!seat) return safeMd``;
  const who = personLine(knownPerson(view, seat.assignee)) ?? seat.assignee.id;
  return safeMd` · ${who}`;
}
