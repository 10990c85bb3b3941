// Start-up of the compiled bot in real mode (`node dist/main.js`, what `npm start` execs after building; the
// runner builds first): time from spawn to the "license-bot ready (live)" line (webhooks registered) and RSS at
// that moment, with a ledger of 10k assignments and with an empty one. Baselines in the same run: the bare
// framework echo bot (same fake, ready = its webhooks registered) and a bare `node` printing one line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchLedger } from '../support/bench-ledger.js';
import { startLoadFake } from '../support/load-fake.js';
import { startBotProcess } from '../support/start-bot-process.js';
import { startEchoBotProcess } from '../support/start-echo-bot-process.js';
import { benchChildEnv, spawnJsonLines } from '../support/spawn-json-lines.js';
import { REPO_ROOT } from '../support/start-bot-process.js';
import { ratio, round, rssMbOf } from './bench-stats.js';

export const name = 'startup';

const RUNS = 3;
const ASSIGNMENTS = 10_000;

interface Start {
  readyMs: number;
  rssMb: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const summary = (runs: readonly Start[]) => ({
  readyMs: round(median(runs.map((r) => r.readyMs))),
  rssMb: round(median(runs.map((r) => r.rssMb)), 1),
  runs: runs.map((r) => ({ readyMs: round(r.readyMs), rssMb: r.rssMb })),
});

async function bot(assignments: number): Promise<Start> {
  const lf = await startLoadFake({ people: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'startup-bench-'));
  try {
    if (assignments > 0) await writeBenchLedger(dir, { assignments, pools: 40 });
    const b = await startBotProcess({ apiUrl: lf.fake.url, dataDir: dir, adminEmails: ['ada@example.com'], adminSpaceId: lf.adminRoom.id });
    const rssMb = rssMbOf(b.pid);
    await b.stop();
    return { readyMs: b.readyMs, rssMb };
  } finally {
    await lf.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function echo(): Promise<Start> {
  const lf = await startLoadFake({ people: 0 });
  try {
    const e = await startEchoBotProcess({ apiUrl: lf.fake.url });
    const rssMb = rssMbOf(e.pid);
    await e.stop();
    return { readyMs: e.readyMs, rssMb };
  } finally {
    await lf.close();
  }
}

async function bareNode(): Promise<Start> {
  const p = spawnJsonLines(process.execPath, ['-e', 'process.stdout.write(\'{"event":"ready"}\\n\'); setTimeout(() => {}, 60000)'], { cwd: REPO_ROOT, env: benchChildEnv({}) });
  const { at } = await p.waitFor((l) => l['event'] === 'ready', 10_000, 'bare node');
  const rssMb = rssMbOf(p.pid);
  await p.stop();
  return { readyMs: at - p.spawnedAt, rssMb };
}

export async function run(): Promise<unknown> {
  const runs = { ours: [] as Start[], oursEmpty: [] as Start[], echo: [] as Start[], node: [] as Start[] };
  // Interleaved, so load drifting on the machine affects each alike.
  for (let i = 0; i < RUNS; i++) {
    runs.node.push(await bareNode());
    runs.echo.push(await echo());
    runs.ours.push(await bot(ASSIGNMENTS));
    runs.oursEmpty.push(await bot(0));
  }
  const ours = summary(runs.ours);
  const baseline = summary(runs.echo);
  return {
    assignments: ASSIGNMENTS,
    ours,
    oursEmptyLedger: summary(runs.oursEmpty),
    baseline,
    bareNode: summary(runs.node),
    ratios: { readyMs: ratio(ours.readyMs, baseline.readyMs), rssMb: ratio(ours.rssMb, baseline.rssMb) },
    target: { readyMsAtMost: 1000, value: ours.readyMs, met: ours.readyMs <= 1000 },
  };
}
