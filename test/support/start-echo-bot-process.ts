// Starts test/bench/echo-bot.ts (the framework's bare echo bot) as a plain `node` process: the file is
// transpiled once to JS under node_modules/.cache (so `require` still finds the repo's node_modules and its
// start-up carries no TypeScript loader), then run against the given fake Webex API.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { BENCH_SECRET, BENCH_TOKEN, REPO_ROOT } from './start-bot-process.js';
import { benchChildEnv, spawnJsonLines, type JsonLinesProcess } from './spawn-json-lines.js';

export interface EchoBotProcess {
  proc: JsonLinesProcess;
  pid: number;
  /** From spawn to its ready line arriving. */
  readyMs: number;
  stop(): Promise<number | null>;
}

const compiled = new Map<string, string>();

/**
 * A self-contained TypeScript file of the repo (no relative imports) as ESM JavaScript in
 * node_modules/.cache/license-bot-bench/, e.g. compiledForNode('test/bench/echo-bot.ts').
 */
export function compiledForNode(repoPath: string): string {
  const known = compiled.get(repoPath);
  if (known !== undefined) return known;
  const name = basename(repoPath, '.ts');
  const out = ts.transpileModule(readFileSync(join(REPO_ROOT, repoPath), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: `${name}.ts`,
  });
  const dir = join(REPO_ROOT, 'node_modules/.cache/license-bot-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, out.outputText);
  compiled.set(repoPath, file);
  return file;
}

/** test/bench/echo-bot.ts, compiled. */
export const compiledEchoBot = (): string => compiledForNode('test/bench/echo-bot.ts');

export async function startEchoBotProcess(options: {
  apiUrl: string;
  nodeArgs?: readonly string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<EchoBotProcess> {
  const proc = spawnJsonLines(process.execPath, [...(options.nodeArgs ?? []), compiledEchoBot()], {
    cwd: REPO_ROOT,
    env: benchChildEnv({ ECHO_API_URL: options.apiUrl, ECHO_TOKEN: BENCH_TOKEN, ECHO_SECRET: BENCH_SECRET, ...options.env }),
  });
  try {
    const { at } = await proc.waitFor((l) => l['event'] === 'ready', options.readyTimeoutMs ?? 30_000, 'the echo bot ready line');
    return { proc, pid: proc.pid, readyMs: at - proc.spawnedAt, stop: () => proc.stop() };
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
}
