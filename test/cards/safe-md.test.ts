import { describe, expect, it } from 'vitest';
import { safeMd, MAX_INTERPOLATED_CHARS, type Markdown } from '../../src/cards/safe-md.js';

describe('safeMd', () => {
  it("keeps the bot's own words and markup, escapes every interpolated value", () => {
    const product = 'Alpha <@all> [Reset your SSO password](https://evil.example/sso)';
    expect(safeMd`Granted **${product}** (at most ${3} seats).`.text).toBe(
      'Granted **Alpha \\<\u200B@all\\> \\[Reset your SSO password\\](https\u200B://evil\u200B.example/sso)** (at most 3 seats).',
    );
  });

  it('keeps markdown built by safeMd, alone or in a list, as it is', () => {
    const line = (v: string): Markdown => safeMd`\n- **${v}**: ok`;
    expect(safeMd`Done.${[line('cPod'), line('*x*')]}${safeMd` (see _help_)`}`.text).toBe(
      'Done.\n- **cPod**: ok\n- **\\*x\\***: ok (see _help_)',
    );
  });

  it('flattens line breaks inside values, so a value cannot start a list, quote or heading', () => {
    expect(safeMd`Note: ${'ok\n# Heading\n> quote\n- item'}`.text).toBe(
      'Note: ok \\# Heading \\> quote - item',
    );
  });

  it(`cuts a value over ${MAX_INTERPOLATED_CHARS} characters with an ellipsis`, () => {
    const out = safeMd`[${'x'.repeat(MAX_INTERPOLATED_CHARS + 50)}]`.text;
    expect(out).toBe(`[${'x'.repeat(MAX_INTERPOLATED_CHARS - 1)}…]`);
  });

  it('refuses a look-alike object that safeMd did not build', () => {
    const forged = { text: '<@all>' } as unknown as Markdown;
    expect(() => safeMd`${forged}`).toThrow(/Only markdown made by safeMd/);
  });
});
