import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreCli } from '../src/store-cli.js';
import { openLowdbSeatStore } from '../src/store/lowdb/lowdb-seat-store.js';
import { openPostgresSeatStore } from '../src/store/postgres/open-postgres-seat-store.js';
import { makePool, seatRequestChanges } from './store/ledger-fixtures.js';
import { tempDir } from './store/store-test-kit.js';
import { createTestDatabase, pgMissing, type TestDatabase } from './support/pg-database.js';

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runStoreCli(args, env, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

async function seedLowdb(dir: string, seats: number): Promise<void> {
  const store = await openLowdbSeatStore({ dir });
  await store.update(() => ({ changes: [{ type: 'pool.put', pool: makePool(0) }, { type: 'pool.put', pool: makePool(1) }], result: null }));
  for (let n = 0; n < seats; n++) await store.update(() => ({ changes: seatRequestChanges(n), result: null }));
  await store.close();
}

const skip = await pgMissing();
const cleanups: (() => Promise<void>)[] = [];
const dir = async (): Promise<string> => {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('npm run store (lowdb)', () => {
  it('says how to use it, with exit 2, for a missing command or file', async () => {
    expect(await cli([], {})).toMatchObject({ code: 2, err: expect.stringContaining('Usage: npm run store') });
    expect(await cli(['export'], {})).toMatchObject({ code: 2, err: expect.stringContaining('--out FILE') });
    expect(await cli(['migrate'], { DATA_DIR: await dir() })).toMatchObject({ code: 2, err: expect.stringContaining('STORE_NO_DATABASE') });
  });

  it('refuses to export a ledger a running bot owns, with STORE_LOCKED', async () => {
    const data = await dir();
    const bot = await openLowdbSeatStore({ dir: data, role: 'bot' });
    try {
      const res = await cli(['export', '--out', join(data, 'x.json')], { DATA_DIR: data });
      expect(res).toMatchObject({ code: 1, err: expect.stringMatching(/^store: STORE_LOCKED: /) });
    } finally {
      await bot.close();
    }
  });

  it('refuses to import over a ledger that holds anything unless --replace, and then verifies it', async () => {
    const from = await dir();
    const into = await dir();
    await seedLowdb(from, 3);
    await seedLowdb(into, 1);
    const file = join(from, 'export.json');
    expect((await cli(['export', '--out', file], { DATA_DIR: from })).code).toBe(0);
    const refused = await cli(['import', '--in', file], { DATA_DIR: into });
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('STORE_IMPORT_NOT_EMPTY') });
    const done = await cli(['import', '--in', file, '--replace'], { DATA_DIR: into });
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out)).toMatchObject({ replaced: true, verified: true, counts: { assignments: 3, pools: 2, audit: 3 } });
    const again = join(into, 'again.json');
    await cli(['export', '--out', again], { DATA_DIR: into });
    expect(await readFile(again, 'utf8')).toBe(await readFile(file, 'utf8'));
  });
});

describe.skipIf(skip)('npm run store (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates and prints the version, twice without change', async () => {
    const first = await cli(['migrate'], { DATABASE_URL: db.url });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ command: 'migrate', version: 1 });
    const second = await cli(['migrate'], { DATABASE_URL: db.url });
    expect(JSON.parse(second.out)).toMatchObject({ from: 1, version: 1, applied: [] });
  });

  it('moves a ledger lowdb -> PostgreSQL -> lowdb byte for byte, with the same counts and checksum', async () => {
    const from = await dir();
    const back = await dir();
    await seedLowdb(from, 40);
    const a = join(from, 'a.json');
    const b = join(from, 'b.json');
    const c = join(from, 'c.json');
    const exported = await cli(['export', '--out', a], { DATA_DIR: from });
    expect(exported.code).toBe(0);
    const printed = JSON.parse(exported.out) as { sha256: string; counts: Record<string, number> };
    const imported = await cli(['import', '--in', a], { DATABASE_URL: db.url, DATA_DIR: from });
    expect(imported.err).toBe('');
    expect(JSON.parse(imported.out)).toMatchObject({ verified: true, sha256: printed.sha256 });
    expect((await cli(['export', '--out', b], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await cli(['import', '--in', b], { DATA_DIR: back })).code).toBe(0);
    expect((await cli(['export', '--out', c], { DATA_DIR: back })).code).toBe(0);
    const [ta, tb, tc] = await Promise.all([a, b, c].map((f) => readFile(f, 'utf8')));
    expect(tb).toBe(ta);
    expect(tc).toBe(ta);
    expect(printed.counts).toMatchObject({ assignments: 40, audit: 40, idempotency: 40, pools: 2 });

    // The imported ledger is a working one: a bot opens it and writes on.
    const store = await openPostgresSeatStore({ url: db.url });
    try {
      expect(Object.keys(store.read().data.assignments)).toHaveLength(40);
      await store.update(() => ({ changes: seatRequestChanges(41), result: null }));
      expect(store.read().assignment('seat-41')).toBeDefined();
      // While it runs, an import is refused like a locked DATA_DIR.
      const refused = await cli(['import', '--in', a, '--replace'], { DATABASE_URL: db.url });
      expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('STORE_LOCKED') });
    } finally {
      await store.close();
    }
    const notEmpty = await cli(['import', '--in', a], { DATABASE_URL: db.url });
    expect(notEmpty).toMatchObject({ code: 1, err: expect.stringContaining('STORE_IMPORT_NOT_EMPTY') });
    expect(notEmpty.err).not.toMatch(/password/);
  });
});
