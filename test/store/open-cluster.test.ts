import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openCluster } from '../../src/store/open-cluster.js';
import { CLUSTER_SCHEMA_SQL } from '../../src/store/postgres/cluster-schema.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../support/pg-database.js';

const logger = createLogger({ level: 'silent' });
const noPostgres = await pgMissing();

describe('openCluster', () => {
  it('makes a lone instance (no database) the leader, with no shared webhook claims', async () => {
    const cluster = await openCluster({ databaseUrl: null, instanceId: 'host:42', logger });
    expect(cluster.leadership.isLeader()).toBe(true);
    expect(cluster.leadership.leader()).toEqual({ holder: 'host:42', expiresAt: null, fencing: 1, self: true });
    expect(cluster.leadership.database()).toBeNull();
    expect(cluster.webhookClaims).toBeNull();
    await cluster.close();
  });

  describe.skipIf(noPostgres)('on PostgreSQL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(CLUSTER_SCHEMA_SQL);
      await client.end();
    });
    afterAll(() => db.drop());

    it('elects one of two instances, shares webhook claims, and hands over on close', async () => {
      const a = await openCluster({ databaseUrl: db.url, instanceId: 'a', logger, lease: { ttlMs: 10_000, renewEveryMs: 50 } });
      const b = await openCluster({ databaseUrl: db.url, instanceId: 'b', logger, lease: { ttlMs: 10_000, renewEveryMs: 50 } });
      expect(a.leadership.isLeader()).toBe(true);
      expect(b.leadership.isLeader()).toBe(false);
      expect(b.leadership.leader()).toMatchObject({ holder: 'a', self: false });
      expect(await a.webhookClaims!.claim('messages:created:1')).toBe(true);
      expect(await b.webhookClaims!.claim('messages:created:1')).toBe(false);
      await a.close();
      await expect.poll(() => b.leadership.isLeader(), { interval: 20, timeout: 5000 }).toBe(true);
      await b.close();
    });
  });
});
