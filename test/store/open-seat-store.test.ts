import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSeatStore } from '../../src/store/open-seat-store.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../support/pg-database.js';
import { tempDir } from './store-test-kit.js';

describe('openSeatStore', () => {
  it('opens the lowdb files in DATA_DIR, holding its lock, when DATABASE_URL is not set', async () => {
    const { dir, cleanup } = await tempDir();
    const opened = await openSeatStore({ databaseUrl: null, dataDir: dir, role: 'bot' });
    try {
      expect(opened.kind).toBe('lowdb');
      expect(opened.lock).not.toBeNull();
      expect(opened.where).toContain(dir);
      await expect(openSeatStore({ databaseUrl: null, dataDir: dir })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    } finally {
      await opened.store.close();
      await cleanup();
    }
  });
});

describe.skipIf(await pgMissing())('openSeatStore with DATABASE_URL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('opens PostgreSQL with no DATA_DIR lock, and shows the database without its password', async () => {
    const url = new URL(db.url);
    url.password = 'not-shown-anywhere'; // trust auth ignores it
    const opened = await openSeatStore({ databaseUrl: url.toString(), dataDir: '/nonexistent/never-created' });
    try {
      expect(opened.kind).toBe('postgres');
      expect(opened.lock).toBeNull();
      expect(opened.where).toBe(`postgres://root@127.0.0.1:5432/${db.name}`);
      expect(JSON.stringify(opened.store.health())).not.toContain('not-shown-anywhere');
      await expect(opened.store.update(() => ({ changes: [], result: 'ok' }))).resolves.toBe('ok');
    } finally {
      await opened.store.close();
    }
  });
});
