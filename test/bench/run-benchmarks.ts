// `npm run bench`: runs every test/bench/*.bench.ts (each exports `name` and `run()`), each in its own
// process so one benchmark's heap cannot inflate another's RSS, and prints ONE JSON document
// {benchmarks: {[name]: result}} to stdout; progress goes to stderr. `--only <name>` filters.
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';

const benchModule = z.object({ name: z.string(), run: z.function() });

const here = fileURLToPath(new URL('.', import.meta.url));
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

if (single !== null) {
  // Child mode: run one benchmark file and print its result.
  const mod = benchModule.parse(await import(pathToFileURL(join(here, single)).href));
  const result: unknown = await (mod.run as () => Promise<unknown>)();
  process.stdout.write(`${JSON.stringify({ name: mod.name, result })}\n`);
} else {
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const benchmarks: Record<string, unknown> = {};
  for (const file of files) {
    if (only !== null && file !== `${only}.bench.ts`) continue;
    process.stderr.write(`bench ${file}\n`);
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--file', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    if (child.status !== 0) throw new Error(`benchmark ${file} failed with exit code ${String(child.status)}`);
    const { name, result } = z.object({ name: z.string(), result: z.unknown() }).parse(JSON.parse(last));
    benchmarks[name] = result;
    process.stderr.write(`bench ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (only !== null && Object.keys(benchmarks).length === 0) throw new Error(`no benchmark named ${only}`);
  process.stdout.write(`${JSON.stringify({ benchmarks }, null, 2)}\n`);
}
