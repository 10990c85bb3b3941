import pg from 'pg';
import { StoreError, errorMessage } from '../../errors.js';
import { describeDatabaseUrl } from './database-url.js';
import { loadLedger } from './ledger-log.js';
import { migrateDatabase, PG_SCHEMA_VERSION, readSchemaVersion, schemaTooNew } from './migrations.js';
import { PostgresSeatStore, type PostgresSeatStoreOptions } from './postgres-seat-store.js';

/**
 * Opens the ledger in PostgreSQL: migrates the schema (or, with `migrate: false`, only checks it), loads
 * the newest snapshot plus the log after it, then starts following other instances. A schema newer than
 * this release stops here with STORE_SCHEMA_TOO_NEW; a server that does not answer, STORE_UNREACHABLE.
 */
export async function openPostgresSeatStore(options: PostgresSeatStoreOptions): Promise<PostgresSeatStore> {
  const where = describeDatabaseUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    // A writer that stalls mid-transaction (frozen process, lost network) must not hold the write lock of
    // every instance: the server ends such a transaction after 30 s, and no query waits longer than 60 s.
    idle_in_transaction_session_timeout: 30_000,
    query_timeout: 60_000,
  });
  pool.on('error', (err) => options.logger?.warn({ err, database: where }, 'an idle PostgreSQL connection failed'));
  let store: PostgresSeatStore | null = null;
  try {
    if (options.migrate === false) await checkSchema(pool, where);
    else {
      const m = await migrateDatabase(pool, where);
      if (m.applied.length > 0) options.logger?.info({ database: where, from: m.from, to: m.to }, 'database migrated');
    }
    const client = await pool.connect();
    let loaded: Awaited<ReturnType<typeof loadLedger>>;
    try {
      loaded = await loadLedger(client, where);
    } finally {
      client.release();
    }
    store = new PostgresSeatStore(pool, where, loaded, options);
    await store.follow();
    return store;
  } catch (err) {
    if (store) await store.close().catch(() => undefined); // the open error is what matters
    else await pool.end().catch(() => undefined);
    if (err instanceof StoreError) throw err;
    throw new StoreError('STORE_UNREACHABLE', where, `Cannot open the ledger in ${where}: ${errorMessage(err)}`, { cause: err });
  }
}

async function checkSchema(pool: pg.Pool, where: string): Promise<void> {
  const client = await pool.connect();
  try {
    const found = await readSchemaVersion(client);
    if (found > PG_SCHEMA_VERSION) throw schemaTooNew(where, found, PG_SCHEMA_VERSION);
    if (found < PG_SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_SCHEMA_OLD',
        where,
        `The database ${where} has schema version ${found}; this release needs ${PG_SCHEMA_VERSION}: run \`npm run store -- migrate\``,
      );
    }
  } finally {
    client.release();
  }
}
