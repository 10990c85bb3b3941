// The decision card's Undo and Extend buttons: valid for Webex, and their submits parse into the actions the bot routes.
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { parseCardAction } from '../../src/cards/card-actions.js';
import type { DecisionCardData } from '../../src/cards/card-data.js';
import { pressSubmit, submits } from './card-inspect.js';

const base: DecisionCardData = {
  kind: 'released',
  pool: { id: 'cpod:default:figma', productName: 'Figma', vendor: 'cpod' },
  holder: { name: 'Cy User', email: 'cy@example.com' },
  actor: { name: 'Cy User', email: 'cy@example.com' },
  at: '2026-03-02T09:00:00.000Z',
  seats: 1,
  note: null,
  expiresAt: '2026-03-04T09:00:00.000Z',
};

describe('decision card buttons', () => {
  it('has no buttons unless asked', () => {
    expect(submits(renderCard('decision', base).card)).toEqual([]);
  });

  it('offers Undo on a release, for 10 minutes as the fallback says', () => {
    const { card, markdown } = renderCard('decision', { ...base, undo: { assignmentId: 'seat_1' } });
    expect(validateCard(card)).toEqual([]);
    expect(parseCardAction(pressSubmit(card, 'Undo'))).toEqual({ ok: true, action: { action: 'seat.restore', assignmentId: 'seat_1' } });
    expect(markdown).toContain('within 10 minutes');
  });

  it('offers Extend by the seat term on the ending warning', () => {
    const { card } = renderCard('decision', { ...base, kind: 'ending', actor: null, extend: { assignmentId: 'seat_1', days: 14 } });
    expect(validateCard(card)).toEqual([]);
    expect(parseCardAction(pressSubmit(card, 'Extend by 14 days'))).toEqual({ ok: true, action: { action: 'seat.extend', assignmentId: 'seat_1', days: 14 } });
  });
});
