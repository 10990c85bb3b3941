import type { AuditEvent } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { actorLine } from '../domain/seat-history.js';
import { knownPerson, personLine } from '../domain/known-person.js';
import { formatDateTime } from '../cards/format-date.js';
import { paginate } from '../cards/paginate.js';
import { safeMd, type Markdown } from '../cards/safe-md.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { replyText } from './reply-card.js';
import { AUDIT_ACTION_TEXT } from './audit-action-text.js';

/**
 * A page of audit events, newest first (events of one instant keep their reverse recording order), each as
 * "when · what · whose seat or which license · by whom", with the command that shows the next page.
 * `about`: 'pool' names the seat's holder (one license's trail), 'seat' the license (one person's history).
 */
export function historyReply(
  ctx: BotContext,
  view: LedgerView,
  events: readonly AuditEvent[],
  o: { title: Markdown; about: 'pool' | 'seat'; page: number; nextCommand: (page: number) => string },
): Reply[] {
  const newest = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : b.i - a.i))
    .map(({ e }) => e);
  if (newest.length === 0) return [replyText(ctx.here, safeMd`${o.title}: nothing recorded yet.`, ctx.parentId)];
  const page = paginate(newest, o.page - 1);
  const lines = page.items.map((e) => safeMd`- ${formatDateTime(e.at, ctx.timeZone)} · ${AUDIT_ACTION_TEXT[e.action]}${subject(view, e, o.about)} · by ${actorLine(view, e.actor)}${e.note ? safeMd` (${e.note})` : safeMd``}`);
  const where = page.pageCount > 1 ? safeMd` (page ${page.page + 1} of ${page.pageCount})` : safeMd``;
  const more = page.hasNext ? safeMd`\nMore: say **${o.nextCommand(page.page + 2)}**.` : safeMd``;
  return [replyText(ctx.here, safeMd`${o.title}${where}, newest first:\n${lines.map((l) => safeMd`${l}\n`)}${more}`, ctx.parentId)];
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
