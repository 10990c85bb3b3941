import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CARD_NAMES } from '../../src/cards/card-data.js';
import { fitMarkdown, MAX_MARKDOWN_BYTES } from '../../src/cards/fit-markdown.js';
import { paginate } from '../../src/cards/paginate.js';
import { CARD_TEMPLATE_DIR, loadCardTemplates } from '../../src/cards/render-card.js';

describe('card templates', () => {
  it('are exactly one JSON file per card name in cards/', () => {
    const files = readdirSync(CARD_TEMPLATE_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(CARD_NAMES.map((n) => `${n}.json`).sort());
  });

  it('load frozen, so no render can change them', () => {
    const t = loadCardTemplates().get('summary')!;
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen((t['body'] as object[])[0])).toBe(true);
    expect(t['version']).toBe('1.3');
  });

  it('fail loudly with a stable code when a template is missing or not JSON', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'cards-'))}/`;
    expect(() => loadCardTemplates(dir)).toThrow(
      expect.objectContaining({ code: 'CARD_TEMPLATE_UNREADABLE' }),
    );
    for (const n of CARD_NAMES) writeFileSync(`${dir}${n}.json`, '{"type":"AdaptiveCard"}');
    writeFileSync(`${dir}help.json`, '{"type": "AdaptiveCard",');
    expect(() => loadCardTemplates(dir)).toThrow(
      expect.objectContaining({ code: 'CARD_TEMPLATE_UNREADABLE', message: expect.stringContaining('help') }),
    );
    writeFileSync(`${dir}help.json`, '[1]');
    expect(() => loadCardTemplates(dir)).toThrow(expect.objectContaining({ code: 'CARD_TEMPLATE_INVALID' }));
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 17 }, (_, i) => i);
  it('slices pages of 8 and says where it is', () => {
    expect(paginate(items, 0)).toMatchObject({
      items: [0, 1, 2, 3, 4, 5, 6, 7],
      pageCount: 3,
      hasPrevious: false,
      hasNext: true,
      nextPage: 1,
      label: 'page 1 of 3',
    });
    expect(paginate(items, 2)).toMatchObject({
      items: [16],
      hasPrevious: true,
      previousPage: 1,
      hasNext: false,
    });
  });
  it('clamps out-of-range and non-integer pages and has no label for one page', () => {
    expect(paginate(items, 50).page).toBe(2);
    expect(paginate(items, -4).page).toBe(0);
    expect(paginate(items, Number.NaN).page).toBe(0);
    expect(paginate([], 3)).toMatchObject({ items: [], page: 0, pageCount: 1, hasNext: false, label: '' });
  });
});

describe('fitMarkdown', () => {
  it('returns short text unchanged', () => {
    expect(fitMarkdown(['a', 'b'])).toBe('a\nb');
  });

  it('drops whole lines from the end with a note, staying under 7439 UTF-8 bytes', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `- line ${i} 🎉 ${'é'.repeat(20)}`);
    const out = fitMarkdown(lines);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(out.startsWith('- line 0 ')).toBe(true);
    const kept = out.split('\n').filter((l) => l.startsWith('- line')).length;
    expect(out).toContain(`… ${500 - kept} more lines not shown`);
  });

  it('cuts one overlong line at a code point boundary without a dangling escape', () => {
    const out = fitMarkdown([`${'😀'.repeat(3000)}`], 1000);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(1000);
    expect(out).not.toContain('\uFFFD');
    expect(out).toMatch(/^(😀)+…\n_… cut \(message too long\)/u);
    const escaped = fitMarkdown(['\\*'.repeat(2000)], 500);
    expect(escaped.split('\n')[0]).toMatch(/^(\\\*)+…$/);
  });
});
