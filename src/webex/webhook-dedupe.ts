import { systemClock, type Clock } from '../clock.js';

/**
 * The receiver's replay filter. The in-memory one below answers at once; the shared one
 * (shared-webhook-dedupe.ts) asks the database, so the receiver awaits both answers. Neither rejects.
 */
export interface WebhookDedupe {
  /** Records `key`; true when it was already seen within the TTL (a replay). */
  seen(key: string): boolean | Promise<boolean>;
  /** Drops `key`, so its next delivery is processed (its content could not be read this time). */
  forget(key: string): void | Promise<void>;
  /** Keys held in this process. */
  readonly size: number;
}

/** The in-memory filter: synchronous answers. */
export interface LocalWebhookDedupe extends WebhookDedupe {
  seen(key: string): boolean;
  forget(key: string): void;
}

/**
 * Bounded replay filter: keys live `ttlMs` (default 15 min) and at most `maxEntries` (default 10,000) are kept,
 * the oldest evicted first, so memory stays flat under any delivery rate.
 */
export function createWebhookDedupe(
  options: { maxEntries?: number; ttlMs?: number; clock?: Clock } = {},
): LocalWebhookDedupe {
  const max = Math.max(1, options.maxEntries ?? 10_000);
  const ttl = options.ttlMs ?? 15 * 60_000;
  const clock = options.clock ?? systemClock;
  /** key -> first-seen time (ms); Map keeps insertion order, so the first entry is the oldest. */
  const entries = new Map<string, number>();

  const evictExpired = (now: number): void => {
    for (const [key, at] of entries) {
      if (now - at < ttl) break;
      entries.delete(key);
    }
  };

  return {
    seen(key) {
      const now = clock.now().getTime();
      evictExpired(now);
      if (entries.has(key)) return true;
      entries.set(key, now);
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return false;
    },
    forget(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
