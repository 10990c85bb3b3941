/** Vendor and user text for tests of the text policy, and how a reader sees the result. */

/** Vendor and user text that tries every kind of markup, template syntax and Unicode trick. */
export const HOSTILE = {
  markdown: '**only** _em_ [click](https://evil.example/x) `code` ~~gone~~',
  blocks: '- item # head > quote 1. one',
  // eslint-disable-next-line no-template-curly-in-string -- card-template syntax is the attack under test
  template: '${$root.title} ${poolId} {{DATE(2017-02-14T06:08:00Z)}} $${x}',
  html: '<b>bold</b> <a href="https://evil.example">x</a> &lt;i&gt; &amp;',
  mention: '<@all> <@personEmail:boss@example.com|Boss> www.evil.example',
  rtl: 'مرحبا بالعالم \u202Egnp.exe\u202C שלום \u2067x\u2069',
  zeroWidth: 'zero\u200Bwidth \u200Cjoin\u200D 👩‍💻',
  emoji: '🎉🚀 👍🏽 🇨🇭 Ωmega Ünïcødé',
  backslash: 'C:\\Temp\\new \\*not bold\\* ends\\',
  email: 'ana_diaz+it@example.com',
} as const;
/** A 2,000-character name of real words. */
export const LONG = 'Figma Professional Enterprise Edition for Design Teams '.repeat(40).slice(0, 2000);

const ZWSP = /\u200B/g;
const LOOK_ALIKES: Record<string, string> = { '∗': '*', '＿': '_', 'ˋ': '`', '∼': '~' };

/** What a reader sees: zero-width spaces are invisible, look-alikes read as the character they stand for. */
export const asRead = (s: string): string => s.replace(ZWSP, '').replace(/[∗＿ˋ∼]/g, (c) => LOOK_ALIKES[c] ?? c);

/** The user text as the policy shows it: controls and bidi overrides dropped, zero-width spaces unseen. */
export const shownAs = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- mirrors the characters the policy drops
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '').replace(ZWSP, '').trim();

/** Markup left live for the surface: what a renderer there would turn into a link, mention, format or block. */
export function liveMarkup(text: string, surface: 'card' | 'message'): string[] {
  const found: string[] = [];
  if (text.includes('${')) found.push('template');
  if (/<@/.test(text)) found.push('mention');
  if (/(?<!\u200B):\/\//.test(text) || /\bwww\./i.test(text)) found.push('autolink');
  if (/\]\(/.test(text)) found.push('link');
  if (/\\(?!\u200B)(?=[!-/:-@[-`{-~]|$)/.test(text)) found.push('escape');
  if (surface === 'message') {
    if (text.includes('`')) found.push('code');
    if (text.includes('~')) found.push('strike');
    if (/<[A-Za-z/!?]/.test(text)) found.push('html');
    if (/&#?[A-Za-z0-9]+;/.test(text)) found.push('entity');
    // A line (after the bot's own "- " list marker) that a value starts as a heading, quote or list.
    if (/^\s*(#|>|[-+*] |\d+[.)] )/m.test(text.replace(/^- /gm, ''))) found.push('block');
  }
  return found;
}
