import pg from 'pg';
import type { Logger } from '../log.js';
import type { Leadership } from './leadership.js';
import { createLeaderLease } from './postgres/leader-lease.js';
import { createPgWebhookDedupe, type PgWebhookDedupe } from './postgres/pg-webhook-dedupe.js';
import { soleLeader } from './sole-leader.js';

/** What instances sharing one database coordinate through it: the jobs' leader and the webhook claims. */
export interface Cluster {
  /** Started: leads at once alone (lowdb), or once the PostgreSQL lease is ours. */
  readonly leadership: Leadership;
  /** Claims for the shared webhook dedupe; null alone (the receiver's in-memory filter is enough). */
  readonly webhookClaims: PgWebhookDedupe | null;
  /** Releases the lease (if not already), stops pruning and closes the pool. */
  close(): Promise<void>;
}

/**
 * Without a database (lowdb, one instance) this instance is the sole leader. With one, a small pool of its
 * own (2 connections, so a busy ledger pool never starves a lease renewal) backs the `scheduler` lease and
 * the webhook claims; their tables come from the store's migration 1 (cluster-schema.ts), so open the
 * PostgreSQL store first. Resolves after the first attempt at the lease, leader or not.
 */
export async function openCluster(options: {
  databaseUrl: string | null;
  instanceId: string;
  logger: Logger;
  /** Lease timing (tests); defaults 30 s / 10 s. */
  lease?: { ttlMs?: number; renewEveryMs?: number };
}): Promise<Cluster> {
  const { instanceId, logger } = options;
  if (options.databaseUrl === null) {
    const leadership = soleLeader(instanceId);
    return { leadership, webhookClaims: null, close: () => leadership.stop() };
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 2,
    connectionTimeoutMillis: 5000,
    application_name: `license-bot ${instanceId}`.slice(0, 63),
  });
  // An idle connection the server dropped is reported here; the next query opens a new one.
  pool.on('error', (err) => logger.warn({ err, component: 'cluster' }, 'cluster database connection lost'));
  const leadership = createLeaderLease({ pool, name: 'scheduler', holder: instanceId, logger, ...options.lease });
  const webhookClaims = createPgWebhookDedupe({ pool, logger });
  await leadership.start();
  return {
    leadership,
    webhookClaims,
    async close() {
      await leadership.stop();
      webhookClaims.stop();
      await pool.end();
    },
  };
}
