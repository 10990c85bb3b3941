// Memory under sustained load: the compiled bot in real mode with 10k synced assignments, 1,000 people each in
// a direct space, 64 at a time. Interactions: each person first asks for a pool card ("seats Bench Product 00":
// 1,000 messages), then presses Request for pools 1..9 in rounds (9,000 clicks), 10,000 in all. RSS of the bot
// after 1k, 5k and 10k interactions (load paused at each mark), beside the bare framework echo bot doing the same
// 10,000 interactions (a card, then echoed clicks) against the same kind of fake.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchLedger } from '../support/bench-ledger.js';
import { startLoadFake, LOAD_ADMINS, type LoadFake } from '../support/load-fake.js';
import { startBotProcess } from '../support/start-bot-process.js';
import { startEchoBotProcess } from '../support/start-echo-bot-process.js';
import { cpuMsOf, peakRssMbOf, ratio, round, rssMbOf } from './bench-stats.js';
import { clickRounds, ECHO_BOT, fetchCards, LICENSE_BOT, type ClickTarget } from './click-driver.js';

export const name = 'memory';

const PEOPLE = 1_000;
const WORKERS = 64;
const ASSIGNMENTS = 10_000;
/** Interactions after which RSS is read: 1k = the cards, then click rounds 1-4 (5k) and 5-9 (10k). */
const MARKS = [
  { after: 1_000, rounds: [] as number[] },
  { after: 5_000, rounds: [1, 2, 3, 4] },
  { after: 10_000, rounds: [5, 6, 7, 8, 9] },
];

interface Mark {
  interactions: number;
  rssMb: number;
  seconds: number;
  /** CPU the bot spent per interaction in the phase ending at this mark. */
  cpuMsPerInteraction: number;
}

async function drive(lf: LoadFake, pid: number, target: ClickTarget): Promise<{ marks: Mark[]; startRssMb: number; peakRssMb: number; unexpected: number }> {
  const startRssMb = rssMbOf(pid);
  const marks: Mark[] = [];
  let unexpected = 0;
  const t0 = performance.now();
  let cpu = cpuMsOf(pid);
  const { cards } = await fetchCards(lf, lf.people, target, WORKERS);
  marks.push({ interactions: PEOPLE, rssMb: rssMbOf(pid), seconds: round((performance.now() - t0) / 1000), cpuMsPerInteraction: round((cpuMsOf(pid) - cpu) / PEOPLE) });
  let done = PEOPLE;
  for (const mark of MARKS.slice(1)) {
    const t = performance.now();
    cpu = cpuMsOf(pid);
    const phase = await clickRounds(lf, lf.people, cards, target, mark.rounds, WORKERS);
    unexpected += phase.clicks.filter((c) => !c.expected).length;
    lf.trimLogs();
    const cpuMsPerInteraction = round((cpuMsOf(pid) - cpu) / (mark.after - done));
    done = mark.after;
    marks.push({ interactions: mark.after, rssMb: rssMbOf(pid), seconds: round((performance.now() - t) / 1000), cpuMsPerInteraction });
  }
  return { marks, startRssMb, peakRssMb: peakRssMbOf(pid), unexpected };
}

async function ours(): Promise<Awaited<ReturnType<typeof drive>>> {
  const dir = await mkdtemp(join(tmpdir(), 'memory-bench-'));
  const lf = await startLoadFake({ people: PEOPLE });
  try {
    await writeBenchLedger(dir, { assignments: ASSIGNMENTS, pools: 40 });
    const bot = await startBotProcess({ apiUrl: lf.fake.url, dataDir: dir, adminEmails: LOAD_ADMINS.map((a) => a.email), adminSpaceId: lf.adminRoom.id });
    try {
      return await drive(lf, bot.pid, LICENSE_BOT);
    } finally {
      await bot.stop();
    }
  } finally {
    await lf.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function echo(): Promise<Awaited<ReturnType<typeof drive>>> {
  const lf = await startLoadFake({ people: PEOPLE });
  try {
    const e = await startEchoBotProcess({ apiUrl: lf.fake.url });
    try {
      return await drive(lf, e.pid, ECHO_BOT);
    } finally {
      await e.stop();
    }
  } finally {
    await lf.close();
  }
}

export async function run(): Promise<unknown> {
  process.stderr.write('  license bot...\n');
  const o = await ours();
  process.stderr.write(`  license bot: ${o.marks.map((m) => `${m.interactions}: ${m.rssMb} MB`).join(', ')}\n`);
  const b = await echo();
  process.stderr.write(`  echo bot: ${b.marks.map((m) => `${m.interactions}: ${m.rssMb} MB`).join(', ')}\n`);
  const at = (r: typeof o, n: number): number => r.marks.find((m) => m.interactions === n)?.rssMb ?? Number.NaN;
  const rss10k = at(o, 10_000);
  const growth = round(rss10k - at(o, 5_000), 1);
  return {
    assignments: ASSIGNMENTS,
    people: PEOPLE,
    workers: WORKERS,
    ours: o,
    baseline: b,
    ratios: Object.fromEntries(MARKS.map((m) => [String(m.after), ratio(at(o, m.after), at(b, m.after))])),
    growth5kTo10kMb: { ours: growth, baseline: round(at(b, 10_000) - at(b, 5_000), 1) },
    target: { rssMbAtMost: 256, value: rss10k, noGrowth5kTo10k: growth <= 0, met: rss10k <= 256 && growth <= 0 },
  };
}
