// A PostgreSQL server of a test's own (initdb into a temp dir, trust auth, loopback only), so the test may stop
// and start it without touching the machine's shared server that other test files use at the same time.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './spawn-json-lines.js';

/** Where Debian/Ubuntu put the server binaries (PG_BIN overrides). */
export const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  adminUrl: string;
  port: number;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m immediate` (a crash: no shutdown checkpoint, every connection cut), or `fast`. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (immediate) and removes its directory. */
  destroy(): Promise<void>;
}

/** Null when a private server can be started here; otherwise why not. */
export function privatePostgresUnavailableReason(): string | null {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) return `no ${join(PG_BIN, bin)} (set PG_BIN to the PostgreSQL server binaries)`;
  }
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) {
    return 'running as root (initdb refuses root) and runuser is missing';
  }
  return null;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, env: { PATH: process.env['PATH'] ?? '', LANG: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** initdb refuses root: as root, the server's tools run as the `postgres` user on a directory it owns. */
async function asServerUser(dir: string): Promise<(bin: string, args: readonly string[], timeoutMs: number) => Promise<string>> {
  if (process.getuid?.() !== 0) return (bin, args, t) => run(join(PG_BIN, bin), args, t);
  const ids = (await run('id', ['-u', 'postgres'], 5000)).trim();
  const gid = (await run('id', ['-g', 'postgres'], 5000)).trim();
  await chown(dir, Number(ids), Number(gid));
  return (bin, args, t) => run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], t);
}

/**
 * initdb (trust auth) and start on a free loopback port; the socket lives in the temp dir too. fsync is off:
 * the test crashes the server process, not the machine, so what was committed is in the OS cache and comes
 * back through WAL replay either way.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'private-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const tool = await asServerUser(dir);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
  let running = false;
  const start = async (): Promise<void> => {
    await tool('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options], 90_000);
    running = true;
  };
  const stop = async (mode: 'immediate' | 'fast' = 'immediate'): Promise<void> => {
    await tool('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '60'], 90_000);
    running = false;
  };
  try {
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'], 120_000);
    await start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    adminUrl,
    port,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async destroy() {
      try {
        if (running) await stop('immediate');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
