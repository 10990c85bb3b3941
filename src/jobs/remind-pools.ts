import type { Clock } from '../clock.js';
import { planPoolReminders } from '../domain/plan-pool-reminders.js';
import type { SeatStore } from '../store/seat-store.js';
import type { BotNotices, Reply } from '../bot/chat-event.js';

/**
 * Pool expiry and renewal reminders (90, 60, 30, 7 days) and low-seat alerts for the admins: the reminders
 * due are recorded in the ledger in one write, then returned to be sent (at most once: a crash between the
 * write and the send loses them rather than sending them twice, however often the job fires).
 */
export async function remindPools(deps: { store: SeatStore; clock: Clock; notices: BotNotices; timeZone: string }): Promise<Reply[]> {
  const now = deps.clock.now().toISOString();
  const reminders = await deps.store.update((view) => {
    const plan = planPoolReminders(view, now, deps.timeZone);
    return { changes: plan.changes, result: plan.reminders };
  });
  const view = deps.store.read();
  return reminders.flatMap((r) => deps.notices.poolReminder(view, r));
}
