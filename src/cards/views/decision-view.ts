import type { DecisionCardData, DecisionKind } from '../card-data.js';
import { formatDate, formatDateTime } from '../format-date.js';
import { personLabel } from '../person-label.js';
import { safeMd, userText } from '../safe-md.js';
import { cardFact, fallbackFact, type CardView, type Fact } from './card-view.js';
import { poolTitle } from './summary-view.js';
import { UNDO_MINUTES } from '../../domain/ledger-command.js';

const HEADINGS: Record<DecisionKind, string> = {
  approved: '✅ Seat approved',
  granted: '✅ Seat granted',
  denied: '🚫 Request denied',
  released: '↩️ Seat released',
  revoked: '⛔ Seat revoked',
  expired: '⌛ Seat expired',
  cancelled: '✖️ Request cancelled',
  restored: '↩️ Seat restored',
  extended: '⏩ Seat extended',
  extension_requested: '⏳ Extension requested',
  extension_denied: '🚫 Extension denied',
  ending: '⏳ Seat ending soon',
  idle: '💤 Seat unused',
  write_back_refused: '⚠️ Vendor refused the change',
};

/** Kinds whose card shows the seat's end date. */
const SHOWS_END: ReadonlySet<DecisionKind> = new Set<DecisionKind>(['approved', 'granted', 'restored', 'extended', 'extension_requested', 'extension_denied', 'ending']);

export function decisionView(d: DecisionCardData): CardView {
  const facts: Fact[] = [
    { title: 'License', value: poolTitle(d.pool) },
    { title: 'For', value: personLabel(d.holder) },
    { title: 'By', value: personLabel(d.actor) },
    { title: 'When', value: safeMd`${formatDateTime(d.at, d.timeZone)}` },
    { title: 'Seats', value: safeMd`${d.seats}` },
    ...(d.expiresAt && SHOWS_END.has(d.kind)
      ? [{ title: 'Expires', value: safeMd`${d.kind === 'ending' ? formatDateTime(d.expiresAt, d.timeZone) : formatDate(d.expiresAt, d.timeZone)}` }]
      : []),
    ...(d.note?.trim() ? [{ title: 'Note', value: userText(d.note, 300) }] : []),
    ...(d.vendorState === undefined ? [] : [{ title: 'Vendor', value: safeMd`${d.vendorState}` }]),
  ];
  const undo = d.undo ?? null;
  const extend = d.extend ?? null;
  const reclaim = d.reclaim ?? null;
  const denyExtension = d.denyExtension ?? null;
  const writeBack = d.writeBack ?? null;
  const view = {
    title: HEADINGS[d.kind],
    attention: d.kind === 'denied' || d.kind === 'revoked' || d.kind === 'extension_denied' || d.kind === 'write_back_refused',
    facts: facts.map(cardFact),
    hasActions: undo !== null || extend !== null || reclaim !== null || denyExtension !== null || writeBack !== null,
    hasUndo: undo !== null,
    undoId: undo?.assignmentId ?? '',
    hasExtend: extend !== null,
    extendId: extend?.assignmentId ?? '',
    extendDays: extend?.days ?? 0,
    extendTitle: extend === null ? '' : `Extend by ${extend.days} ${extend.days === 1 ? 'day' : 'days'}`,
    hasReclaim: reclaim !== null,
    reclaimId: reclaim?.assignmentId ?? '',
    hasDenyExtension: denyExtension !== null,
    denyExtensionId: denyExtension?.assignmentId ?? '',
    hasReclaimRelease: reclaim !== null && reclaim.release !== false,
    hasWriteBack: writeBack !== null,
    writeBackId: writeBack?.intentId ?? '',
  };
  const fallback = [
    `**${view.title}**`,
    ...facts.map(fallbackFact),
    ...(undo === null ? [] : [`Changed your mind? Press Undo on the card within ${UNDO_MINUTES} minutes.`]),
    ...(extend === null ? [] : [denyExtension === null ? `Need it longer? Press "${view.extendTitle}" on the card.` : `Press "${view.extendTitle}" on the card to approve, or Deny.`]),
    ...(reclaim === null ? [] : [reclaim.release === false ? 'Still need it? Press Keep on the card.' : 'Still need it? Press Keep on the card, or Release to give it back.']),
    ...(writeBack === null ? [] : ['Press Retry on the card to try the vendor again, or Cancel to give it up.']),
  ];
  return { view, fallback };
}
