// Webhook receiver throughput: signed Webex envelopes (~1 KB, each with its own data.id) POSTed over keep-alive
// connections, 32 at a time, to the real receiver (src/webex/receiver.ts: body limit, HMAC over the raw bytes,
// JSON + zod envelope check, dedupe, bounded intake queue, 200) and to a bare Express handler that only checks
// the HMAC, each served by its own child process, with the same client. The event handler does nothing, so this
// is the receiver alone.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { signBody } from '../../src/webex/sign-body.js';
import { REPO_ROOT } from '../support/start-bot-process.js';
import { benchChildEnv, spawnJsonLines } from '../support/spawn-json-lines.js';
import { cpuMsOf, ratio, round, summarize, type LatencySummary } from './bench-stats.js';
import { RECEIVER_BENCH_PATH, RECEIVER_BENCH_SECRET } from './receiver-server.js';

export const name = 'receiver';

const CONCURRENCY = 32;
const WARMUP = 2_000;
const REQUESTS = 20_000;
/** Alternating runs of each server, so machine load drifting over time hits both alike. */
const RUNS = 2;

const fixture = JSON.parse(readFileSync(new URL('../fixtures/webex/attachmentActions.created.json', import.meta.url), 'utf8')) as {
  data: Record<string, unknown>;
} & Record<string, unknown>;

function envelope(n: number): Buffer {
  const body = JSON.stringify({ ...fixture, data: { ...fixture.data, id: `${String(fixture.data['id'])}-${process.pid}-${n}` } });
  return Buffer.from(body);
}

interface Run {
  requests: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  cpuMsPerRequest: number;
  non200: number;
}

async function load(port: number, pid: number, first: number, count: number, bodies: readonly { body: Buffer; sig: string }[]): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let non200 = 0;
  let next = 0;
  const post = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const { body, sig } = bodies[(first + i) % bodies.length]!;
      const t0 = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: RECEIVER_BENCH_PATH,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-spark-signature': sig },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode !== 200) non200 += 1;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const cpu0 = cpuMsOf(pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await post(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = cpuMsOf(pid) - cpu0;
  agent.destroy();
  return {
    requests: count,
    seconds: round(seconds),
    perSecond: round(count / seconds),
    latency: summarize(latencies),
    cpuMsPerRequest: round(cpuMs / count, 3),
    non200,
  };
}

async function measure(mode: 'real' | 'bare', bodies: readonly { body: Buffer; sig: string }[], offset: number): Promise<Run> {
  const proc = spawnJsonLines(process.execPath, ['--import', 'tsx', 'test/bench/receiver-server.ts', mode], {
    cwd: REPO_ROOT,
    env: benchChildEnv({}),
  });
  try {
    const { line } = await proc.waitFor((l) => l['event'] === 'ready', 30_000, `the ${mode} receiver`);
    const port = Number(line['port']);
    await load(port, proc.pid, offset, WARMUP, bodies);
    return await load(port, proc.pid, offset + WARMUP, REQUESTS, bodies);
  } finally {
    await proc.stop();
  }
}

/** The better of the runs by throughput (the least disturbed by other load on the machine). */
const best = (runs: Run[]): Run => runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

export async function run(): Promise<unknown> {
  // Unique ids for every request of every run: the real receiver would answer replays as duplicates.
  const total = RUNS * 2 * (WARMUP + REQUESTS);
  const bodies = Array.from({ length: total }, (_, n) => {
    const body = envelope(n);
    return { body, sig: signBody(body, RECEIVER_BENCH_SECRET) };
  });
  const real: Run[] = [];
  const bare: Run[] = [];
  let offset = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['bare', 'real'] as const) {
      const r = await measure(mode, bodies, offset);
      offset += WARMUP + REQUESTS;
      (mode === 'real' ? real : bare).push(r);
      process.stderr.write(`  ${mode}: ${r.perSecond}/s p50 ${r.latency.p50Ms} ms p99 ${r.latency.p99Ms} ms\n`);
    }
  }
  const ours = best(real);
  const baseline = best(bare);
  if (ours.non200 + baseline.non200 > 0) throw new Error(`non-200 answers: real ${ours.non200}, bare ${baseline.non200}`);
  return {
    concurrency: CONCURRENCY,
    bodyBytes: bodies[0]?.body.length,
    ours,
    baseline,
    runs: { real, bare },
    ratios: {
      perSecond: ratio(ours.perSecond, baseline.perSecond),
      p50: ratio(ours.latency.p50Ms, baseline.latency.p50Ms),
      p99: ratio(ours.latency.p99Ms, baseline.latency.p99Ms),
      cpuMsPerRequest: ratio(ours.cpuMsPerRequest, baseline.cpuMsPerRequest),
    },
    target: { perSecondAtLeast: 0.8, value: ratio(ours.perSecond, baseline.perSecond), met: ours.perSecond >= 0.8 * baseline.perSecond },
  };
}
