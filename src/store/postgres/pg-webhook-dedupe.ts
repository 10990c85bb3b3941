import type { Logger } from '../../log.js';
import type { SqlQueryable } from './sql-queryable.js';

/** Webhook deliveries claimed across instances (`webhook_deliveries`, see cluster-schema.ts). */
export interface PgWebhookDedupe {
  /** True when this call claimed `key` (process it); false when another claim within the TTL holds it (a replay). */
  claim(key: string): Promise<boolean>;
  /** Drops the claim, so the next delivery of `key`, on any instance, is processed. */
  release(key: string): Promise<void>;
  /** Deletes claims older than the TTL; resolves with how many. */
  prune(): Promise<number>;
  /** Stops the periodic prune. */
  stop(): void;
}

/**
 * A claim is one insert: the row is written when the key is new, or taken over when its claim is older than
 * the TTL and not yet pruned (so the TTL holds exactly, whenever the prune runs); no row back = a replay.
 * Every instance prunes every `pruneEveryMs` (a delete of old rows is harmless to repeat).
 */
export function createPgWebhookDedupe(options: {
  pool: SqlQueryable;
  logger: Logger;
  /** How long a delivery counts as seen (default 15 min, as the in-memory filter). */
  ttlMs?: number;
  /** How often old claims are deleted (default 1 min). */
  pruneEveryMs?: number;
}): PgWebhookDedupe {
  const { pool } = options;
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  const log = options.logger.child({ component: 'webhook-dedupe' });

  const prune = async (): Promise<number> => {
    const result = await pool.query(
      `delete from webhook_deliveries where seen_at < now() - $1::float8 * interval '1 millisecond'`,
      [ttlMs],
    );
    return result.rowCount ?? 0;
  };
  const timer = setInterval(() => {
    prune().then(
      (n) => {
        if (n > 0) log.debug({ pruned: n }, 'old webhook claims pruned');
      },
      (err: unknown) => log.warn({ err }, 'could not prune old webhook claims; retried on the next round'),
    );
  }, options.pruneEveryMs ?? 60_000);
  timer.unref();

  return {
    async claim(key) {
      const { rows } = await pool.query(
        `insert into webhook_deliveries as d (key) values ($1)
         on conflict (key) do update set seen_at = now()
          where d.seen_at < now() - $2::float8 * interval '1 millisecond'
         returning key`,
        [key, ttlMs],
      );
      return rows.length > 0;
    },
    async release(key) {
      await pool.query('delete from webhook_deliveries where key = $1', [key]);
    },
    prune,
    stop() {
      clearInterval(timer);
    },
  };
}
