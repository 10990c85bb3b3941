// `npm run bench`: builds dist/ once (`npm run build`; the end-to-end benchmarks run `node dist/main.js`),
// then runs every test/bench/*.bench.ts (each exports `name` and `run()`), each in its own process so one
// benchmark's heap cannot inflate another's RSS, and prints ONE JSON document {benchmarks: {[name]: result},
// machine} to stdout; progress and, at the end, a short table (each figure beside its same-run baseline) go
// to stderr. `--only <name>` filters; `--no-build` skips the build (use dist/ as it is); `--out <file>` also
// writes the JSON there. A failed benchmark is reported and the others still run; the exit code is then 1.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { benchTable } from './bench-table.js';

const benchModule = z.object({ name: z.string(), run: z.function() });

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name: string): string | null => {
  const at = argv.indexOf(name);
  if (at === -1) return null;
  const value = argv[at + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
};
const only = flag('--only');
const single = flag('--file');
const out = flag('--out');
const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

if (single !== null) {
  // Child mode: run one benchmark file and print its result.
  const mod = benchModule.parse(await import(pathToFileURL(join(here, single)).href));
  const result: unknown = await (mod.run as () => Promise<unknown>)();
  process.stdout.write(`${JSON.stringify({ name: mod.name, result })}\n`);
} else {
  if (!argv.includes('--no-build')) {
    process.stderr.write('bench: npm run build\n');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.status !== 0) {
      process.stderr.write('bench: the build failed (dist/ may be stale or broken); fix it, or rerun with --no-build to use dist/ as it is\n');
      process.exit(1);
    }
  }
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const benchmarks: Record<string, unknown> = {};
  const machine: Record<string, unknown> = {
    cpus: cpus().length,
    node: process.version,
    /** Extra node flags given to every bot process (see test/support/start-bot-process.ts). */
    botNodeArgs: process.env['BENCH_BOT_NODE_ARGS'] ?? '',
    loadAverage: {},
  };
  const failed: string[] = [];
  const suiteStarted = performance.now();
  for (const file of files) {
    if (only !== null && file !== `${only}.bench.ts`) continue;
    process.stderr.write(`bench ${file} (load average ${load().join(' ')})\n`);
    const loadBefore = load();
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--file', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    (machine['loadAverage'] as Record<string, unknown>)[file.replace(/\.bench\.ts$/, '')] = { before: loadBefore, after: load(), seconds };
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    let json: unknown = null;
    try {
      json = child.status === 0 ? JSON.parse(last) : null;
    } catch {
      // not a result line: reported as a failure below
    }
    const parsed = z.object({ name: z.string(), result: z.unknown() }).safeParse(json);
    if (!parsed.success) {
      failed.push(file);
      process.stderr.write(`bench ${file} FAILED (exit code ${String(child.status)}) after ${seconds} s\n`);
      continue;
    }
    benchmarks[parsed.data.name] = parsed.data.result;
    process.stderr.write(`bench ${parsed.data.name} done in ${seconds} s\n`);
  }
  if (only !== null && Object.keys(benchmarks).length === 0 && failed.length === 0) throw new Error(`no benchmark named ${only}`);
  machine['suiteSeconds'] = Math.round((performance.now() - suiteStarted) / 1000);
  const json = `${JSON.stringify({ benchmarks, machine, failed }, null, 2)}\n`;
  process.stdout.write(json);
  if (out !== null) writeFileSync(out, json);
  process.stderr.write(`\n${benchTable(benchmarks, failed)}\n`);
  if (failed.length > 0) process.exitCode = 1;
}
