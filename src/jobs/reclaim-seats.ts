import type { Clock } from '../clock.js';
import type { Change, NoticeMark } from '../domain/ledger.js';
import { markNotice } from '../domain/mark-notice.js';
import { noticeId } from '../domain/notice-id.js';
import { planReclaim, type ReclaimStep } from '../domain/plan-reclaim.js';
import { DEFAULT_RECLAIM_AFTER_DAYS, RECLAIM_ANSWER_DAYS } from '../domain/reclaim-rules.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';
import type { BotNotices, Outbox, Reply } from '../bot/chat-event.js';
import { offerNotices } from './offer-notices.js';

export interface ReclaimReport {
  /** Holders asked Keep / Release about an idle seat. */
  asked: number;
  /** Bot-granted seats released after RECLAIM_ANSWER_DAYS without an answer (policy 'auto'). */
  released: number;
  /** Idle seats reported to the admins instead (vendor-held, or the ledger would not release them). */
  reported: number;
}

export interface ReclaimDeps {
  store: SeatStore;
  clock: Clock;
  outbox: Outbox;
  notices: BotNotices;
  /** RECLAIM_AFTER_DAYS (default 60). */
  afterDays?: number;
}

/**
 * Reclaim of idle seats on pools whose policy says `reclaim ask|auto` (see planReclaim): asks each idle holder
 * once (Keep / Release), and with 'auto' releases an unanswered bot-granted seat through the ledger after
 * RECLAIM_ANSWER_DAYS, or only reports a vendor-held one to the admins. Every step is marked in the ledger
 * before its message is sent, so any firing frequency sends nothing twice. The reminder job runs it.
 */
export async function reclaimSeats(deps: ReclaimDeps): Promise<ReclaimReport> {
  const afterDays = deps.afterDays ?? DEFAULT_RECLAIM_AFTER_DAYS;
  const nowIso = deps.clock.now().toISOString();
  const replies: Reply[] = [];
  const report: ReclaimReport = { asked: 0, released: 0, reported: 0 };
  const handled = (step: ReclaimStep): NoticeMark => ({ ...(step.mark ?? { id: noticeId.reclaim(step.seat.id), kind: 'reclaim', subject: step.seat.id, on: nowIso }), thresholds: [RECLAIM_ANSWER_DAYS], active: false, at: nowIso });
  const same = (a: ReclaimStep, b: ReclaimStep): boolean => a.kind === b.kind && a.seat.id === b.seat.id;

  for (const step of planReclaim(deps.store.read(), nowIso, afterDays).filter((s) => s.kind === 'release')) {
    const result = await runLedgerCommand(deps.store, deps.clock, {
      command: { op: 'revoke', assignmentId: step.seat.id, note: `unused for ${afterDays} days; no answer within ${RECLAIM_ANSWER_DAYS} days` },
      actor: { kind: 'system', name: 'schedule' },
      source: 'schedule',
      idempotencyKey: `reclaim:${step.seat.id}@${step.mark?.on ?? nowIso}`,
    });
    const offers = result.ok && !result.replayed ? offerNotices(deps, `reclaim:${step.seat.id}@${step.mark?.on ?? nowIso}`, nowIso) : [];
    const released = result.ok;
    const marked = await deps.store.update((view) => {
      const still = released || planReclaim(view, nowIso, afterDays).some((s) => same(s, step));
      return still ? { changes: markNotice(view, handled(step), nowIso), result: true } : { changes: [], result: false };
    });
    if (!marked || result.replayed) continue;
    if (released) {
      report.released++;
      replies.push(...deps.notices.idleSeatReleased(deps.store.read(), step.seat, nowIso, afterDays));
      replies.push(...offers);
    } else {
      report.reported++;
      replies.push(...deps.notices.idleSeatReport(deps.store.read(), step.seat, nowIso, afterDays));
    }
  }

  const due = await deps.store.update((view) => {
    const steps = planReclaim(view, nowIso, afterDays).filter((s) => s.kind !== 'release');
    const changes: Change[] = [];
    for (const step of steps) {
      const mark: NoticeMark =
        step.kind === 'ask' ? { id: noticeId.reclaim(step.seat.id), kind: 'reclaim', subject: step.seat.id, on: nowIso, thresholds: [], active: true, at: nowIso } : handled(step);
      changes.push(...markNotice(view, mark, nowIso));
    }
    return { changes, result: steps };
  });
  for (const step of due) {
    if (step.kind === 'ask') {
      report.asked++;
      replies.push(deps.notices.idleSeatQuestion(deps.store.read(), step.seat, nowIso, afterDays));
    } else {
      report.reported++;
      replies.push(...deps.notices.idleSeatReport(deps.store.read(), step.seat, nowIso, afterDays));
    }
  }
  if (replies.length > 0) await deps.outbox.send(replies);
  return report;
}
