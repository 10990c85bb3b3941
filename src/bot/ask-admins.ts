import type { Reply, ReplyTarget } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { adminTargets } from './notify-targets.js';
import { sendNotices, type MissedNotice } from './send-notices.js';

/** How the actor reads an admin target in "I could not notify …". */
function adminRecipient(to: ReplyTarget): string {
  return 'roomId' in to ? "the license admins' space" : 'personEmail' in to ? to.personEmail : 'an admin';
}

/** Sends `build(target)` to every admin target (the admin space, or each admin) and reports the ones that did not arrive. */
export function askAdmins(ctx: BotContext, build: (to: ReplyTarget) => Reply): Promise<MissedNotice[]> {
  return sendNotices(ctx, adminTargets(ctx.deps.access).map((to) => ({ reply: build(to), recipient: adminRecipient(to) })));
}
