// The ledger on PostgreSQL beside the lowdb journal, in the same run: 10k assignments, 64 concurrent
// callers each doing request -> approve -> release through the real rules (executeLedgerCommand), every
// mutation awaited until acknowledged. PostgreSQL runs as one instance and as two instances on one database
// (callers split between them; both in this process, so they also share one event loop).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { systemClock } from '../../src/clock.js';
import { SCHEMA_VERSION } from '../../src/domain/ledger.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import type { LedgerCommand, LedgerResult, PersonActor } from '../../src/domain/ledger-command.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { SnapshotFile } from '../../src/store/lowdb/snapshot-file.js';
import { migrateDatabase } from '../../src/store/postgres/migrations.js';
import { openPostgresSeatStore } from '../../src/store/postgres/open-postgres-seat-store.js';
import type { PostgresSeatStore } from '../../src/store/postgres/postgres-seat-store.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import { makePool, seedLedger } from '../store/ledger-fixtures.js';
import { createTestDatabase, pgUnavailableReason } from '../support/pg-database.js';

export const name = 'store-postgres';

const SEATS = 10_000;
const CALLERS = 64;
/** request + approve + release per cycle. */
const CYCLES = 2000;
const TARGET_PER_SECOND = 2000;

const admin: PersonActor = { kind: 'person', personId: 'admin', email: 'admin@example.com', name: 'Admin', isAdmin: true };
const person = (n: number): PersonActor => ({ kind: 'person', personId: `bench-${n}`, email: `bench${n}@example.com`, name: `Bench ${n}`, isAdmin: false });

interface Run {
  mutations: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** CYCLES request/approve/release cycles by CALLERS callers; `storeFor(caller)` picks the instance. */
async function drive(storeFor: (caller: number) => SeatStore): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const exec = async (store: SeatStore, actor: PersonActor, key: string, command: LedgerCommand): Promise<LedgerResult> => {
    const t = performance.now();
    const result = await store.update((view) => executeLedgerCommand(view, { command, actor, source: 'chat', idempotencyKey: key, now: systemClock.now().toISOString() }));
    latencies.push(performance.now() - t);
    if (!result.ok) failures++;
    return result;
  };
  const started = performance.now();
  const caller = async (c: number): Promise<void> => {
    const store = storeFor(c);
    while (next < CYCLES) {
      const n = next++;
      const poolId = makePool(n % 4).id;
      const req = await exec(store, person(n), `req-${n}`, { op: 'request', poolId });
      if (!req.ok || !req.assignmentId) continue;
      await exec(store, admin, `ok-${n}`, { op: 'approve', assignmentId: req.assignmentId });
      await exec(store, person(n), `rel-${n}`, { op: 'release', assignmentId: req.assignmentId });
    }
  };
  await Promise.all(Array.from({ length: CALLERS }, (_, c) => caller(c)));
  const seconds = (performance.now() - started) / 1000;
  if (failures > 0) throw new Error(`${failures} mutations were refused by the rules: the workload is wrong`);
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  return { mutations: latencies.length, seconds: round(seconds), perSecond: round(latencies.length / seconds), p50ms: pct(0.5), p99ms: pct(0.99) };
}

async function lowdb(): Promise<Run & { batches: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
  try {
    await new SnapshotFile(join(dir, 'ledger.json')).write({ data: seedLedger(SEATS), journalSeq: 0, fromVersion: SCHEMA_VERSION });
    const store = await openLowdbSeatStore({ dir });
    const run = await drive(() => store);
    const stats = store.stats();
    await store.close();
    return { ...run, batches: stats.batches };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgres(instances: number): Promise<Run & { batches: number; mutationsPerBatch: number }> {
  const db = await createTestDatabase('lb_bench');
  try {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      await migrateDatabase(pool, db.name);
      await pool.query('insert into ledger_snapshots (seq, data) values (0, $1::json)', [JSON.stringify(seedLedger(SEATS))]);
    } finally {
      await pool.end();
    }
    const stores: PostgresSeatStore[] = [];
    for (let i = 0; i < instances; i++) stores.push(await openPostgresSeatStore({ url: db.url }));
    const run = await drive((c) => stores[c % instances]!);
    const batches = stores.reduce((n, s) => n + s.counters.batches, 0);
    for (const s of stores) await s.close();
    return { ...run, batches, mutationsPerBatch: round(run.mutations / batches) };
  } finally {
    await db.drop();
  }
}

export async function run(): Promise<unknown> {
  const missing = await pgUnavailableReason();
  if (missing !== null) throw new Error(missing);
  process.stderr.write(`  lowdb journal: ${CYCLES * 3} mutations over ${SEATS} seats...\n`);
  const journal = await lowdb();
  process.stderr.write(`  lowdb ${journal.perSecond}/s; PostgreSQL, one instance...\n`);
  const one = await postgres(1);
  process.stderr.write(`  PostgreSQL one instance ${one.perSecond}/s; two instances...\n`);
  const two = await postgres(2);
  process.stderr.write(`  PostgreSQL two instances ${two.perSecond}/s\n`);
  const met = one.perSecond >= TARGET_PER_SECOND;
  process.stderr.write(`  target ${met ? 'MET' : 'NOT MET'}: ${one.perSecond}/s vs ${TARGET_PER_SECOND}/s on one instance\n`);
  return {
    seats: SEATS,
    callers: CALLERS,
    workload: 'request -> approve -> release per caller, each mutation awaited',
    lowdbJournal: journal,
    postgresOneInstance: one,
    postgresTwoInstances: two,
    ratios: {
      postgresOneVsLowdb: round(one.perSecond / journal.perSecond),
      postgresTwoVsLowdb: round(two.perSecond / journal.perSecond),
      postgresTwoVsOne: round(two.perSecond / one.perSecond),
    },
    target: { perSecond: TARGET_PER_SECOND, oneInstance: one.perSecond, met },
  };
}
