import { describe, expect, it } from 'vitest';
import { joinMd, safeMd, userText, MAX_INTERPOLATED_CHARS, type Markdown } from '../../src/cards/safe-md.js';

describe('safeMd', () => {
  it("keeps the bot's own words and markup, makes every interpolated value inert, with no backslash", () => {
    const product = 'Alpha <@all> [Reset your SSO password](https://evil.example/sso)';
    const md = safeMd`Granted **${product}** (at most ${3} seats).`;
    expect(md.text).toBe(
      'Granted **Alpha <\u200B@all> [Reset your SSO password]\u200B(https\u200B://evil\u200B.example/sso)** (at most 3 seats).',
    );
    expect(md.card).toBe(md.text);
    expect(md.text).not.toContain('\\');
  });

  it('applies the message rule to `text` and the card rule to `card`', () => {
    const md = safeMd`Reason: ${'`rm -rf` <b>now</b> **bold**'}`;
    expect(md.text).toBe('Reason: ˋrm -rfˋ <\u200Bb>now<\u200B/b> ∗∗bold∗∗');
    expect(md.card).toBe('Reason: `rm -rf` <b>now</b> ∗∗bold∗∗');
  });

  it('keeps markdown built by safeMd, alone or in a list, as it is', () => {
    const line = (v: string): Markdown => safeMd`\n- **${v}**: ok`;
    expect(safeMd`Done.${[line('cPod'), line('*x*')]}${safeMd` (see _help_)`}`.text).toBe(
      'Done.\n- **cPod**: ok\n- **∗x∗**: ok (see _help_)',
    );
    expect(joinMd([userText('a_b', 10), userText('_c_', 10)], ', ').card).toBe('a_b, ＿c＿');
  });

  it('flattens line breaks inside values, so a value cannot start a list, quote or heading', () => {
    expect(safeMd`Note: ${'ok\n# Heading\n> quote\n- item'}`.text).toBe('Note: ok # Heading > quote - item');
    expect(safeMd`${'# Heading'}`.text).toBe('\u200B# Heading');
  });

  it(`cuts a value over ${MAX_INTERPOLATED_CHARS} characters with an ellipsis`, () => {
    const out = safeMd`[${'x'.repeat(MAX_INTERPOLATED_CHARS + 50)}]`.text;
    expect(out).toBe(`[${'x'.repeat(MAX_INTERPOLATED_CHARS - 1)}…]`);
  });

  it('refuses a look-alike object that safeMd did not build', () => {
    const forged = { text: '<@all>', card: '<@all>' } as unknown as Markdown;
    expect(() => safeMd`${forged}`).toThrow(/Only markdown made by safeMd/);
  });
});
