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

  it.each([
    ['0', 'days must be from 1 to 365'],
    ['366', 'days must be from 1 to 365'],
    ['1.5', 'days must be a number'],
    ['ten', 'days must be a number'],
    ['-3', 'days must be a number'],
  ])('refuses days=%s with a clear error', (days, message) => {
    const r = parseCardAction({ action: 'seat.request', poolId: 'p', days });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('refuses reasons and notes over 300 characters', () => {
    const r = parseCardAction({ action: 'seat.request', poolId: 'p', reason: 'x'.repeat(301) });
    expect(r).toEqual({
      ok: false,
      error: 'Cannot run "seat.request": reason must be at most 300 characters.',
    });
    expect(parseCardAction({ action: 'seat.deny', assignmentId: 'a', note: 'y'.repeat(301) })).toMatchObject({
      ok: false,
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
    expect(parseCardAction({ action: 'summary.page', page: -1 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('page must be 0 or more'),
    });
    expect(parseCardAction({ action: 'summary.page', page: 1.5 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('whole number'),
    });
    expect(parseCardAction({ action: 'summary.page' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('page must be a number'),
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

  it('says to choose first when a choice set was left empty', () => {
    expect(parseCardAction({ action: 'seat.release', assignmentId: '' })).toEqual({
      ok: false,
      error: 'Cannot run "seat.release": seat is missing: choose one first.',
    });
    expect(parseCardAction({ action: 'seat.revoke', poolId: 'p' })).toEqual({
      ok: false,
      error: 'Cannot run "seat.revoke": seat is missing: choose one first.',
    });
    expect(parseCardAction({ action: 'pool.show', poolId: 42 })).toEqual({
      ok: false,
      error: 'Cannot run "pool.show": license must be text.',
    });
  });

  it('refuses unknown, missing and malformed actions', () => {
    expect(parseCardAction({ action: 'seat.teleport' })).toEqual({
      ok: false,
      error: 'Unknown card action "seat.teleport".',
    });
    expect(parseCardAction({ action: 7 })).toEqual({
      ok: false,
      error: 'Unknown card action of type number.',
    });
    expect(parseCardAction({ poolId: 'p' })).toEqual({
      ok: false,
      error: 'The card did not say what to do (no "action" in its data).',
    });
    expect(parseCardAction(null)).toEqual({ ok: false, error: 'Card inputs must be an object.' });
    expect(parseCardAction('{"action":"pool.show"}')).toEqual({
      ok: false,
      error: 'Card inputs must be an object.',
    });
    expect(parseCardAction([{ action: 'pool.show' }])).toEqual({
      ok: false,
      error: 'Card inputs must be an object.',
    });
  });

  it('does not accept inherited or prototype tricks as an action name', () => {
    expect(parseCardAction({ action: 'toString' })).toMatchObject({ ok: false });
    expect(parseCardAction({ action: '__proto__' })).toMatchObject({ ok: false });
  });
});
