import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { poolId } from '../../src/domain/ledger.js';
import { VendorApiError } from '../../src/errors.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../src/store/lowdb-seat-store.js';
import { applySync } from '../../src/sync/apply-sync.js';
import { aPool, aSeat, aSnapshot, aVendorPool, snapshotWithHolders } from '../support/ledger-builders.js';

const T1 = '2026-03-02T10:00:00.000Z';
const T2 = '2026-03-02T11:00:00.000Z';
const POOL = poolId('webex', 'org-1', 'lic-meetings');

let dir: string;
let store: LowdbSeatStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apply-sync-'));
  store = await openLowdbSeatStore({ dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function filesOf(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(d)) out[f] = await readFile(join(d, f), 'utf8');
  return out;
}

describe('applySync', () => {
  it('commits the whole plan and its SyncRun record in one durable write', async () => {
    const before = store.stats().mutations;
    const applied = await applySync(store, snapshotWithHolders(['ann', 'bob']), { dryRun: false, now: T1, runId: 'run-1', trigger: 'cli', startedAt: '2026-03-02T09:59:00.000Z' });

    expect(store.stats().mutations - before).toBe(1);
    expect(applied.counts).toMatchObject({ poolsAdded: 1, seatsAdded: 2 });
    expect(applied.run).toMatchObject({
      id: 'run-1', vendor: 'webex', connectionId: 'org-1', trigger: 'cli', status: 'ok', dryRun: false,
      startedAt: '2026-03-02T09:59:00.000Z', finishedAt: T1, pages: 1, requests: 1, retries: 0,
      summary: { poolsAdded: 1, poolsUpdated: 0, poolsRetired: 0, seatsAdded: 2, seatsEnded: 0, drift: 0 }, error: null,
    });

    await store.close();
    store = await openLowdbSeatStore({ dir });
    const view = store.read();
    expect(view.pool(POOL)?.consumedSeats).toBe(2);
    expect(view.assignmentsOfPool(POOL)).toHaveLength(2);
    expect(view.data.syncRuns['run-1']?.status).toBe('ok');
    expect(view.data.audit).toHaveLength(3);
  });

  it('plans against the latest state, including an update queued just before it', async () => {
    await store.update(() => ({ changes: [{ type: 'pool.put', pool: aPool() }], result: undefined }));
    const granted = store.update(() => ({
      changes: [{ type: 'assignment.put', assignment: aSeat({ id: 'bot-ann', poolId: POOL, assignee: { kind: 'user', id: 'p-ann', email: 'ann@example.com', name: 'Ann' } }) }],
      result: undefined,
    }));
    const applied = applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T1, runId: 'run-1' });
    await granted;
    expect((await applied).counts).toMatchObject({ seatsMatched: 1, seatsAdded: 0 });
    expect(store.read().assignmentsOfPool(POOL)).toHaveLength(1);
  });

  it('writes nothing on a dry run: files byte-for-byte and memory unchanged, yet returns the full plan', async () => {
    await applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T1, runId: 'run-1' });
    await store.drain();
    const files = await filesOf(dir);
    const state = structuredClone(store.read().data);

    const plan = await applySync(store, snapshotWithHolders(['bob'], { totalSeats: 3 }), { dryRun: true, now: T2, runId: 'run-2' });

    expect(plan.counts).toMatchObject({ seatsAdded: 1, seatsEnded: 1, poolsUpdated: 1 });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.run).toMatchObject({ dryRun: true, status: 'ok' });
    await store.drain();
    expect(await filesOf(dir)).toEqual(files);
    expect(store.read().data).toEqual(state);
    expect(store.read().data.syncRuns['run-2']).toBeUndefined();
  });

  it('on a second identical sync commits no ledger change and no audit event, only the run record', async () => {
    await applySync(store, snapshotWithHolders(['ann', 'bob']), { dryRun: false, now: T1, runId: 'run-1' });
    const audit = store.read().data.audit.length;
    const again = await applySync(store, snapshotWithHolders(['ann', 'bob']), { dryRun: false, now: T2, runId: 'run-2' });
    expect(again.changes).toEqual([]);
    expect(store.read().data.audit).toHaveLength(audit);
    expect(store.read().data.syncRuns['run-2']?.summary).toEqual({ poolsAdded: 0, poolsUpdated: 0, poolsRetired: 0, seatsAdded: 0, seatsEnded: 0, drift: 0 });
  });

  it('rejects a snapshot it cannot plan and leaves the ledger as it was', async () => {
    await applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T1, runId: 'run-1' });
    const state = structuredClone(store.read().data);
    const bad = aSnapshot({ pools: [aVendorPool(), aVendorPool()] });
    await expect(applySync(store, bad, { dryRun: false, now: T2, runId: 'run-2' })).rejects.toBeInstanceOf(VendorApiError);
    expect(store.read().data).toEqual(state);
  });
});
