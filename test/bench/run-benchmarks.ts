// `npm run bench`: runs every test/bench/*.bench.ts (each exports `name` and `run()`), prints ONE JSON
// document {benchmarks: {[name]: result}} to stdout; progress goes to stderr. `--only <name>` filters.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';

const benchModule = z.object({ name: z.string(), run: z.function() });

const here = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? null : (argv[onlyAt + 1] ?? null);
if (onlyAt !== -1 && only === null) throw new Error('--only needs a benchmark name');

const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const benchmarks: Record<string, unknown> = {};
for (const file of files) {
  const mod = benchModule.parse(await import(pathToFileURL(join(here, file)).href));
  if (only !== null && mod.name !== only) continue;
  process.stderr.write(`bench ${mod.name} (${file})\n`);
  const started = performance.now();
  benchmarks[mod.name] = await (mod.run as () => Promise<unknown>)();
  process.stderr.write(`bench ${mod.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
if (only !== null && Object.keys(benchmarks).length === 0) throw new Error(`no benchmark named ${only}`);
process.stdout.write(`${JSON.stringify({ benchmarks }, null, 2)}\n`);
