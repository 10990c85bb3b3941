import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, neutralizeTemplate, plainText } from '../../src/cards/escape-markdown.js';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { NOW, pool, usage } from './card-fixtures.js';

// eslint-disable-next-line no-control-regex -- mirrors the characters escapeMarkdown drops
const DROPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-template-curly-in-string -- template syntax in user text is the attack under test
const TRICKY = ['${x}', '$${', '[a](b)', '\\', '<@all>', '}}{{'];
const SPECIAL = new Set('\\`*_[]<>~#|&');
const ZWSP = /\u200B/g;
/** Strings made of the pieces of links, mentions and markup, so the property runs over them often. */
const LINKY = fc
  .array(fc.constantFrom('https', '://', 'www', '.', 'evil', 'example', '/', '<@', 'all', '>', '[', ']', '(', ')', '!', '*', '_', '`', '&', ';', 'x', ' ', '-', '1', '#'), { maxLength: 24 })
  .map((parts) => parts.join(''));

/** Undo escapeMarkdown's escapes; returns null if some special character was left unescaped. */
function unescape(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (
        next === undefined ||
        !(SPECIAL.has(next) || next === '-' || next === '+' || next === '.' || next === ')')
      )
        return null;
      out += next;
      i++;
    } else if (SPECIAL.has(c)) {
      return null;
    } else out += c;
  }
  return out.replace(ZWSP, '');
}

describe('escapeMarkdown', () => {
  it('escapes links, images, emphasis, code, mentions and HTML', () => {
    expect(escapeMarkdown('[x](http://e.vil) ![i](u) **b** _i_ `c` ~~s~~ <@all> <b>')).toBe(
      '\\[x\\](http\u200B://e\u200B.vil) !\\[i\\](u) \\*\\*b\\*\\* \\_i\\_ \\`c\\` \\~\\~s\\~\\~ \\<\u200B@all\\> \\<b\\>',
    );
  });

  it('defuses autolinks and mentions with an invisible zero-width space, leaving plain punctuation as written', () => {
    expect(escapeMarkdown('see https://evil.example/sso or WWW.evil.example')).toBe('see https\u200B://evil\u200B.example/sso or WWW\u200B.evil.example');
    expect(escapeMarkdown('<@personEmail:x@y.z>')).toBe('\\<\u200B@personEmail:x@y.z\\>');
    expect(escapeMarkdown('&lt;@all&gt;')).toBe('\\&lt;@all\\&gt;');
    expect(escapeMarkdown('Zoom (Pro) for ana@example.com, Monday.com!')).toBe('Zoom (Pro) for ana@example.com, Monday.com!');
  });

  it('flattens line breaks and escapes leading list, heading and quote markers', () => {
    expect(escapeMarkdown('# Title\n- item\r\n> quote')).toBe('\\# Title - item \\> quote');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('+ plus')).toBe('\\+ plus');
  });

  it('neutralises template syntax with a zero-width space', () => {
    // eslint-disable-next-line no-template-curly-in-string -- the literal is the input under test
    const input = 'a ${b} c';
    expect(neutralizeTemplate(input)).toBe('a $\u200B{b} c');
    expect(escapeMarkdown(input)).toBe('a $\u200B{b} c');
    expect(plainText(input)).toBe('a $\u200B{b} c');
  });

  it('keeps quotes and emoji, drops control and bidi-override characters', () => {
    expect(escapeMarkdown('"Ana" 🎉\u202Egnp.exe\u0007')).toBe('"Ana" 🎉gnp.exe');
    expect(plainText('Zoom [Pro]\n')).toBe('Zoom [Pro]');
  });

  it('cuts long text at a code point boundary with an ellipsis, before escaping', () => {
    expect(escapeMarkdown('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(escapeMarkdown('*'.repeat(10), 3)).toBe('\\*\\*…');
    expect(escapeMarkdown(null)).toBe('');
  });

  it('for any text: nothing special is left unescaped, no `${` remains, and unescaping restores the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), LINKY), (s) => {
        const escaped = escapeMarkdown(s, 1000);
        expect(escaped).not.toContain('${');
        // No mention, scheme URL or www. link survives: each has an invisible break in it.
        expect(escaped).not.toMatch(/<@|(?<!\u200B):\/\/|\bwww\./i);
        const back = unescape(escaped);
        expect(back).not.toBeNull();
        const expected = s
          .replace(ZWSP, '')
          .replace(DROPPED, '')
          .replace(/\s*[\r\n\t\u2028\u2029]+\s*/g, ' ')
          .trim();
        expect(back).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('for any requester text: the approval card stays valid and renders', () => {
    const text = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...TRICKY));
    fc.assert(
      fc.property(text, text, text, (name, email, reason) => {
        const { card, markdown } = renderCard('approval-request', {
          now: NOW,
          assignmentId: 'req-1',
          requester: { name, email },
          pool: pool(1, { productName: reason }),
          usage: usage(10, 1, 0, 1),
          seats: 1,
          reason,
          days: null,
          expiresAt: null,
          requestedAt: NOW,
        });
        expect(validateCard(card)).toEqual([]);
        expect(markdown).not.toContain('${');
      }),
      { numRuns: 60 },
    );
  });
});
