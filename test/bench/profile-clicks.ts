// Where the time and memory go: runs the bot (compiled, real mode, against the load fake) under the same load as
// the benchmarks with the profile agent preloaded, and prints summaries. Not part of `npm run bench`.
//
//   npx tsx test/bench/profile-clicks.ts cpu      [--assignments 10000] [--echo]   CPU profile of 64 people clicking,
//                                          [--policy auto] [--no-profile]    and the bot's event-loop utilisation
//   npx tsx test/bench/profile-clicks.ts alloc    [--assignments 10000] [--echo]   allocation volume of the same clicks
//   npx tsx test/bench/profile-clicks.ts memory   [--assignments 10000] [--echo]   heap sampling, 1k people, 10k interactions
//   npx tsx test/bench/profile-clicks.ts startup  [--assignments 10000] [--echo]   CPU profile from spawn to ready
//   npx tsx test/bench/profile-clicks.ts snapshots [--assignments 10000] [--echo]  heap snapshots at 5k and 10k
//     interactions: what grew between them and what retains it (run with NODE_OPTIONS=--max-old-space-size=6000)
//
// Raw profiles (.cpuprofile, .heapprofile: open them in Chrome DevTools) and the summaries go to --out (default a
// new temp directory, printed).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchLedger } from '../support/bench-ledger.js';
import { startLoadFake, LOAD_ADMINS, type LoadFake } from '../support/load-fake.js';
import { profileControl, type ProfileControl } from '../support/profile-control.js';
import { startBotProcess } from '../support/start-bot-process.js';
import { startEchoBotProcess } from '../support/start-echo-bot-process.js';
import { formatCpuSummary, summarizeCpuProfile, type CpuProfile } from './analyze-cpu-profile.js';
import { formatHeapSummary, summarizeHeapProfile, type HeapProfile } from './analyze-heap-profile.js';
import { growth, readHeapSnapshot, totalsByKind } from './analyze-heap-snapshot.js';
import { cpuMsOf, rssMbOf, summarize } from './bench-stats.js';
import { clickRounds, ECHO_BOT, fetchCards, LICENSE_BOT, type ClickTarget } from './click-driver.js';

const argv = process.argv.slice(2);
const mode = argv[0] ?? 'cpu';
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : (argv[at + 1] ?? fallback);
};
const assignments = Number(option('--assignments', '10000'));
const echo = argv.includes('--echo');
/** 'auto': pools approve at once, so a click sends no approval notice to the admin space. */
const approval = option('--policy', 'required') === 'auto' ? 'auto' : 'required';
const outDir = option('--out', mkdtempSync(join(tmpdir(), 'license-bot-profile-')));
mkdirSync(outDir, { recursive: true });
const target: ClickTarget = echo
  ? ECHO_BOT
  : approval === 'auto'
    ? { ...LICENSE_BOT, expected: (m) => (m.attachments?.length ?? 0) > 0 }
    : LICENSE_BOT;
const label = echo ? 'echo-bot' : 'license-bot';

interface EventLoopUtilization {
  idle: number;
  active: number;
}

const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

interface Sut {
  pid: number;
  readyMs: number;
  stop(): Promise<number | null>;
}

async function startSut(lf: LoadFake, nodeArgs: string[], env: Record<string, string>): Promise<Sut> {
  if (echo) return startEchoBotProcess({ apiUrl: lf.fake.url, nodeArgs, env });
  const dataDir = join(outDir, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await writeBenchLedger(dataDir, { assignments, pools: 40, approval });
  return startBotProcess({ apiUrl: lf.fake.url, dataDir, adminEmails: LOAD_ADMINS.map((a) => a.email), adminSpaceId: lf.adminRoom.id, nodeArgs, env });
}

/** The largest resident mappings of the process (Linux): where RSS outside the V8 heap lives. */
function smapsSummary(pid: number): string {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return '(no /proc smaps)';
  }
  const maps: { name: string; rssKb: number }[] = [];
  let current: { name: string; rssKb: number } | null = null;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { name: head[1] || '[anon]', rssKb: 0 };
      maps.push(current);
    } else if (current && line.startsWith('Rss:')) current.rssKb = Number(line.split(/\s+/)[1]);
  }
  const byName = new Map<string, { kb: number; n: number }>();
  for (const m of maps) {
    const e = byName.get(m.name) ?? { kb: 0, n: 0 };
    e.kb += m.rssKb;
    e.n++;
    byName.set(m.name, e);
  }
  const big = [...maps].sort((a, b) => b.rssKb - a.rssKb).slice(0, 8).map((m) => `${m.name} ${(m.rssKb / 1024).toFixed(1)}`);
  const groups = [...byName].sort((a, b) => b[1].kb - a[1].kb).slice(0, 6).map(([n, e]) => `${n} ${(e.kb / 1024).toFixed(1)} MB in ${e.n}`);
  return `resident by mapping: ${groups.join('; ')}\nlargest mappings (MB): ${big.join(', ')}`;
}

const memory = async (ctl: ProfileControl, pid: number): Promise<string> => {
  const before = rssMbOf(pid);
  await ctl.send(pid, { op: 'gc' });
  const m = (await ctl.send(pid, { op: 'memory' })) as { memoryUsage: NodeJS.MemoryUsage; spaces: { name: string; usedBytes: number }[] };
  const mb = (b: number): string => `${(b / 1048576).toFixed(1)}`;
  const u = m.memoryUsage;
  const spaces = m.spaces.filter((s) => s.usedBytes > 1048576).map((s) => `${s.name} ${mb(s.usedBytes)}`).join(', ');
  const smaps = smapsSummary(pid);
  return `${smaps}\nrss ${before} MB before a full GC, ${mb(u.rss)} MB after; after it: heapUsed ${mb(u.heapUsed)} / heapTotal ${mb(u.heapTotal)}, external ${mb(u.external)} (arrayBuffers ${mb(u.arrayBuffers)}); spaces: ${spaces}`;
};

async function cpu(): Promise<void> {
  const lf = await startLoadFake({ people: 64 });
  const ctl = profileControl(outDir);
  const sut = await startSut(lf, ctl.nodeArgs, ctl.env);
  try {
    const { cards } = await fetchCards(lf, lf.people, target, 64);
    await clickRounds(lf, lf.people, cards, target, [1], 64);
    const profile = !argv.includes('--no-profile');
    const elu0 = (await ctl.send(sut.pid, { op: 'elu' })) as EventLoopUtilization;
    const cpu0 = cpuMsOf(sut.pid);
    if (profile) await ctl.send(sut.pid, { op: 'cpu-start' });
    const phase = await clickRounds(lf, lf.people, cards, target, Array.from({ length: 20 }, (_, i) => 2 + i), 64);
    const cpuMs = cpuMsOf(sut.pid) - cpu0;
    const elu1 = (await ctl.send(sut.pid, { op: 'elu' })) as EventLoopUtilization;
    const active = elu1.active - elu0.active;
    const n = phase.clicks.length;
    say(`${label}: ${n} clicks by 64 people in ${phase.seconds} s (${phase.perSecond}/s), p50 ${summarize(phase.clicks.map((c) => c.latencyMs)).p50Ms} ms, ${assignments} assignments, policy ${approval}${profile ? ' (profiled: slower)' : ''}`);
    say(`${label}: main thread busy ${(active / n).toFixed(2)} ms/click, event-loop utilisation ${(active / (active + elu1.idle - elu0.idle)).toFixed(2)}; process CPU ${(cpuMs / n).toFixed(2)} ms/click`);
    if (!profile) return;
    const file = join(outDir, `${label}-clicks.cpuprofile`);
    await ctl.send(sut.pid, { op: 'cpu-stop', out: file });
    const summary = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, undefined, 30);
    writeFileSync(join(outDir, `${label}-clicks.summary.json`), JSON.stringify(summary, null, 2));
    say(formatCpuSummary(`${label} CPU during the clicks`, summary, { count: n, unit: 'click' }));
  } finally {
    await sut.stop();
    await lf.close();
  }
}

async function alloc(): Promise<void> {
  const lf = await startLoadFake({ people: 64 });
  const ctl = profileControl(outDir);
  const sut = await startSut(lf, ctl.nodeArgs, ctl.env);
  try {
    const { cards } = await fetchCards(lf, lf.people, target, 64);
    await clickRounds(lf, lf.people, cards, target, [1], 64);
    await ctl.send(sut.pid, { op: 'alloc-start' });
    const phase = await clickRounds(lf, lf.people, cards, target, Array.from({ length: 10 }, (_, i) => 2 + i), 64);
    const file = join(outDir, `${label}-alloc.heapprofile`);
    await ctl.send(sut.pid, { op: 'heap-stop', out: file });
    const summary = summarizeHeapProfile(JSON.parse(readFileSync(file, 'utf8')) as HeapProfile, 25);
    writeFileSync(join(outDir, `${label}-alloc.summary.json`), JSON.stringify(summary, null, 2));
    say(`${label}: ${phase.clicks.length} clicks, ${(summary.totalMb / phase.clicks.length * 1024).toFixed(0)} KB allocated per click (sampled)`);
    say(formatHeapSummary(`${label}: everything allocated during the clicks (garbage included)`, summary));
  } finally {
    await sut.stop();
    await lf.close();
  }
}

async function heap(): Promise<void> {
  const lf = await startLoadFake({ people: 1000 });
  const ctl = profileControl(outDir);
  const sut = await startSut(lf, ctl.nodeArgs, ctl.env);
  try {
    say(`${label}: ready, ${await memory(ctl, sut.pid)}`);
    const { cards } = await fetchCards(lf, lf.people, target, 64);
    say(`${label}: after 1,000 cards: ${await memory(ctl, sut.pid)}`);
    await ctl.send(sut.pid, { op: 'heap-start' });
    await clickRounds(lf, lf.people, cards, target, [1, 2, 3, 4], 64);
    lf.trimLogs();
    say(`${label}: after 5,000 interactions: ${await memory(ctl, sut.pid)}`);
    await clickRounds(lf, lf.people, cards, target, [5, 6, 7, 8, 9], 64);
    lf.trimLogs();
    say(`${label}: after 10,000 interactions: ${await memory(ctl, sut.pid)}`);
    const file = join(outDir, `${label}-1k-to-10k.heapprofile`);
    await ctl.send(sut.pid, { op: 'heap-stop', out: file });
    const summary = summarizeHeapProfile(JSON.parse(readFileSync(file, 'utf8')) as HeapProfile, 25);
    writeFileSync(join(outDir, `${label}-heap.summary.json`), JSON.stringify(summary, null, 2));
    say(formatHeapSummary(`${label}: live objects allocated between 1k and 10k interactions`, summary));
  } finally {
    await sut.stop();
    await lf.close();
  }
}

async function snapshots(): Promise<void> {
  const lf = await startLoadFake({ people: 1000 });
  const ctl = profileControl(outDir);
  const sut = await startSut(lf, ctl.nodeArgs, ctl.env);
  const files = [join(outDir, `${label}-5k.heapsnapshot`), join(outDir, `${label}-10k.heapsnapshot`)] as const;
  try {
    const { cards } = await fetchCards(lf, lf.people, target, 64);
    await clickRounds(lf, lf.people, cards, target, [1, 2, 3, 4], 64);
    lf.trimLogs();
    say(`${label}: after 5,000 interactions: ${await memory(ctl, sut.pid)}`);
    await ctl.send(sut.pid, { op: 'snapshot', out: files[0] });
    await clickRounds(lf, lf.people, cards, target, [5, 6, 7, 8, 9], 64);
    lf.trimLogs();
    say(`${label}: after 10,000 interactions: ${await memory(ctl, sut.pid)}`);
    await ctl.send(sut.pid, { op: 'snapshot', out: files[1] });
  } finally {
    await sut.stop();
    await lf.close();
  }
  const a = readHeapSnapshot(files[0]);
  const before = totalsByKind(a);
  let maxIdBefore = 0;
  for (let i = 0; i < a.nodeCount; i++) maxIdBefore = Math.max(maxIdBefore, a.id(i));
  const b = readHeapSnapshot(files[1]);
  const grown = growth(before, totalsByKind(b), 20);
  say(`== ${label}: what grew from 5k to 10k interactions (self size, after a full GC)`);
  for (const g of grown) say(`  ${g.mb.toFixed(2).padStart(7)} MB ${String(g.count).padStart(8)} objects  ${g.kind}`);
  for (const g of grown.slice(0, 8)) {
    const sample = b.find((i) => b.kind(i) === g.kind && b.id(i) > maxIdBefore).slice(0, 1);
    for (const i of sample) say(`-- a new ${g.kind} is kept by:\n   ${b.retainingPath(i).join('\n   ')}`);
  }
}

async function startup(): Promise<void> {
  const lf = await startLoadFake({ people: 0 });
  const profDir = join(outDir, 'startup');
  mkdirSync(profDir, { recursive: true });
  const sut = await startSut(lf, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '200'], {});
  const rss = rssMbOf(sut.pid);
  await sut.stop();
  await lf.close();
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no CPU profile in ${profDir}`);
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
  // Only up to the ready line: the rest is shutdown.
  const summary = summarizeCpuProfile(profile, { toUs: profile.startTime + sut.readyMs * 1000 }, 30);
  writeFileSync(join(outDir, `${label}-startup.summary.json`), JSON.stringify(summary, null, 2));
  say(`${label}: ready in ${Math.round(sut.readyMs)} ms from spawn, RSS ${rss} MB, ${assignments} assignments`);
  say(formatCpuSummary(`${label} start-up until ready`, summary));
}

if (mode === 'cpu') await cpu();
else if (mode === 'alloc') await alloc();
else if (mode === 'memory') await heap();
else if (mode === 'startup') await startup();
else if (mode === 'snapshots') await snapshots();
else throw new Error(`unknown mode ${mode}: cpu, alloc, memory, startup or snapshots`);
say(`raw profiles and summaries: ${outDir}`);
