import type { DecisionCardData } from '../cards/card-data.js';
import type { Iso, SeatAssignment } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import type { Reply } from './chat-event.js';
import { personText, poolRef } from './card-views.js';
import { holderTarget } from './notify-targets.js';
import { replyCard } from './reply-card.js';

/** What differs between the bot's own notices about a holder's seat: the kind and its buttons. */
type HolderCardExtras = Pick<DecisionCardData, 'kind'> & Pick<Partial<DecisionCardData>, 'extend' | 'reclaim'>;

/**
 * The decision card the bot sends a holder about their seat on its own (expired, ending soon, idle): no actor,
 * no note, the seat's pool, holder, seats and end date.
 */
export function holderSeatCard(view: LedgerView, seat: SeatAssignment, now: Iso, timeZone: string, extras: HolderCardExtras): Reply {
  return replyCard(holderTarget(seat), 'decision', {
    pool: poolRef(view.pool(seat.poolId), seat.poolId),
    holder: personText(view, seat),
    actor: null,
    at: now,
    timeZone,
    seats: seat.seats,
    note: null,
    expiresAt: seat.expiresAt,
    ...extras,
  });
}
