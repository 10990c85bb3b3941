// The templating engine (adaptivecards-templating, adaptive-expressions) is not loaded with render-card.ts, so
// start-up does not pay for it; warmCardRenderer loads it and parses every template ahead of the first card.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderCard, warmCardRenderer } from '../../src/cards/render-card.js';

const require = createRequire(import.meta.url);
const templatingLoaded = (): boolean =>
  require.cache[require.resolve('adaptivecards-templating')] !== undefined;

describe('warmCardRenderer', () => {
  it('loads the templating engine only when asked, then cards render', async () => {
    expect(templatingLoaded()).toBe(false);
    await warmCardRenderer();
    expect(templatingLoaded()).toBe(true);
    const { card, markdown } = renderCard('error', {
      title: 'No license matches',
      message: 'Try "licenses".',
      suggestions: [],
    });
    expect(card.type).toBe('AdaptiveCard');
    expect(markdown).toContain('No license matches');
  });
});
