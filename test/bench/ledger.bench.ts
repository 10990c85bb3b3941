// Seat-ledger store throughput: ours (journal + group commit) beside plain lowdb (whole JSON per write).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { SCHEMA_VERSION, type LedgerData } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { SnapshotFile } from '../../src/store/lowdb/snapshot-file.js';
import { makeSyncedSeat, seatRequestChanges, seedLedger } from '../store/ledger-fixtures.js';

export const name = 'ledger';

const CALLERS = 64;
const TARGETS: Record<number, number> = { 10_000: 2000, 100_000: 300 };
const SIZES = [
  // existing seats, our mutations, baseline mutations
  { seats: 1_000, ours: 6000, baseline: 300 },
  { seats: 10_000, ours: 6000, baseline: 120 },
  { seats: 100_000, ours: 6000, baseline: 16 },
];
// Low enough that the measured window includes compactions (their stalls count).
const COMPACT_AFTER_LINES = 2500;

interface Run {
  mutations: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  eventLoopDelayMaxMs: number;
}

/** `count` seat requests issued by CALLERS concurrent callers, each awaiting its own acknowledgement. */
async function drive(count: number, first: number, mutate: (n: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let next = 0;
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (next < count) {
      const n = first + next++;
      const t = performance.now();
      await mutate(n);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CALLERS }, caller));
  delay.disable();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  return {
    mutations: count,
    seconds: round(seconds),
    perSecond: round(count / seconds),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    eventLoopDelayMaxMs: round(delay.max / 1e6),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

async function ours(dir: string, seats: number, count: number) {
  const seed: LedgerData = seedLedger(seats);
  await new SnapshotFile(join(dir, 'ledger.json')).write({ data: seed, journalSeq: 0, fromVersion: SCHEMA_VERSION });
  const store = await openLowdbSeatStore({ dir, compactAfterLines: COMPACT_AFTER_LINES });
  const run = await drive(count, seats, async (n) => {
    await store.update(() => ({ changes: seatRequestChanges(n), result: null }));
  });
  await store.drain();
  const stats = store.stats();
  await store.close();
  return {
    ...run,
    batches: stats.batches,
    mutationsPerWrite: round(stats.mutations / stats.batches),
    compactions: stats.compactions,
  };
}

/** Plain lowdb: JSONFile, one db.write() per mutation, one mutation at a time (no group commit). */
async function baseline(dir: string, seats: number, count: number): Promise<Run & { msPerWrite: number }> {
  const db = new Low<LedgerData>(new JSONFile<LedgerData>(join(dir, 'baseline.json')), seedLedger(seats));
  await db.write();
  const index = new LedgerIndex(db.data);
  let lock: Promise<void> = Promise.resolve();
  const run = await drive(count, seats, (n) => {
    const turn = lock.then(async () => {
      index.apply(seatRequestChanges(n));
      await db.write();
    });
    lock = turn;
    return turn;
  });
  return { ...run, msPerWrite: round((run.seconds * 1000) / count) };
}

export async function run(): Promise<unknown> {
  const sizes: Record<string, unknown> = {};
  const targets: Record<string, unknown> = {};
  for (const size of SIZES) {
    const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-'));
    try {
      process.stderr.write(`  ${size.seats} seats: ours (${size.ours} mutations)...\n`);
      const o = await ours(dir, size.seats, size.ours);
      process.stderr.write(`  ${size.seats} seats: ${o.perSecond}/s; baseline (${size.baseline} mutations)...\n`);
      const b = await baseline(dir, size.seats, size.baseline);
      process.stderr.write(`  ${size.seats} seats: baseline ${b.perSecond}/s\n`);
      sizes[String(size.seats)] = { ours: o, baseline: b, ratio: Math.round(o.perSecond / b.perSecond) };
      const target = TARGETS[size.seats];
      if (target !== undefined) {
        targets[String(size.seats)] = { targetPerSecond: target, perSecond: o.perSecond, met: o.perSecond >= target };
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const allMet = Object.values(targets).every((t) => (t as { met: boolean }).met);
  process.stderr.write(`  targets ${allMet ? 'MET' : 'NOT MET'}: ${JSON.stringify(targets)}\n`);
  return {
    callers: CALLERS,
    compactAfterLines: COMPACT_AFTER_LINES,
    seatRecordBytes: JSON.stringify(makeSyncedSeat(12_345)).length,
    mutationBytes: JSON.stringify(seatRequestChanges(12_345)).length,
    sizes,
    targets,
    targetsMet: allMet,
  };
}
