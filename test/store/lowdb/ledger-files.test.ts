// Opening ledger files that are damaged, from the future, from an older release, or torn by a crash.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/domain/ledger.js';
import { StoreError } from '../../../src/errors.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { makeAssignment, makePool, seatRequestChanges, seedLedger } from '../ledger-fixtures.js';
import { dirBytes, tempDir } from '../store-test-kit.js';

const line = (seq: number, n: number): string => `${JSON.stringify({ seq, changes: seatRequestChanges(n) })}\n`;

describe('opening ledger files', () => {
  const stores: LowdbSeatStore[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const c of cleanups.splice(0)) await c();
  });
  const dirWith = async (files: Record<string, string>): Promise<string> => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    for (const [name, text] of Object.entries(files)) await writeFile(join(t.dir, name), text);
    return t.dir;
  };
  const open = async (dir: string): Promise<LowdbSeatStore> => {
    const s = await openLowdbSeatStore({ dir });
    stores.push(s);
    return s;
  };
  const goodSnapshot = JSON.stringify({ ...seedLedger(2), journalSeq: 0 });

  /** Opening must fail with `code`, name the file, and leave every byte in the directory as it was. */
  const expectRefused = async (files: Record<string, string>, code: string, file: string, problem: RegExp): Promise<void> => {
    const dir = await dirWith(files);
    const before = await dirBytes(dir);
    const err = await openLowdbSeatStore({ dir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code, file: join(dir, file) });
    expect((err as Error).message).toContain(join(dir, file));
    expect((err as Error).message).toMatch(problem);
    expect(await dirBytes(dir)).toEqual(before);
  };

  describe('refuses to start and changes nothing', () => {
    it('on truncated JSON', async () => {
      await expectRefused({ 'ledger.json': goodSnapshot.slice(0, goodSnapshot.length / 2) }, 'STORE_CORRUPT', 'ledger.json', /not valid JSON/);
    });

    it('on an empty snapshot file', async () => {
      await expectRefused({ 'ledger.json': '' }, 'STORE_CORRUPT', 'ledger.json', /not valid JSON/);
    });

    it('on a file with the wrong shape', async () => {
      const wrong = JSON.stringify({ ...seedLedger(1), assignments: [makeAssignment(1)] });
      await expectRefused({ 'ledger.json': wrong }, 'STORE_CORRUPT', 'ledger.json', /assignments: expected an object keyed by id/);
    });

    it('on JSON that is not an object', async () => {
      await expectRefused({ 'ledger.json': '[1,2,3]' }, 'STORE_CORRUPT', 'ledger.json', /expected a JSON object/);
    });

    it('on a schemaVersion from a newer release', async () => {
      const future = JSON.stringify({ ...seedLedger(1), schemaVersion: SCHEMA_VERSION + 1 });
      await expectRefused({ 'ledger.json': future }, 'STORE_FUTURE_VERSION', 'ledger.json', /schemaVersion 2 is newer/);
    });

    it('on a bad line in the middle of the journal', async () => {
      const journal = line(1, 1) + '{"seq":2,"chan\n' + line(3, 3);
      await expectRefused({ 'ledger.json': goodSnapshot, 'ledger.journal': journal }, 'STORE_CORRUPT', 'ledger.journal', /line 2: not valid JSON/);
    });

    it('on a gap in journal seq numbers', async () => {
      await expectRefused({ 'ledger.journal': line(1, 1) + line(3, 3) }, 'STORE_CORRUPT', 'ledger.journal', /seq 3 follows 1/);
    });

    it('on a journal that starts after what the snapshot holds', async () => {
      await expectRefused({ 'ledger.journal': line(5, 5) + line(6, 6) }, 'STORE_CORRUPT', 'ledger.journal', /1\.\.4 are missing/);
    });

    it('on a malformed change in the journal', async () => {
      const bad = `${JSON.stringify({ seq: 1, changes: [{ type: 'assignment.put', assignment: { poolId: 'p' } }] })}\n`;
      await expectRefused({ 'ledger.journal': bad + line(2, 2) }, 'STORE_CORRUPT', 'ledger.journal', /change 0 is malformed/);
    });

    it('on a sync run delete without an id', async () => {
      const bad = `${JSON.stringify({ seq: 1, changes: [{ type: 'syncRun.delete' }] })}\n`;
      await expectRefused({ 'ledger.journal': bad }, 'STORE_CORRUPT', 'ledger.journal', /change 0 is malformed/);
    });

    it('on an unreadable snapshot', async () => {
      const dir = await dirWith({});
      await mkdir(join(dir, 'ledger.json'));
      const err = await openLowdbSeatStore({ dir }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_UNREADABLE', file: join(dir, 'ledger.json') });
      expect((err as Error).message).toMatch(/Cannot read .*ledger\.json: EISDIR/);
      expect(await dirBytes(dir)).toEqual({ 'ledger.json': '<EISDIR>' });
    });
  });

  describe('a torn last journal line (crash mid-append, never acknowledged)', () => {
    it('is dropped without a newline, keeping every line before it', async () => {
      const whole = line(1, 1) + line(2, 2);
      const dir = await dirWith({ 'ledger.journal': whole + line(3, 3).slice(0, 40) });
      const store = await open(dir);
      expect(Object.keys(store.read().data.assignments)).toEqual(['seat-1', 'seat-2']);
      expect(await readFile(join(dir, 'ledger.journal'), 'utf8')).toBe(whole);
      await store.update(() => ({ changes: seatRequestChanges(4), result: null }));
      await store.close();
      const again = await open(dir);
      expect(Object.keys(again.read().data.assignments)).toEqual(['seat-1', 'seat-2', 'seat-4']);
      expect(again.stats().durableSeq).toBe(3);
    });

    it('is dropped when it ends in a newline but is not JSON (zero-filled tail)', async () => {
      const whole = line(1, 1);
      const dir = await dirWith({ 'ledger.journal': `${whole}\u0000\u0000\u0000\n` });
      const store = await open(dir);
      expect(Object.keys(store.read().data.assignments)).toEqual(['seat-1']);
      expect(await readFile(join(dir, 'ledger.journal'), 'utf8')).toBe(whole);
    });
  });

  describe('migration', () => {
    it('upgrades a v0 file (no schemaVersion, only pools and assignments), keeping a backup', async () => {
      const pool = makePool(0);
      const seat = makeAssignment(0, 'active');
      const v0 = JSON.stringify({ pools: { [pool.id]: pool }, assignments: { [seat.id]: seat } });
      const dir = await dirWith({ 'ledger.json': v0 });
      const store = await open(dir);
      expect(store.read().data).toEqual({
        schemaVersion: SCHEMA_VERSION,
        pools: { [pool.id]: pool },
        assignments: { [seat.id]: seat },
        audit: [],
        idempotency: {},
        syncRuns: {},
        drift: {},
        spaces: {},
        notices: {},
        waitlist: {},
        provisions: {},
        provisionHolds: {},
      });
      expect(store.read().usage(pool.id).ledgerOnly).toBe(1);
      expect(await readFile(join(dir, 'ledger.json.v0.bak'), 'utf8')).toBe(v0);
      const rewritten = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as { schemaVersion: number; audit: unknown };
      expect(rewritten).toMatchObject({ schemaVersion: SCHEMA_VERSION, audit: [] });
      await store.update(() => ({ changes: seatRequestChanges(7), result: null }));
      await store.close();
      const again = await open(dir);
      expect(Object.keys(again.read().data.assignments)).toEqual(['seat-0', 'seat-7']);
    });

    it('opens a v1 file written before notice marks existed, then keeps the marks it records', async () => {
      const pool = makePool(0);
      const old = JSON.stringify({ schemaVersion: 1, journalSeq: 0, pools: { [pool.id]: pool }, assignments: {}, audit: [], idempotency: {}, syncRuns: {}, drift: {}, spaces: {} });
      const dir = await dirWith({ 'ledger.json': old });
      const store = await open(dir);
      expect(store.read().data.notices).toEqual({});
      const mark = { id: 'pending_nudge', kind: 'pending_nudge' as const, subject: null, on: '2026-03-02', thresholds: [], active: false, at: '2026-03-02T09:00:00.000Z' };
      await store.update(() => ({ changes: [{ type: 'notice.put' as const, notice: mark }], result: null }));
      await store.close();
      const again = await open(dir);
      expect(again.read().data.notices).toEqual({ pending_nudge: mark });
      expect(Object.keys(again.read().data.pools)).toEqual([pool.id]);
    });

    it('stops with an error naming the file when the migration cannot be written, and loses nothing', async () => {
      const v0 = JSON.stringify({ pools: { [makePool(0).id]: makePool(0) }, assignments: {} });
      const dir = await dirWith({ 'ledger.json': v0 });
      // A directory where the backup must go makes the copy fail (as a full or read-only disk would).
      await mkdir(join(dir, 'ledger.json.v0.bak'));
      const err = await openLowdbSeatStore({ dir }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'STORE_MIGRATION_FAILED', file: join(dir, 'ledger.json') });
      expect((err as Error).message).toContain('from schema v0');
      expect(await readFile(join(dir, 'ledger.json'), 'utf8')).toBe(v0);
    });

    it('leaves a current file alone on open', async () => {
      const dir = await dirWith({ 'ledger.json': goodSnapshot });
      const before = (await stat(join(dir, 'ledger.json'))).mtimeMs;
      const store = await open(dir);
      expect(Object.keys(store.read().data.assignments)).toEqual(['seat-0', 'seat-1']);
      expect((await stat(join(dir, 'ledger.json'))).mtimeMs).toBe(before);
      expect(await readFile(join(dir, 'ledger.json'), 'utf8')).toBe(goodSnapshot);
    });
  });
});
