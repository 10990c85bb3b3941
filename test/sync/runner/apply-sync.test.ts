import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyLedger, poolId, type SyncRun, type Vendor } from '../../../src/domain/ledger.js';
import { VendorApiError } from '../../../src/errors.js';
import { openLowdbSeatStore, type LowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { SYNC_RUNS_KEPT, applySync, pruneSyncRuns } from '../../../src/sync/runner/apply-sync.js';
import { aPool, aSeat, aSnapshot, aVendorPool, snapshotWithHolders, viewOf } from '../../support/ledger-builders.js';

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

/** A recorded run of `vendor`/`connectionId` started `minute` minutes after 2026-01-01T00:00Z. */
function pastRun(id: string, minute: number, vendor: Vendor = 'webex', connectionId = 'org-1'): SyncRun {
  const startedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return {
    id, vendor, connectionId, trigger: 'schedule', startedAt, finishedAt: startedAt, status: 'ok', dryRun: false,
    pages: 1, requests: 1, retries: 0, summary: null, error: null,
  };
}

const runIdsOf = (vendor: Vendor, connectionId: string): string[] =>
  Object.values(store.read().data.syncRuns)
    .filter((r) => r.vendor === vendor && r.connectionId === connectionId)
    .map((r) => r.id)
    .sort();

describe('sync run history', () => {
  it('keeps exactly the newest 200 runs of the connection in the same write, and a reload shows the deletes', async () => {
    // 230 older runs of webex/org-1, recorded in an order unrelated to their start times.
    const minutes = Array.from({ length: 230 }, (_, i) => (i * 97) % 230);
    const seeded = minutes.map((m) => pastRun(`old-${m}`, m));
    const others = [
      ...Array.from({ length: 210 }, (_, i) => pastRun(`org2-${i}`, i, 'webex', 'org-2')),
      ...Array.from({ length: 3 }, (_, i) => pastRun(`meraki-${i}`, i, 'meraki', 'org-1')),
    ];
    await store.update(() => ({ changes: [...seeded, ...others].map((run) => ({ type: 'syncRun.put' as const, run })), result: undefined }));
    const otherIds = { org2: runIdsOf('webex', 'org-2'), meraki: runIdsOf('meraki', 'org-1') };
    const mutations = store.stats().mutations;

    await applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T1, runId: 'run-new' });

    expect(store.stats().mutations - mutations).toBe(1);
    // The new run plus the 199 newest old ones (minutes 31..229); minutes 0..30 are gone.
    const kept = ['run-new', ...Array.from({ length: 199 }, (_, i) => `old-${i + 31}`)].sort();
    expect(SYNC_RUNS_KEPT).toBe(200);
    expect(runIdsOf('webex', 'org-1')).toEqual(kept);
    expect(store.read().data.syncRuns['old-30']).toBeUndefined();
    expect(store.read().data.syncRuns['old-31']).toBeDefined();
    // Other connections are not pruned by this connection's sync, even when over the limit.
    expect(runIdsOf('webex', 'org-2')).toEqual(otherIds.org2);
    expect(runIdsOf('meraki', 'org-1')).toEqual(otherIds.meraki);
    const expected = structuredClone(store.read().data.syncRuns);

    await store.close();
    store = await openLowdbSeatStore({ dir });
    expect(store.read().data.syncRuns).toEqual(expected);
    expect(runIdsOf('webex', 'org-1')).toEqual(kept);

    // The next run deletes the oldest remaining one, and the deletes survive a compaction too.
    await applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T2, runId: 'run-next' });
    expect(runIdsOf('webex', 'org-1')).toHaveLength(200);
    expect(store.read().data.syncRuns['old-31']).toBeUndefined();
    await store.compact();
    const compacted = structuredClone(store.read().data.syncRuns);
    await store.close();
    store = await openLowdbSeatStore({ dir });
    expect(store.read().data.syncRuns).toEqual(compacted);
    expect(runIdsOf('webex', 'org-1')).toContain('run-next');
  });

  it('deletes nothing below the limit and nothing on a dry run', async () => {
    const seeded = Array.from({ length: 199 }, (_, i) => pastRun(`old-${i}`, i));
    await store.update(() => ({ changes: seeded.map((run) => ({ type: 'syncRun.put' as const, run })), result: undefined }));
    await applySync(store, snapshotWithHolders(['ann']), { dryRun: false, now: T1, runId: 'run-200' });
    expect(runIdsOf('webex', 'org-1')).toHaveLength(200);
    await applySync(store, snapshotWithHolders(['ann']), { dryRun: true, now: T2, runId: 'run-dry' });
    expect(runIdsOf('webex', 'org-1')).toHaveLength(200);
    expect(store.read().data.syncRuns['old-0']).toBeDefined();
  });

  it('breaks start-time ties by recording order, and never deletes the run being recorded', () => {
    const data = emptyLedger();
    for (const run of [pastRun('b', 5), pastRun('a', 5), pastRun('c', 9), pastRun('z', 1, 'webex', 'org-2')]) data.syncRuns[run.id] = run;
    const view = viewOf(data);
    expect(pruneSyncRuns(view, pastRun('new', 10), 3)).toEqual([{ type: 'syncRun.delete', id: 'b' }]);
    expect(pruneSyncRuns(view, pastRun('new', 10), 1)).toEqual(['b', 'a', 'c'].map((id) => ({ type: 'syncRun.delete', id })));
    // Re-recording an existing id (same run finishing) does not count it twice.
    expect(pruneSyncRuns(view, pastRun('c', 9), 3)).toEqual([]);
  });
});
