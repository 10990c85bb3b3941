import { describe, expect, it } from 'vitest';
import { createWebhookDedupe } from '../../src/webex/webhook-dedupe.js';
import { fixedClock } from '../../src/clock.js';

describe('createWebhookDedupe', () => {
  it('reports a key as seen the second time only', () => {
    const d = createWebhookDedupe();
    expect(d.seen('messages:created:a')).toBe(false);
    expect(d.seen('messages:created:a')).toBe(true);
    expect(d.seen('messages:created:b')).toBe(false);
  });

  it('forgets keys older than the TTL', () => {
    const clock = fixedClock('2025-01-06T09:00:00Z');
    const d = createWebhookDedupe({ ttlMs: 60_000, clock });
    d.seen('a');
    clock.advance(59_999);
    expect(d.seen('a')).toBe(true);
    clock.advance(60_001);
    expect(d.seen('a')).toBe(false);
  });

  it('keeps at most maxEntries keys, evicting the oldest first', () => {
    const d = createWebhookDedupe({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) d.seen(k);
    expect(d.size).toBe(3);
    expect(d.seen('d')).toBe(true);
    expect(d.seen('a')).toBe(false);
  });

  it('stays bounded under a long stream of distinct keys', () => {
    const d = createWebhookDedupe({ maxEntries: 50 });
    for (let i = 0; i < 10_000; i++) d.seen(`k${i}`);
    expect(d.size).toBe(50);
  });

  it('forgets a key on request, so its next delivery is new again', () => {
    const d = createWebhookDedupe();
    d.seen('a');
    d.forget('a');
    expect(d.seen('a')).toBe(false);
    expect(d.seen('a')).toBe(true);
  });
});
