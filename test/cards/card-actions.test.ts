import { describe, expect, it } from 'vitest';
import { CARD_ACTION_NAMES, cardActionSchemas, parseCardAction } from '../../src/cards/card-actions.js';

describe('parseCardAction', () => {
  it('has one schema per action name', () => {
    expect(Object.keys(cardActionSchemas).sort()).toEqual([...CARD_ACTION_NAMES].sort());
  });

  it('parses a request with Webex-style string inputs, dropping blanks and unrelated inputs', () => {
    expect(
      parseCardAction({
        action: 'seat.request',
        poolId: 'webex:c:1',
        days: '14',
        reason: '  for QA  ',
        note: 'other input',
      }),
    ).toEqual({
      ok: true,
      action: { action: 'seat.request', poolId: 'webex:c:1', days: 14, reason: 'for QA' },
    });
    expect(parseCardAction({ action: 'seat.request', poolId: 'webex:c:1', days: '', reason: ' ' })).toEqual({
      ok: true,
      action: { action: 'seat.request', poolId: 'webex:c:1' },
    });
    expect(parseCardAction({ action: 'seat.request', poolId: 'webex:c:1', days: 365 })).toMatchObject({
      ok: true,
      action: { days: 365 },
    });
  });

  it.each(['0', '366', '400', '1.5', 'ten', '-3'])('refuses days=%s in words that say what to do, naming no internal action', (days) => {
    expect(parseCardAction({ action: 'seat.request', poolId: 'p', days })).toEqual({
      ok: false,
      title: 'Seat not requested',
      error: 'A seat can be asked for 1 to 365 days (a whole number), or with no end date: leave the days empty.',
    });
  });

  it('refuses reasons and notes over 300 characters', () => {
    const r = parseCardAction({ action: 'seat.request', poolId: 'p', reason: 'x'.repeat(301) });
    expect(r).toEqual({
      ok: false,
      title: 'Seat not requested',
      error: 'The reason is too long (at most 300 characters).',
    });
    expect(parseCardAction({ action: 'seat.deny', assignmentId: 'a', note: 'y'.repeat(301) })).toMatchObject({
      ok: false,
      title: 'Not denied',
      error: 'The note is too long (at most 300 characters).',
    });
    expect(parseCardAction({ action: 'seat.deny', assignmentId: 'a', note: 'y'.repeat(300) })).toMatchObject({
      ok: true,
    });
  });

  it('accepts page numbers as numbers or numeric strings, and refuses negatives or fractions', () => {
    expect(parseCardAction({ action: 'summary.page', page: 2 })).toEqual({
      ok: true,
      action: { action: 'summary.page', page: 2 },
    });
    expect(parseCardAction({ action: 'pending.page', page: '3' })).toEqual({
      ok: true,
      action: { action: 'pending.page', page: 3 },
    });
    for (const page of [-1, 1.5, undefined])
      expect(parseCardAction({ action: 'summary.page', page })).toEqual({
        ok: false,
        title: 'Page not shown',
        error: 'That page does not exist any more; ask again for the list.',
      });
  });

  it('maps the my-seats cancel input to assignmentId', () => {
    expect(
      parseCardAction({ action: 'seat.cancel', pendingAssignmentId: 'a-9', assignmentId: 'a-1' }),
    ).toEqual({
      ok: true,
      action: { action: 'seat.cancel', assignmentId: 'a-9' },
    });
  });

  it('says what to choose when a choice set was left empty', () => {
    expect(parseCardAction({ action: 'seat.release', assignmentId: '' })).toEqual({
      ok: false,
      title: 'Seat not released',
      error: 'Choose the seat to release first.',
    });
    expect(parseCardAction({ action: 'seat.revoke', poolId: 'p' })).toEqual({
      ok: false,
      title: 'Seat not revoked',
      error: 'Choose the seat to revoke first.',
    });
    expect(parseCardAction({ action: 'seat.approve' })).toEqual({
      ok: false,
      title: 'Not approved',
      error: 'Choose the request to approve first.',
    });
    expect(parseCardAction({ action: 'pool.show', poolId: 42 })).toEqual({
      ok: false,
      title: 'Which license?',
      error: 'This card sent something I cannot read; ask again for a fresh card.',
    });
  });

  it('refuses unknown, missing and malformed actions without naming any internal action', () => {
    const unreadable = {
      ok: false,
      title: 'Cannot do that',
      error: 'I could not read what this card sent. It may come from an older version of me: ask again for a fresh card (say "help" to see what I can do).',
    };
    for (const inputs of [{ action: 'seat.teleport' }, { action: 7 }, { poolId: 'p' }, null, '{"action":"pool.show"}', [{ action: 'pool.show' }]])
      expect(parseCardAction(inputs)).toEqual(unreadable);
  });

  it('never shows an action name or schema word in any refusal', () => {
    for (const name of CARD_ACTION_NAMES) {
      const r = parseCardAction({ action: name, page: 'x', days: '400', assignmentId: '', poolId: '', reason: 'r'.repeat(400), note: 'n'.repeat(400) });
      if (r.ok) continue;
      expect(`${r.title} ${r.error}`, name).not.toMatch(/seat\.|pool\.|\.page|Cannot run|missing|must be text|action/);
    }
  });

  it('does not accept inherited or prototype tricks as an action name', () => {
    expect(parseCardAction({ action: 'toString' })).toMatchObject({ ok: false });
    expect(parseCardAction({ action: '__proto__' })).toMatchObject({ ok: false });
  });
});
