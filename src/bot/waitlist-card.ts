import type { Iso, LicensePool, WaitlistEntry } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { waitlistQueue } from '../domain/waitlist-queue.js';
import type { WaitlistCardKind } from '../cards/views/waitlist-view.js';
import type { Reply, ReplyTarget } from './chat-event.js';
import { poolRef } from './card-views.js';
import { replyCard } from './reply-card.js';
import { formatDateTime } from '../cards/format-date.js';

/** Who looks at a waitlist card: admins see every name, anyone else only their own place. */
export interface WaitlistViewer {
  id: string;
  email: string;
  isAdmin: boolean;
}

const isViewer = (e: WaitlistEntry, v: WaitlistViewer): boolean =>
  e.person.id === v.id || e.person.email === v.email.toLowerCase();

/**
 * The waitlist card of a pool for one viewer: its line (names only for admins and the viewer's own place), and
 * the viewer's buttons: Join when not in line (and holding no seat), Claim while a seat is held for them,
 * Leave while they wait or hold an offer.
 */
export function waitlistCard(
  view: LedgerView,
  pool: LicensePool,
  o: {
    to: ReplyTarget;
    viewer: WaitlistViewer;
    kind: WaitlistCardKind;
    message: string;
    timeZone: string;
    now: Iso;
    parentId?: string | null;
  },
): Reply {
  const queue = waitlistQueue(view, pool.id);
  const own = queue.find((e) => isViewer(e, o.viewer));
  const holds =
    view.openSeat(pool.id, { kind: 'user', id: o.viewer.id, email: o.viewer.email.toLowerCase() }) !==
    undefined;
  const places = queue.map((e, i) => {
    const you = isViewer(e, o.viewer);
    return {
      position: i + 1,
      person: you || o.viewer.isAdmin ? { name: e.person.name, email: e.person.email } : null,
      you,
      offeredUntil: e.status === 'offered' ? e.offerExpiresAt : null,
    };
  });
  const offerLive = own?.status === 'offered' && own.offerExpiresAt !== null && own.offerExpiresAt > o.now;
  return replyCard(
    o.to,
    'waitlist',
    {
      kind: o.kind,
      pool: poolRef(pool, pool.id),
      message: o.message,
      timeZone: o.timeZone,
      // The offer card speaks to one person: the line is not theirs to see.
      places: o.kind === 'offer' ? [] : places,
      join: own === undefined && !holds && o.kind !== 'offer',
      claim: offerLive,
      leave: own !== undefined,
    },
    o.parentId,
  );
}

/** The direct message to a person a freed seat is held for: Claim and Leave. */
export function waitlistOfferReply(
  view: LedgerView,
  entry: WaitlistEntry,
  now: Iso,
  timeZone: string,
): Reply | null {
  const pool = view.pool(entry.poolId);
  if (!pool) return null;
  const product = pool.productName;
  return waitlistCard(view, pool, {
    to: { personId: entry.person.id },
    viewer: { id: entry.person.id, email: entry.person.email ?? '', isAdmin: false },
    kind: 'offer',
    message: `A ${product} seat is free and held for you until ${formatDateTime(entry.offerExpiresAt, timeZone)}. Press Claim to take it (or say "claim ${product}"), or Leave to pass it to the next in line.`,
    timeZone,
    now,
  });
}
