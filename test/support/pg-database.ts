import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: the machine's server on 127.0.0.1:5432 (trust auth), one fresh database per test
 * file, dropped afterwards. Locally without a server the PostgreSQL tests skip and say why; in CI
 * (CI=true) a missing server is a failure, never a skip.
 */

/** Where the admin connection goes; TEST_PG_URL overrides it (it must point at 127.0.0.1). */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

let probe: Promise<string | null> | null = null;

/** Null when a server answers; otherwise why the PostgreSQL tests cannot run here. */
export function pgUnavailableReason(): Promise<string | null> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      const reason = `PostgreSQL is not reachable at ${redact(PG_ADMIN_URL)} (${err instanceof Error ? err.message : String(err)}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
      if (process.env.CI === 'true') throw new Error(`CI needs PostgreSQL: ${reason}`);
      process.stderr.write(`skipping PostgreSQL tests: ${reason}\n`);
      return reason;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

/** True when the PostgreSQL tests must be skipped (use with `describe.skipIf(await pgMissing())`). */
export async function pgMissing(): Promise<boolean> {
  return (await pgUnavailableReason()) !== null;
}

export interface TestDatabase {
  /** `postgres://root@127.0.0.1:5432/<name>` */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name; call `drop()` in afterAll. */
export async function createTestDatabase(prefix = 'lb_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
