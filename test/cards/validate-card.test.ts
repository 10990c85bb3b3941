import { describe, expect, it } from 'vitest';
import { validateCard } from '../../src/cards/validate-card.js';

const submit = (title: string, action = 'summary.page') => ({
  type: 'Action.Submit',
  title,
  data: { action, page: 0 },
});
const card = (extra: Record<string, unknown> = {}) => ({
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: 'Hello', wrap: true }],
  actions: [submit('More')],
  ...extra,
});

describe('validateCard', () => {
  it('accepts a plain 1.3 card with a known submit action', () => {
    expect(validateCard(card())).toEqual([]);
  });

  it('rejects Action.Execute (1.4, no invoke channel in Webex)', () => {
    const errors = validateCard(card({ actions: [{ type: 'Action.Execute', title: 'Go', verb: 'x' }] }));
    expect(errors.some((e) => e.includes('UnknownActionType'))).toBe(true);
    expect(errors.some((e) => e.includes('Action.Execute is not supported by Webex'))).toBe(true);
  });

  it('rejects Action.ToggleVisibility, which the SDK accepts under 1.3', () => {
    const errors = validateCard(
      card({ actions: [{ type: 'Action.ToggleVisibility', title: 'Toggle', targetElements: ['a'] }] }),
    );
    expect(errors).toEqual(['$.actions[0]: Action.ToggleVisibility is not supported by Webex']);
  });

  it('rejects a Table element and TextBlock style "heading" (above 1.3)', () => {
    const errors = validateCard(
      card({
        body: [
          { type: 'TextBlock', text: 'Title', style: 'heading' },
          { type: 'Table', columns: [], rows: [] },
        ],
      }),
    );
    expect(errors.some((e) => e.includes('UnsupportedProperty'))).toBe(true);
    expect(errors).toContain('$.body[0]: style "heading" is above 1.3');
    expect(errors.some((e) => e.includes('UnknownElementType'))).toBe(true);
  });

  it('counts actions across ActionSets and the card: 6 in total is too many', () => {
    const errors = validateCard(
      card({
        body: [{ type: 'ActionSet', actions: [submit('a'), submit('b'), submit('c')] }],
        actions: [submit('d'), submit('e'), submit('f')],
      }),
    );
    expect(errors).toContain('card: 6 actions in total, Webex allows 5');
  });

  it('lets the SDK flag 6 actions in one set too', () => {
    const errors = validateCard(card({ actions: ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => submit(t)) }));
    expect(errors.some((e) => e.startsWith('sdk TooManyActions'))).toBe(true);
  });

  it('rejects a submit whose data.action is unknown or missing', () => {
    expect(validateCard(card({ actions: [submit('Go', 'seat.teleport')] }))).toEqual([
      '$.actions[0]: Action.Submit data.action "seat.teleport" is not a known card action',
    ]);
    expect(validateCard(card({ actions: [{ type: 'Action.Submit', title: 'Go' }] }))).toEqual([
      '$.actions[0]: Action.Submit needs an object "data" with an "action"',
    ]);
  });

  it('rejects template leftovers and unexpanded $when keys', () => {
    // eslint-disable-next-line no-template-curly-in-string -- a leftover template expression is the input under test
    const leftover = '${missing} of 10 free';
    // eslint-disable-next-line no-template-curly-in-string -- an unexpanded $when is the input under test
    const errors = validateCard(card({ body: [{ type: 'TextBlock', text: leftover, $when: '${x}' }] }));
    expect(errors).toContain(`template leftover at $.body[0].text: ${leftover}`);
    expect(errors).toContain('template leftover at $.body[0].$when: template key left over');
  });

  it('accepts text with a neutralised `$\u200B{` (what user text becomes)', () => {
    expect(validateCard(card({ body: [{ type: 'TextBlock', text: 'costs $\u200B{x}' }] }))).toEqual([]);
  });

  it('requires version "1.3" at the top level (the SDK does not check)', () => {
    expect(validateCard(card({ version: '1.5' }))).toEqual(['card: version must be "1.3" (got "1.5")']);
    const { version: _omit, ...noVersion } = card();
    expect(validateCard(noVersion)).toEqual(['card: version must be "1.3" (got undefined)']);
  });

  it('rejects duplicate input ids and required inputs without label or errorMessage', () => {
    const errors = validateCard(
      card({
        body: [
          { type: 'Input.Text', id: 'note' },
          { type: 'Input.Text', id: 'note', isRequired: true },
        ],
      }),
    );
    expect(errors.some((e) => e.includes('DuplicateId'))).toBe(true);
    expect(errors).toContain('card: input id "note" is used 2 times');
    expect(errors).toContain('$.body[1]: required input needs a label and an errorMessage');
  });

  it('rejects refresh/authentication and non-objects', () => {
    expect(validateCard(card({ refresh: { action: {} } }))).toContain(
      'card: "refresh" is not supported by Webex',
    );
    expect(validateCard('{"type":"AdaptiveCard"}')).toEqual(['card: must be a JSON object']);
    expect(validateCard(null)).toEqual(['card: must be a JSON object']);
  });

  it('does not treat keys inside submit data as card elements', () => {
    const c = card({
      actions: [
        {
          type: 'Action.Submit',
          title: 'Go',
          data: { action: 'summary.page', page: 0, type: 'Table', style: 'heading' },
        },
      ],
    });
    expect(validateCard(c)).toEqual([]);
  });
});
