import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardText, messageText, neutralizeTemplate, plainText } from '../../src/cards/escape-markdown.js';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { NOW, pool, usage } from './card-fixtures.js';

// eslint-disable-next-line no-control-regex -- mirrors the characters the policy drops
const DROPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-template-curly-in-string -- template syntax in user text is the attack under test
const TRICKY = ['${x}', '$${', '[a](b)', '\\', '<@all>', '}}{{'];
/** The look-alikes the policy writes, and the characters they stand for. */
const LOOK_ALIKES: Record<string, string> = { '∗': '*', '＿': '_', 'ˋ': '`', '∼': '~' };
const ZWSP = /\u200B/g;
/** Strings made of the pieces of links, mentions and markup, so the properties run over them often. */
const LINKY = fc
  .array(
    fc.constantFrom('https', '://', 'www', '.', 'evil', 'example', '/', '<@', 'all', '>', '<', 'a', '[', ']', '(', ')', '!', '*', '_', '`', '~', '&', '#', ';', 'x', ' ', '-', '1', '\\', '$', '{', 'é', '😀'),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));
const ANY_TEXT = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), LINKY);

/** What a reader sees: zero-width spaces are invisible, look-alikes read as the character they stand for. */
const asRead = (s: string): string => s.replace(ZWSP, '').replace(/[∗＿ˋ∼]/g, (c) => LOOK_ALIKES[c] ?? c);
const cleaned = (s: string): string =>
  s
    .replace(DROPPED, '')
    .replace(/\s*[\r\n\t\u2028\u2029]+\s*/g, ' ')
    .trim();

/** Markup a CommonMark-like or Adaptive Cards renderer would act on, left in the text. */
function liveMarkup(s: string, surface: 'card' | 'message'): string[] {
  const found: string[] = [];
  if (s.includes('${')) found.push('template');
  if (/<@/.test(s)) found.push('mention');
  if (/(?<!\u200B):\/\//.test(s) || /\bwww\./i.test(s)) found.push('url');
  if (/\]\(/.test(s)) found.push('link');
  if (/\*/.test(s)) found.push('asterisk');
  if (/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u.test(s)) found.push('underscore');
  if (/^([-+]\s|\d+[.)](\s|$)|[#>])/.test(s)) found.push('block');
  if (/\\(?!\u200B)(?=[!-/:-@[-`{-~]|$)/.test(s)) found.push('escape');
  if (surface === 'message') {
    if (s.includes('`')) found.push('code');
    if (s.includes('~')) found.push('strike');
    if (/<[A-Za-z/!?]/.test(s)) found.push('html');
    if (/&#?[A-Za-z0-9]+;/.test(s)) found.push('entity');
  }
  return found;
}

describe('the text policy', () => {
  it('breaks links, images, mentions and autolinks with invisible zero-width spaces, no backslash anywhere', () => {
    const input = '[x](http://e.vil) ![i](u) <@all> see https://evil.example/sso or WWW.evil.example';
    const expected = '[x]\u200B(http\u200B://e\u200B.vil) ![i]\u200B(u) <\u200B@all> see https\u200B://evil\u200B.example/sso or WWW\u200B.evil.example';
    expect(cardText(input)).toBe(expected);
    expect(messageText(input)).toBe(expected);
    expect(messageText('<@personEmail:x@y.z>')).toBe('<\u200B@personEmail:x@y.z>');
  });

  it('turns emphasis into look-alikes, keeping the underscore of emails and ids as typed', () => {
    expect(cardText('**only** _now_ ana_diaz@example.com per_01JBX __init__')).toBe('∗∗only∗∗ ＿now＿ ana_diaz@example.com per_01JBX ＿＿init＿＿');
    expect(messageText('**only**')).toBe('∗∗only∗∗');
  });

  it('neutralises code, strikethrough, HTML and entities in messages, where Webex renders them; cards leave them as typed', () => {
    const input = '`code` ~~s~~ <b>x</b> &lt;b&gt; 5 < 6 & 7';
    expect(messageText(input)).toBe('ˋcodeˋ ∼∼s∼∼ <\u200Bb>x<\u200B/b> &\u200Blt;b&\u200Bgt; 5 < 6 & 7');
    expect(cardText(input)).toBe(input);
  });

  it('keeps plain punctuation, parentheses, quotes, emoji, bare domains and emails exactly as typed', () => {
    const plain = 'Zoom (Pro) for ana@example.com, Monday.com! "Ana" 🎉 [at most 300 characters] a|b 3 # 4';
    expect(cardText(plain)).toBe(plain);
    expect(messageText(plain)).toBe(plain);
  });

  it('flattens line breaks and puts an invisible break before a leading list, heading or quote marker', () => {
    expect(messageText('# Title\n- item\r\n> quote')).toBe('\u200B# Title - item > quote');
    expect(cardText('- item')).toBe('\u200B- item');
    expect(cardText('1. first')).toBe('\u200B1. first');
    expect(messageText('> quote')).toBe('\u200B> quote');
  });

  it('keeps a backslash visible and harmless: it escapes neither the next character nor the markup after the value', () => {
    expect(messageText('C:\\Temp\\(x) \\*')).toBe('C:\\Temp\\\u200B(x) \\\u200B∗');
    expect(cardText('ends with \\')).toBe('ends with \\\u200B');
  });

  it('neutralises template syntax with a zero-width space', () => {
    // eslint-disable-next-line no-template-curly-in-string -- the literal is the input under test
    const input = 'a ${b} c';
    expect(neutralizeTemplate(input)).toBe('a $\u200B{b} c');
    expect(cardText(input)).toBe('a $\u200B{b} c');
    expect(messageText(input)).toBe('a $\u200B{b} c');
    expect(plainText(input)).toBe('a $\u200B{b} c');
  });

  it('drops control and bidi-override characters; plain text (choice and button titles) changes nothing else', () => {
    expect(cardText('"Ana" 🎉\u202Egnp.exe\u0007')).toBe('"Ana" 🎉gnp.exe');
    expect(plainText('Zoom [Pro] **x**\n')).toBe('Zoom [Pro] **x**');
  });

  it('cuts long text at a code point boundary, at a word when one is near, with an ellipsis', () => {
    expect(cardText('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(cardText('*'.repeat(10), 3)).toBe('∗∗…');
    expect(plainText('Figma Professional Enterprise Edition', 30)).toBe('Figma Professional Enterprise…');
    expect(cardText(null)).toBe('');
  });

  for (const [surface, rule] of [
    ['card', cardText],
    ['message', messageText],
  ] as const) {
    it(`for any text on a ${surface}: no live markup is left, and it reads exactly as typed`, () => {
      fc.assert(
        fc.property(ANY_TEXT, (s) => {
          const input = s.replace(/[∗＿ˋ∼\u200B]/g, '');
          const out = rule(input, 1000);
          expect(liveMarkup(out, surface)).toEqual([]);
          expect(asRead(out)).toBe(cleaned(input).replace(ZWSP, ''));
        }),
        { numRuns: 400 },
      );
    });
  }

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
          requestedAt: NOW,
        });
        expect(validateCard(card)).toEqual([]);
        expect(markdown).not.toContain('${');
      }),
      { numRuns: 60 },
    );
  });
});
