import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeLedgerCommand } from '../../../src/domain/execute-ledger-command.js';
import type { PersonActor } from '../../../src/domain/ledger-command.js';
import type { LedgerResult } from '../../../src/domain/ledger-command.js';
import { StoreError } from '../../../src/errors.js';
import { LEDGER_WRITE_LOCK } from '../../../src/store/postgres/ledger-log.js';
import { migrateDatabase, PG_SCHEMA_VERSION } from '../../../src/store/postgres/migrations.js';
import { openPostgresSeatStore } from '../../../src/store/postgres/open-postgres-seat-store.js';
import type { PostgresSeatStore, PostgresSeatStoreOptions } from '../../../src/store/postgres/postgres-seat-store.js';
import type { SeatStore } from '../../../src/store/seat-store.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../../support/pg-database.js';
import { makePool } from '../../support/make-pool.js';
import { makeAssignment, seatRequestChanges } from '../ledger-fixtures.js';
import { describeSeatStoreContract } from '../seat-store-contract.js';

const skip = await pgMissing();

describe.skipIf(skip)('PostgreSQL store', () => {
  describeSeatStoreContract(
    'PostgreSQL store',
    async () => {
      const db = await createTestDatabase();
      return {
        store: await openPostgresSeatStore({ url: db.url }),
        reopen: () => openPostgresSeatStore({ url: db.url }),
        cleanup: () => db.drop(),
      };
    },
    { decidesAtCall: false },
  );
});

const NOW = '2026-03-02T09:00:00.000Z';
const pool = makePool({ externalId: 'figma', productName: 'Figma', totalSeats: 5, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 0 } });
const person = (n: number): PersonActor => ({ kind: 'person', personId: `p-${n}`, email: `user${n}@example.com`, name: `User ${n}`, isAdmin: false });
const request = (store: SeatStore, n: number, key = `req-${n}`): Promise<LedgerResult> =>
  store.update((view) =>
    executeLedgerCommand(view, { command: { op: 'request', poolId: pool.id }, actor: person(n), source: 'chat', idempotencyKey: key, now: NOW }),
  );
const activeSeats = (store: SeatStore): number => store.read().assignmentsOfPool(pool.id).filter((a) => a.status === 'active').length;

/** Resolves once `check` holds, polling every 10 ms; fails after `ms`. */
async function eventually(check: () => boolean, ms = 1000): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

describe.skipIf(skip)('PostgresSeatStore across instances', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const open: PostgresSeatStore[] = [];
  const openStore = async (options: Partial<PostgresSeatStoreOptions> = {}): Promise<PostgresSeatStore> => {
    const s = await openPostgresSeatStore({ url: db.url, ...options });
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await admin.query('truncate ledger_changes, ledger_snapshots');
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  it('grants exactly 5 of 5 seats to 200 concurrent requests spread over two instances', async () => {
    const a = await openStore();
    const b = await openStore();
    await a.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    const results = await Promise.all(Array.from({ length: 200 }, (_, n) => request(n % 2 === 0 ? a : b, n)));
    const granted = results.filter((r) => r.ok && r.status === 'active');
    expect(granted).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.code === 'LEDGER_NO_FREE_SEAT')).toHaveLength(195);
    await eventually(() => a.lastSeq === b.lastSeq && activeSeats(a) === 5 && activeSeats(b) === 5);
    expect(a.read().data).toEqual(b.read().data);
  });

  it('shows a change committed by one instance to reads of the other within a second', async () => {
    const a = await openStore();
    const b = await openStore();
    await a.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    await request(a, 1);
    const waited = await eventually(() => activeSeats(b) === 1);
    expect(waited).toBeLessThan(1000);
  });

  it('follows the other instance again after its LISTEN connection is killed', async () => {
    const a = await openStore();
    const b = await openStore();
    await a.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    await eventually(() => b.read().pool(pool.id) !== undefined);
    const listeners = await admin.query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() and query = 'listen ledger_changes'");
    expect(listeners.rows).toHaveLength(2);
    for (const { pid } of listeners.rows) await admin.query('select pg_terminate_backend($1)', [pid]);
    await request(a, 1); // its notice may go out while b is not listening: b catches up after reconnecting
    await eventually(() => activeSeats(b) === 1, 3000);
    await eventually(() => b.listener?.listening === true, 3000);
    await request(a, 2);
    await eventually(() => activeSeats(b) === 2);
  });

  it('replays an idempotency key used on one instance with the first outcome on the other', async () => {
    const a = await openStore();
    const b = await openStore({ listen: false }); // no notice: the write lock's catch-up alone must see it
    await a.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    const first = await request(a, 7, 'click-7');
    const again = await request(b, 7, 'click-7');
    expect(first).toMatchObject({ ok: true, status: 'active', replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(activeSeats(b)).toBe(1);
  });

  it('rejects every caller of a batch whose connection dies mid-transaction, applies none of it, and writes again afterwards', async () => {
    const store = await openStore();
    await store.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    const before = structuredClone(store.read().data);
    // An uncommitted row with the next seq makes the store's INSERT wait: its fns have run, memory holds
    // their changes, the advisory lock is held.
    await admin.query('begin');
    let outcomes: PromiseSettledResult<LedgerResult>[];
    try {
      await admin.query("insert into ledger_changes (seq, changes) values (2, '[]')");
      const settled = Promise.allSettled([request(store, 1), request(store, 2), request(store, 3)]);
      await eventually(() => activeSeats(store) === 3, 5000);
      let pid: number | null = null;
      for (let i = 0; i < 100 && pid === null; i++) {
        pid = await lockHolderPid(db.url);
        if (pid === null) await new Promise((r) => setTimeout(r, 20));
      }
      expect(pid).not.toBeNull();
      await terminate(db.url, pid!);
      outcomes = await settled;
    } finally {
      await admin.query('rollback');
    }
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_WRITE_FAILED' });
    }
    expect(store.read().data).toEqual(before);
    expect(store.health()).toMatchObject({ ok: false, lastError: expect.stringContaining('not saved') });
    const count = await admin.query<{ n: string }>('select count(*)::text as n from ledger_changes');
    expect(count.rows[0]?.n).toBe('1');
    await expect(request(store, 4)).resolves.toMatchObject({ ok: true, status: 'active' });
    expect(activeSeats(store)).toBe(1);
    expect(store.health()).toMatchObject({ ok: true });
  });

  it('loses nothing acknowledged when every connection is cut mid-stream, and both instances recover', async () => {
    const a = await openStore();
    const b = await openStore();
    const acked: number[] = [];
    const refused: unknown[] = [];
    const cut: { done: Promise<void> | null } = { done: null };
    const caller = async (store: PostgresSeatStore, first: number): Promise<void> => {
      for (let n = first; n < first + 25; n++) {
        try {
          await store.update(() => ({ changes: [{ type: 'assignment.put', assignment: makeAssignment(n, 'pending') }], result: null }));
          acked.push(n);
        } catch (err) {
          refused.push(err);
        }
        if (acked.length >= 100 && !cut.done) {
          // What a PostgreSQL restart does to the instances: every session ends at once.
          cut.done = admin
            .query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
            .then(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, c) => caller(c % 2 === 0 ? a : b, c * 100)));
    await cut.done;
    expect(refused.length).toBeGreaterThan(0);
    for (const err of refused) expect(err).toMatchObject({ code: 'STORE_WRITE_FAILED' });
    // Both write again (a pooled connection that died idle may fail one more batch first).
    for (const [i, store] of [a, b].entries()) {
      let ok = false;
      for (let attempt = 0; attempt < 5 && !ok; attempt++) {
        ok = await store.update(() => ({ changes: [{ type: 'assignment.put', assignment: makeAssignment(9000 + i) }], result: true })).catch(() => false);
      }
      expect(ok).toBe(true);
    }
    const fresh = await openStore({ listen: false });
    for (const n of acked) expect(fresh.read().assignment(`seat-${n}`), `seat-${n}`).toBeDefined();
    await eventually(() => a.lastSeq === fresh.lastSeq && b.lastSeq === fresh.lastSeq, 8000);
    expect(a.read().data).toEqual(fresh.read().data);
    expect(b.read().data).toEqual(fresh.read().data);
  });

  it('fails the callers when the answer to COMMIT is lost, then takes the committed rows from the log, and a retry replays them', async () => {
    const proxy = await startCommitCutProxy();
    try {
      const url = new URL(db.url);
      url.port = String(proxy.port);
      const store = await openStore({ url: url.toString() });
      await store.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
      proxy.cutAfterNextCommit();
      const outcomes = await Promise.allSettled([request(store, 1), request(store, 2)]);
      for (const o of outcomes) expect(o).toMatchObject({ status: 'rejected', reason: { code: 'STORE_WRITE_FAILED' } });
      expect(activeSeats(store)).toBe(0); // never shown as done while not known committed
      // ...though the server did commit them (it may finish a moment after the client gave up).
      let rows = 0;
      for (let i = 0; i < 200 && rows !== 3; i++) {
        rows = (await admin.query<{ n: number }>('select count(*)::int as n from ledger_changes')).rows[0]?.n ?? 0;
        if (rows !== 3) await new Promise((r) => setTimeout(r, 10));
      }
      expect(rows).toBe(3);
      await expect(request(store, 3)).resolves.toMatchObject({ ok: true, status: 'active' });
      expect(activeSeats(store)).toBe(3);
      await expect(request(store, 1)).resolves.toMatchObject({ ok: true, status: 'active', replayed: true });
    } finally {
      await proxy.close();
    }
  });

  it('loads the newest snapshot plus the later log on restart', async () => {
    const store = await openStore({ snapshotEvery: 10 });
    for (let n = 0; n < 25; n++) await store.update(() => ({ changes: seatRequestChanges(n), result: null }));
    await store.drain();
    const data = structuredClone(store.read().data);
    await store.close();
    open.splice(0);
    const snaps = await admin.query<{ seq: string }>('select seq::text from ledger_snapshots order by seq');
    expect(snaps.rows.map((r) => r.seq)).toEqual(['10', '20']);
    const log = await admin.query<{ min: string; max: string }>('select min(seq)::text as min, max(seq)::text as max from ledger_changes');
    expect(log.rows[0]).toEqual({ min: '11', max: '25' }); // rows up to the previous snapshot are pruned
    const again = await openStore();
    expect(again.read().data).toEqual(data);
    expect(again.lastSeq).toBe(25);
    await expect(again.update(() => ({ changes: [{ type: 'assignment.put', assignment: makeAssignment(99) }], result: 'ok' }))).resolves.toBe('ok');
  });

  it('reloads from a snapshot when the log it needs was pruned by another instance', async () => {
    const lagging = await openStore({ listen: false });
    const busy = await openStore({ snapshotEvery: 10 });
    for (let n = 0; n < 35; n++) await busy.update(() => ({ changes: seatRequestChanges(n), result: null }));
    await busy.drain();
    await lagging.update(() => ({ changes: [{ type: 'assignment.put', assignment: makeAssignment(500) }], result: null }));
    expect(lagging.read().assignment('seat-34')).toBeDefined();
    await eventually(() => busy.read().assignment('seat-500') !== undefined);
    expect(lagging.read().data).toEqual(busy.read().data);
  });
});

describe.skipIf(skip)('PostgreSQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies each migration once when instances start together, and again changes nothing', async () => {
    const pools = Array.from({ length: 5 }, () => new pg.Pool({ connectionString: db.url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((p) => migrateDatabase(p, db.name)));
      expect(results.flatMap((r) => r.applied)).toEqual([1]);
      expect(results.every((r) => r.to === PG_SCHEMA_VERSION)).toBe(true);
      await expect(migrateDatabase(pools[0]!, db.name)).resolves.toEqual({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION, applied: [] });
      const rows = await pools[0]!.query<{ version: number }>('select version from schema_migrations order by version');
      expect(rows.rows).toEqual([{ version: 1 }]);
      const tables = await pools[0]!.query<{ t: string }>(
        "select table_name as t from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(tables.rows.map((r) => r.t)).toEqual(['instance_leases', 'ledger_changes', 'ledger_snapshots', 'schema_migrations', 'webhook_deliveries']);
    } finally {
      for (const p of pools) await p.end();
    }
  });

  it('names the database, without its password, when it cannot be reached, and asks for migrate when told not to migrate', async () => {
    const unreachable = await openPostgresSeatStore({ url: 'postgres://bot:hunter2@127.0.0.1:1/ledger' }).catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ code: 'STORE_UNREACHABLE', file: 'postgres://bot@127.0.0.1:1/ledger' });
    expect((unreachable as Error).message).not.toContain('hunter2');
    const fresh = await createTestDatabase();
    try {
      await expect(openPostgresSeatStore({ url: fresh.url, migrate: false })).rejects.toMatchObject({
        code: 'STORE_SCHEMA_OLD',
        message: expect.stringContaining('npm run store -- migrate'),
      });
    } finally {
      await fresh.drop();
    }
  });

  it('refuses to start on a database whose schema is newer than the code, changing nothing', async () => {
    const p = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      await migrateDatabase(p, db.name);
      await p.query('insert into schema_migrations (version) values (99)');
      const err = await openPostgresSeatStore({ url: db.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
      expect((err as Error).message).toMatch(/schema version 99.*supports up to version 1/);
      expect((err as Error).message).not.toContain('password');
      const rows = await p.query<{ version: number }>('select version from schema_migrations order by version');
      expect(rows.rows).toEqual([{ version: 1 }, { version: 99 }]);
    } finally {
      await p.query('delete from schema_migrations where version = 99');
      await p.end();
    }
  });
});

/**
 * A TCP proxy to the server that, once armed, passes the next COMMIT on and then cuts the connection
 * before the server's answer comes back: the commit happens, the client cannot know.
 */
async function startCommitCutProxy(): Promise<{ port: number; cutAfterNextCommit: () => void; close: () => Promise<void> }> {
  let armed = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(5432, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined); // cut on purpose
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d: Buffer) => {
      upstream.write(d);
      if (armed && d.includes('commit\u0000')) {
        armed = false;
        upstream.end(); // the COMMIT is delivered, then EOF
        client.destroy();
      }
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    cutAfterNextCommit: () => {
      armed = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The backend of the store's batch: waiting on the admin's uncommitted row while holding the write lock. */
async function lockHolderPid(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const res = await c.query<{ pid: number }>(
      "select l.pid from pg_locks l where l.locktype = 'advisory' and l.granted and ((l.classid::bigint << 32) | l.objid::bigint) = $1 and l.pid <> pg_backend_pid()",
      [LEDGER_WRITE_LOCK],
    );
    return res.rows[0]?.pid ?? null;
  } finally {
    await c.end();
  }
}

async function terminate(url: string, pid: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await c.end();
  }
}
