import type { SeatAssignment } from '../domain/ledger.js';
import type { ReplyTarget } from './chat-event.js';
import type { BotAccess } from './bot-deps.js';

/** The seat holder: by Webex person id when they asked the bot themselves, else by email (synced or granted). */
export function holderTarget(seat: SeatAssignment): ReplyTarget {
  const selfRequested = seat.requestedBy?.kind === 'person' && seat.requestedBy.personId === seat.assignee.id;
  return selfRequested ? { personId: seat.assignee.id } : { personEmail: seat.assignee.email ?? seat.assignee.id };
}

/** Where approval requests go: the admin space, or each admin directly when none is configured. */
export function adminTargets(access: BotAccess): ReplyTarget[] {
  return access.adminSpaceId ? [{ roomId: access.adminSpaceId }] : access.adminEmails.map((e) => ({ personEmail: e }));
}
