import net, { type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/log.js';
import type { Leadership } from '../../../src/store/leadership.js';
import { CLUSTER_SCHEMA_SQL } from '../../../src/store/postgres/cluster-schema.js';
import { createLeaderLease } from '../../../src/store/postgres/leader-lease.js';
import type { SqlQueryable } from '../../../src/store/postgres/sql-queryable.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../../support/pg-database.js';

// Expiry is decided on the database's clock, so these leases are short (300 ms) and the tests wait for
// the onChange callback (or poll isLeader) instead of sleeping.
const TTL = 300;
const RENEW = 100;
const logger = createLogger({ level: 'silent' });

/** Resolves at the next onChange(true/false) of the lease made with `track`. */
function changes(): { onChange: (leader: boolean) => void; next: (leader: boolean) => Promise<void> } {
  const waiting: { leader: boolean; resolve: () => void }[] = [];
  return {
    onChange(leader) {
      for (const w of waiting.filter((x) => x.leader === leader)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    next: (leader) => new Promise<void>((resolve) => waiting.push({ leader, resolve })),
  };
}

/** A TCP relay to the database that can be cut, as a lost network would. */
async function startRelay(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe.skipIf(await pgMissing())('createLeaderLease on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const started: Leadership[] = [];
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
    pool.on('error', () => undefined);
    await pool.query(CLUSTER_SCHEMA_SQL);
  });
  afterAll(async () => {
    await Promise.all(started.map((l) => l.stop()));
    await pool.end();
    await db.drop();
  });

  /** A lease on a name of its own per test, so tests do not see each other's holders. */
  function lease(name: string, holder: string, opts: { pool?: SqlQueryable; ttlMs?: number; onChange?: (l: boolean) => void } = {}): Leadership {
    const l = createLeaderLease({
      pool: opts.pool ?? pool,
      name,
      holder,
      ttlMs: opts.ttlMs ?? TTL,
      renewEveryMs: RENEW,
      logger,
      ...(opts.onChange ? { onChange: opts.onChange } : {}),
    });
    started.push(l);
    return l;
  }
  const fresh = (): string => `scheduler-${++n}`;

  it('elects exactly one of two instances and both see who leads', async () => {
    const name = fresh();
    const a = lease(name, 'a');
    const b = lease(name, 'b');
    await Promise.all([a.start(), b.start()]);
    await vi.waitFor(() => expect(b.leader() ?? a.leader()).not.toBeNull(), { interval: 20 });
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    const holder = leader === a ? 'a' : 'b';
    expect(leader.leader()).toMatchObject({ holder, fencing: 1, self: true });
    await vi.waitFor(() => expect(follower.leader()).toMatchObject({ holder, fencing: 1, self: false }), { interval: 20 });
    expect(leader.database()).toMatchObject({ ok: true });

    // Renewals keep the same term: the fencing token moves only when the lease changes hands.
    const before = leader.leader()!.expiresAt!.getTime();
    await vi.waitFor(() => expect(leader.leader()!.expiresAt!.getTime()).toBeGreaterThan(before), { interval: 20 });
    expect(leader.leader()).toMatchObject({ holder, fencing: 1, self: true });
    expect(follower.isLeader()).toBe(false);
  });

  it('hands over at once when the leader stops (the lease is released, not left to run out)', async () => {
    const name = fresh();
    const long = 10_000;
    const b = changes();
    const leaderA = lease(name, 'a', { ttlMs: long });
    await leaderA.start();
    expect(leaderA.isLeader()).toBe(true);
    const followerB = lease(name, 'b', { ttlMs: long, onChange: b.onChange });
    await followerB.start();
    expect(followerB.isLeader()).toBe(false);

    const becameLeader = b.next(true);
    const stoppedAt = performance.now();
    await leaderA.stop();
    expect(leaderA.isLeader()).toBe(false);
    await becameLeader;
    expect(performance.now() - stoppedAt).toBeLessThan(long / 2);
    expect(followerB.leader()).toMatchObject({ holder: 'b', fencing: 2, self: true });
  });

  it('lets another take over only after the TTL when the leader hangs without releasing, never two at once', async () => {
    const name = fresh();
    let frozen = false;
    let lastAnsweredSendAt = 0;
    const freezable: SqlQueryable = {
      query: (text, values) => {
        if (frozen) return new Promise(() => undefined);
        lastAnsweredSendAt = performance.now();
        return pool.query(text, values);
      },
    };
    const a = changes();
    const b = changes();
    const leaderA = lease(name, 'a', { pool: freezable, onChange: a.onChange });
    await leaderA.start();
    expect(leaderA.isLeader()).toBe(true);
    let aLeadsWhenBTakesOver: boolean | null = null;
    let takeoverAt = 0;
    const followerB = lease(name, 'b', {
      onChange: (l) => {
        if (l) {
          aLeadsWhenBTakesOver = leaderA.isLeader();
          takeoverAt = performance.now();
        }
        b.onChange(l);
      },
    });
    await followerB.start();

    const aStepsDown = a.next(false);
    const bTakesOver = b.next(true);
    frozen = true; // A's process hangs: its renewals never answer.
    await aStepsDown;
    await bTakesOver;
    // The database extended A's lease by TTL from a moment after A's last answered renewal was sent.
    expect(takeoverAt - lastAnsweredSendAt).toBeGreaterThanOrEqual(TTL - 5);
    expect(aLeadsWhenBTakesOver).toBe(false);
    expect(followerB.leader()).toMatchObject({ holder: 'b', fencing: 2, self: true });
    frozen = false;
    await leaderA.stop();
    expect(followerB.isLeader()).toBe(true);
  });

  it('stops leading when its database connection is lost, and says so in database()', async () => {
    const name = fresh();
    const relay = await startRelay(new URL(db.url));
    const lossy = new pg.Pool({ connectionString: relay.url, max: 2, connectionTimeoutMillis: 1000 });
    lossy.on('error', () => undefined);
    try {
      const a = changes();
      const leaderA = lease(name, 'a', { pool: lossy, onChange: a.onChange });
      await leaderA.start();
      expect(leaderA.isLeader()).toBe(true);
      const followerB = lease(name, 'b');
      await followerB.start();

      const stepsDown = a.next(false);
      await relay.cut();
      await stepsDown;
      expect(leaderA.isLeader()).toBe(false);
      await vi.waitFor(() => expect(leaderA.database()).toMatchObject({ ok: false, error: expect.any(String) }), { interval: 20 });
      await vi.waitFor(() => expect(followerB.isLeader()).toBe(true), { interval: 20, timeout: 5000 });
      await leaderA.stop();
    } finally {
      await lossy.end();
    }
  });

  it('refuses a renewal period that is not shorter than the TTL', () => {
    expect(() => createLeaderLease({ pool, name: 'x', holder: 'a', ttlMs: 100, renewEveryMs: 100, logger })).toThrow(TypeError);
  });
});
