// Write-back throughput against the Webex licenses emulator with 5% of requests answered 429 (Retry-After: 1):
// N approvals committed to a real lowdb ledger at once, each queuing a provisioning intent that the worker (kicked
// on commit, 4 at a time) carries out: GET /people?email= then PATCH /licenses/users, recorded back in the ledger.
// Reports intents/s and approval -> "assigned in Webex" latency (p50/p99, from the burst's approval). Baseline, in
// the same process against a fresh emulator with the same 429 rate: the same N PATCH calls with plain fetch, 4 at a
// time, honouring Retry-After, nothing else (no read first, no ledger); its latency is each call's success measured
// from the burst's start, like ours.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_POLICY, type ProvisionIntent } from '../../src/domain/ledger.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';
import { createProvisioningWorker } from '../../src/provisioning/provisioning-worker.js';
import { kickOnCommit } from '../../src/provisioning/kick-on-commit.js';
import { createWebexLicenseWriter } from '../../src/sync/vendors/webex/webex-license-writer.js';
import { startWebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { makePool } from '../support/make-pool.js';
import { ratio, round, summarize } from './bench-stats.js';

export const name = 'provisioning';

const INTENTS = 400;
const CONCURRENCY = 4;
/** One request in RATE_LIMIT_EVERY is answered 429 (5%). */
const RATE_LIMIT_EVERY = 20;
const TOKEN = 'bench-webex-admin-token';

const person = (i: number) => ({ kind: 'person' as const, personId: `p-${i}`, email: `user${i}@example.com`, name: `User ${i}`, isAdmin: false });
const admin = { kind: 'person' as const, personId: 'p-admin', email: 'admin@example.com', name: 'Admin', isAdmin: true };

async function ours(): Promise<Record<string, unknown>> {
  const emu = await startWebexLicensesEmulator({ token: TOKEN });
  const dir = await mkdtemp(join(tmpdir(), 'provisioning-bench-'));
  const raw = await openLowdbSeatStore({ dir });
  try {
    const license = emu.data.licenses[0]!;
    license.totalUnits = INTENTS * 2;
    const pool = makePool({ externalId: license.id, productName: 'Webex Meetings', totalSeats: INTENTS * 2, consumedSeats: 0, policy: { ...DEFAULT_POLICY, writeBack: true } }, 'webex');
    await raw.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
    const seats: string[] = [];
    for (let i = 0; i < INTENTS; i++) {
      const r = await runLedgerCommand(raw, systemClock, { command: { op: 'request', poolId: pool.id }, actor: person(i), source: 'chat', idempotencyKey: `req-${i}` });
      if (!r.ok || r.assignmentId === null) throw new Error(r.message);
      seats.push(r.assignmentId);
    }
    const logger = createLogger({ level: 'silent' });
    const approvedAt = new Map<string, number>();
    const latencies: number[] = [];
    let settled = 0;
    let done: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    const worker = createProvisioningWorker({
      store: raw,
      clock: systemClock,
      logger,
      concurrency: CONCURRENCY,
      writers: [createWebexLicenseWriter({ baseUrl: emu.url, token: TOKEN, fetch: globalThis.fetch, logger })],
      settings: { vendors: ['webex'], dryRun: false, maxRemovalsPerHour: 20 },
      notices: {
        settled: (_view, intent: ProvisionIntent) => {
          const t0 = approvedAt.get(intent.assignmentId);
          if (t0 !== undefined && intent.status === 'done') latencies.push(performance.now() - t0);
          if (++settled === INTENTS) done();
          return [];
        },
        held: () => [],
      },
    });
    const store = kickOnCommit(raw, () => worker.kick());
    emu.faults.set({ rate429: { every: RATE_LIMIT_EVERY, retryAfterSec: 1 } });
    const started = performance.now();
    await Promise.all(
      seats.map(async (id, i) => {
        approvedAt.set(id, performance.now());
        const r = await runLedgerCommand(store, systemClock, { command: { op: 'approve', assignmentId: id }, actor: admin, source: 'card', idempotencyKey: `ok-${i}` });
        if (!r.ok) throw new Error(r.message);
        approvedAt.set(id, performance.now());
      }),
    );
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    const view = raw.read();
    const assigned = seats.filter((id) => view.provisionsOf(id).at(-1)?.status === 'done').length;
    const effective = emu.writes.filter((w) => w.changed && w.operation === 'add').length;
    return {
      intents: INTENTS,
      seconds: round(seconds),
      intentsPerSecond: round(INTENTS / seconds),
      approvalToAssigned: summarize(latencies),
      assigned,
      effectiveVendorAdds: effective,
      exactlyOnce: assigned === INTENTS && effective === INTENTS,
      rateLimited: emu.requests.filter((r) => r.status === 429).length,
      vendorRequests: emu.requests.length,
    };
  } finally {
    await raw.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function baseline(): Promise<Record<string, unknown>> {
  const emu = await startWebexLicensesEmulator({ token: TOKEN });
  try {
    const license = emu.data.licenses[0]!;
    emu.faults.set({ rate429: { every: RATE_LIMIT_EVERY, retryAfterSec: 1 } });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      while (next < INTENTS) {
        const i = next++;
        for (;;) {
          const res = await fetch(`${emu.url}/licenses/users`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ email: `user${i}@example.com`, licenses: [{ id: license.id, operation: 'add' }] }),
          });
          await res.arrayBuffer();
          if (res.status !== 429) break;
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
        }
        // Like ours: from the moment the whole burst was asked for to this call's success.
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const seconds = (performance.now() - started) / 1000;
    return {
      calls: INTENTS,
      seconds: round(seconds),
      callsPerSecond: round(INTENTS / seconds),
      latency: summarize(latencies),
      rateLimited: emu.requests.filter((r) => r.status === 429).length,
    };
  } finally {
    await emu.close();
  }
}

export async function run(): Promise<unknown> {
  const b = await baseline();
  const o = await ours();
  const perSecond = (x: Record<string, unknown>, k: string): number => (typeof x[k] === 'number' ? x[k] : Number.NaN);
  const p = (x: unknown, k: string): number => {
    const v = (x as Record<string, unknown> | undefined)?.[k];
    return typeof v === 'number' ? v : Number.NaN;
  };
  return {
    setup: { intents: INTENTS, concurrency: CONCURRENCY, rateLimitedShare: 1 / RATE_LIMIT_EVERY, retryAfterSeconds: 1, store: 'lowdb (fsynced journal)' },
    ours: o,
    baseline: b,
    ratios: {
      throughput: ratio(perSecond(o, 'intentsPerSecond'), perSecond(b, 'callsPerSecond')),
      p50: ratio(p(o['approvalToAssigned'], 'p50Ms'), p(b['latency'], 'p50Ms')),
      p99: ratio(p(o['approvalToAssigned'], 'p99Ms'), p(b['latency'], 'p99Ms')),
    },
  };
}
