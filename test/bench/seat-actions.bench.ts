// Seat actions end to end: 64 distinct people press "Request a seat" on pool cards at once, against the compiled
// bot in real mode (node dist/main.js, a WEBEX_TOKEN pointed at the fake Webex API on loopback) with 1k, 10k and
// 100k synced assignments; beside the framework's bare echo bot with default SDK settings against the same fake.
// Latency: from the fake starting the webhook POST to the bot's threaded answer arriving at the fake. Then the
// same clicks one at a time (sequential latency). Afterwards the ledger must hold every click exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchLedger } from '../support/bench-ledger.js';
import { startLoadFake, LOAD_ADMINS, type LoadFake } from '../support/load-fake.js';
import { startBotProcess } from '../support/start-bot-process.js';
import { startEchoBotProcess } from '../support/start-echo-bot-process.js';
import { cpuMsOf, ratio, round, rssMbOf, summarize, type LatencySummary } from './bench-stats.js';
import { clickRounds, ECHO_BOT, fetchCards, LICENSE_BOT, type ClickPhase, type ClickTarget } from './click-driver.js';
import { verifyClicks, type ClickAudit } from './verify-clicks.js';

export const name = 'seat-actions';

const PEOPLE = 64;
const POOLS = 40;
const SIZES = [1_000, 10_000, 100_000];
const WARMUP_ROUNDS = [1];
/** 64 people x 20 rounds = 1,280 concurrent clicks. */
const CONCURRENT_ROUNDS = Array.from({ length: 20 }, (_, i) => 2 + i);
/** 64 people x 2 rounds = 128 clicks one at a time. */
const SEQUENTIAL_ROUNDS = [22, 23];

export interface PhaseResult {
  clicks: number;
  seconds: number;
  clicksPerSecond: number;
  latency: LatencySummary;
  /** CPU the process under test spent per click (user + system). */
  cpuMsPerClick: number;
  /** CPU this process (the fake Webex API and the load) spent per click. */
  fakeCpuMsPerClick: number;
  /** Requests the fake answered per click, by route. */
  webexRequestsPerClick: Record<string, number>;
}

export interface SutResult {
  label: string;
  readyMs: number;
  concurrent: PhaseResult;
  sequential: PhaseResult;
  rssMbAfter: number;
  logLines: number;
  logWarnings: number;
  failedDeliveries: number;
}

interface Measured {
  phase: ClickPhase;
  cpuMs: number;
  fakeCpuMs: number;
  requests: Record<string, number>;
}

function phase(m: Measured): PhaseResult {
  const n = m.phase.clicks.length;
  return {
    clicks: n,
    seconds: m.phase.seconds,
    clicksPerSecond: m.phase.perSecond,
    latency: summarize(m.phase.clicks.map((c) => c.latencyMs)),
    cpuMsPerClick: round(m.cpuMs / n),
    fakeCpuMsPerClick: round(m.fakeCpuMs / n),
    webexRequestsPerClick: Object.fromEntries(Object.entries(m.requests).map(([k, v]) => [k, round(v / n)])),
  };
}

/** One phase with the CPU of the bot (`pid`) and of this process, and the fake's requests, around it. */
async function measured(lf: LoadFake, pid: number, run: () => Promise<ClickPhase>): Promise<Measured> {
  lf.trimLogs();
  const cpu0 = cpuMsOf(pid);
  const own0 = process.cpuUsage();
  const p = await run();
  const own = process.cpuUsage(own0);
  const cpuMs = cpuMsOf(pid) - cpu0;
  const requests = lf.requestsByRoute();
  lf.trimLogs();
  return { phase: p, cpuMs, fakeCpuMs: (own.user + own.system) / 1000, requests };
}

/** Setup, warm-up, the concurrent phase and the sequential phase against one running bot. */
async function drive(lf: LoadFake, pid: number, target: ClickTarget): Promise<{ warmup: ClickPhase; concurrent: Measured; sequential: Measured }> {
  const { cards } = await fetchCards(lf, lf.people, target, PEOPLE);
  const warmup = await clickRounds(lf, lf.people, cards, target, WARMUP_ROUNDS, PEOPLE);
  const concurrent = await measured(lf, pid, () => clickRounds(lf, lf.people, cards, target, CONCURRENT_ROUNDS, PEOPLE));
  const sequential = await measured(lf, pid, () => clickRounds(lf, lf.people, cards, target, SEQUENTIAL_ROUNDS, 1));
  return { warmup, concurrent, sequential };
}

async function echoRun(): Promise<SutResult> {
  const lf = await startLoadFake({ people: PEOPLE });
  const echo = await startEchoBotProcess({ apiUrl: lf.fake.url });
  try {
    const run = await drive(lf, echo.pid, ECHO_BOT);
    const bad = [...run.warmup.clicks, ...run.concurrent.phase.clicks, ...run.sequential.phase.clicks].filter((c) => !c.expected).length;
    if (bad > 0) throw new Error(`echo bot: ${bad} unexpected answers`);
    return {
      label: 'echo-bot',
      readyMs: round(echo.readyMs),
      concurrent: phase(run.concurrent),
      sequential: phase(run.sequential),
      rssMbAfter: rssMbOf(echo.pid),
      logLines: echo.proc.counts().lines,
      logWarnings: echo.proc.counts().warnings,
      failedDeliveries: lf.failedDeliveries(),
    };
  } finally {
    await echo.stop();
    await lf.close();
  }
}

async function botRun(assignments: number): Promise<SutResult & { assignments: number; ledger: ClickAudit }> {
  const dir = await mkdtemp(join(tmpdir(), 'seat-actions-bench-'));
  const lf = await startLoadFake({ people: PEOPLE });
  try {
    await writeBenchLedger(dir, { assignments, pools: POOLS });
    const bot = await startBotProcess({
      apiUrl: lf.fake.url,
      dataDir: dir,
      adminEmails: LOAD_ADMINS.map((a) => a.email),
      adminSpaceId: lf.adminRoom.id,
    });
    let run: Awaited<ReturnType<typeof drive>>;
    let rssMbAfter: number;
    try {
      run = await drive(lf, bot.pid, LICENSE_BOT);
      rssMbAfter = rssMbOf(bot.pid);
    } finally {
      const code = await bot.stop();
      if (code !== 0) process.stderr.write(`  bot exited with ${String(code)}\n${bot.proc.output()}\n`);
    }
    const ledger = await verifyClicks(dir, [...run.warmup.clicks, ...run.concurrent.phase.clicks, ...run.sequential.phase.clicks]);
    return {
      label: 'license-bot',
      assignments,
      readyMs: round(bot.readyMs),
      concurrent: phase(run.concurrent),
      sequential: phase(run.sequential),
      rssMbAfter,
      logLines: bot.proc.counts().lines,
      logWarnings: bot.proc.counts().warnings,
      failedDeliveries: lf.failedDeliveries(),
      ledger,
    };
  } finally {
    await lf.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<unknown> {
  // The echo bot runs before and after the license bot (machine load drifts); the better run is the baseline.
  const echoRuns: SutResult[] = [];
  const runEcho = async (): Promise<void> => {
    process.stderr.write(`  echo bot: ${PEOPLE} people...\n`);
    const e = await echoRun();
    echoRuns.push(e);
    process.stderr.write(`  echo bot: ${e.concurrent.clicksPerSecond} clicks/s, p99 ${e.concurrent.latency.p99Ms} ms, sequential p50 ${e.sequential.latency.p50Ms} ms\n`);
  };
  await runEcho();
  const ours: Record<string, SutResult & { assignments: number; ledger: ClickAudit }> = {};
  for (const assignments of SIZES) {
    process.stderr.write(`  license bot, ${assignments} assignments...\n`);
    const o = await botRun(assignments);
    ours[String(assignments)] = o;
    process.stderr.write(
      `  license bot, ${assignments}: ${o.concurrent.clicksPerSecond} clicks/s, p99 ${o.concurrent.latency.p99Ms} ms, sequential p50 ${o.sequential.latency.p50Ms} ms, ledger ${o.ledger.ok ? 'ok' : JSON.stringify(o.ledger)}\n`,
    );
  }
  await runEcho();
  const echo = echoRuns.reduce((a, b) => (b.concurrent.clicksPerSecond > a.concurrent.clicksPerSecond ? b : a));
  const sizes: Record<string, unknown> = {};
  for (const [size, o] of Object.entries(ours)) {
    sizes[size] = {
      ours: o,
      ratios: {
        clicksPerSecond: ratio(o.concurrent.clicksPerSecond, echo.concurrent.clicksPerSecond),
        p50: ratio(o.concurrent.latency.p50Ms, echo.concurrent.latency.p50Ms),
        p99: ratio(o.concurrent.latency.p99Ms, echo.concurrent.latency.p99Ms),
        sequentialP50: ratio(o.sequential.latency.p50Ms, echo.sequential.latency.p50Ms),
        cpuMsPerClick: ratio(o.concurrent.cpuMsPerClick, echo.concurrent.cpuMsPerClick),
      },
    };
  }
  const at10k = ours['10000'];
  const targets = at10k && {
    clicksPerSecondAtLeast2xEcho: { value: at10k.concurrent.clicksPerSecond, target: round(2 * echo.concurrent.clicksPerSecond), met: at10k.concurrent.clicksPerSecond >= 2 * echo.concurrent.clicksPerSecond },
    p99AtMostEcho: { value: at10k.concurrent.latency.p99Ms, target: echo.concurrent.latency.p99Ms, met: at10k.concurrent.latency.p99Ms <= echo.concurrent.latency.p99Ms },
    sequentialP50AtMost15ms: { value: at10k.sequential.latency.p50Ms, target: 15, met: at10k.sequential.latency.p50Ms <= 15 },
  };
  const lossless = Object.values(ours).every((o) => o.ledger.ok);
  return { people: PEOPLE, pools: POOLS, baseline: echo, baselineRuns: echoRuns, sizes, targets, lossless };
}
