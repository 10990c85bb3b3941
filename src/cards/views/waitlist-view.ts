import type { Iso } from '../../domain/ledger.js';
import type { PersonText, PoolRef } from '../card-data.js';
import { formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import { safeMd, userText, type Markdown } from '../safe-md.js';
import { cardFact, fallbackFact, type CardView, type Fact } from './card-view.js';
import { poolTitle } from './summary-view.js';

/** 'full': a request found no seat (Join); 'offer': a seat is held for the viewer (Claim, Leave); 'queue': the line. */
export type WaitlistCardKind = 'full' | 'offer' | 'queue';

/** One place in the line; `person` is null when the viewer may not see who it is (not an admin, not them). */
export interface WaitlistPlace {
  position: number;
  person: PersonText | null;
  you: boolean;
  /** Set while a seat is held for this place. */
  offeredUntil: Iso | null;
}

export interface WaitlistCardData {
  kind: WaitlistCardKind;
  pool: PoolRef;
  /** Why this card: the ledger's words (text, escaped here). */
  message: string;
  timeZone?: string;
  places: WaitlistPlace[];
  /** Which buttons the viewer gets. */
  join: boolean;
  claim: boolean;
  leave: boolean;
}

const TITLES: Record<WaitlistCardKind, string> = {
  full: '⏳ No free seat',
  offer: '🎟️ A seat is held for you',
  queue: '📋 Waitlist',
};

/** Places shown at most (the rest are counted). */
export const MAX_PLACES = 20;

export function waitlistView(d: WaitlistCardData): CardView {
  const title = safeMd`${TITLES[d.kind]}: ${poolTitle(d.pool)}`;
  const message = userText(d.message, 600);
  const shown = d.places.slice(0, MAX_PLACES);
  const facts: Fact[] = shown.map((p) => {
    const who: Markdown = p.you ? safeMd`you` : p.person === null ? safeMd`someone` : personLabel(p.person);
    const value =
      p.offeredUntil === null
        ? safeMd`${who}, waiting`
        : safeMd`${who}, offered a seat until ${formatDateTime(p.offeredUntil, d.timeZone)}`;
    return { title: `${p.position}.`, value };
  });
  if (d.places.length > shown.length)
    facts.push({ title: '…', value: safeMd`${d.places.length - shown.length} more waiting` });
  const view = {
    title: title.card,
    message: message.card,
    hasQueue: facts.length > 0,
    queue: facts.map(cardFact),
    poolId: d.pool.id,
    hasJoin: d.join,
    hasClaim: d.claim,
    hasLeave: d.leave,
  };
  const buttons = [
    d.join ? 'Join the waitlist' : null,
    d.claim ? 'Claim' : null,
    d.leave ? 'Leave' : null,
  ].filter((b) => b !== null);
  const fallback = [
    `**${title.text}**`,
    message.text,
    ...facts.map(fallbackFact),
    ...(buttons.length > 0 ? [`On the card: ${buttons.join(', ')}.`] : []),
  ];
  return { view, fallback };
}
