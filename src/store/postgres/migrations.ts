import type pg from 'pg';
import { StoreError, errorMessage } from '../../errors.js';
import { CLUSTER_SCHEMA_SQL } from './cluster-schema.js';

/** One schema step: applied once, in its own transaction, recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, one step per version, never edited once released (add a step instead).
 * 1: the ledger's append-only change log (one row per acknowledged mutation, `changes` kept as the exact
 *    JSON text written) and its snapshots, plus the cluster tables (leader lease, webhook dedupe).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger change log, ledger snapshots, cluster tables',
    sql: `
      create table if not exists ledger_changes (
        seq bigint primary key,
        changes json not null,
        committed_at timestamptz not null default now()
      );
      create table if not exists ledger_snapshots (
        seq bigint primary key,
        data json not null,
        created_at timestamptz not null default now()
      );
      ${CLUSTER_SCHEMA_SQL}`,
  },
];

/** The newest schema version this code knows. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Serialises migrations of every instance on one database (pg_advisory_xact_lock key). */
const MIGRATION_LOCK = 7_304_101_001;

export interface MigrationResult {
  /** Version found before migrating (0 = empty database). */
  from: number;
  /** Version after migrating. */
  to: number;
  applied: number[];
}

/**
 * Brings the database to PG_SCHEMA_VERSION. Each step runs in its own transaction holding an advisory
 * lock, and re-reads the version under it, so instances starting together apply each step exactly once.
 * A database newer than this code stops here with STORE_SCHEMA_TOO_NEW, before anything is changed.
 */
export async function migrateDatabase(pool: pg.Pool, where: string, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const known = migrations.length;
  const applied: number[] = [];
  let from: number | null = null;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw new StoreError('STORE_UNREACHABLE', where, `Cannot connect to the database ${where}: ${errorMessage(err)}`, { cause: err });
  }
  let broken: Error | undefined;
  try {
    for (;;) {
      await client.query('begin');
      try {
        await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('create table if not exists schema_migrations (version integer primary key, applied_at timestamptz not null default now())');
        const current = await schemaVersionOf(client);
        from ??= current;
        if (current > known) throw schemaTooNew(where, current, known);
        const next = migrations[current];
        if (current === known || !next) {
          await client.query('commit');
          return { from, to: current, applied };
        }
        await client.query(next.sql);
        await client.query('insert into schema_migrations (version) values ($1)', [next.version]);
        await client.query('commit');
        applied.push(next.version);
      } catch (err) {
        await client.query('rollback').catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
        throw err;
      }
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError('STORE_MIGRATION_FAILED', where, `Cannot migrate the database ${where}: ${errorMessage(err)}`, { cause: err });
  } finally {
    client.release(broken);
  }
}

/** The version recorded in `schema_migrations`; 0 when the table is missing or empty. */
export async function readSchemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ t: string | null }>("select to_regclass('schema_migrations')::text as t");
  if (!exists.rows[0]?.t) return 0;
  return schemaVersionOf(client);
}

async function schemaVersionOf(client: pg.ClientBase): Promise<number> {
  const res = await client.query<{ v: number | null }>('select max(version)::int as v from schema_migrations');
  return res.rows[0]?.v ?? 0;
}

export function schemaTooNew(where: string, found: number, known: number): StoreError {
  return new StoreError(
    'STORE_SCHEMA_TOO_NEW',
    where,
    `The database ${where} has schema version ${found}, but this release supports up to version ${known}. ` +
      'A newer release has migrated it: run that release (or newer), or restore a backup taken before the upgrade. ' +
      'Nothing was changed.',
  );
}
