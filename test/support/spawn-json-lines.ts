// A child process whose stdout is JSON lines (pino logs, or a bench child's reports): parsed as they come,
// waited for by predicate (bounded), stopped with SIGTERM then SIGKILL. Used by the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export type JsonLine = Record<string, unknown>;

export interface JsonLinesProcess {
  child: ChildProcess;
  pid: number;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** Lines parsed so far (only the last `keep`); non-JSON lines are kept as { msg }. */
  lines(): JsonLine[];
  /** Lines seen in total, and those at pino level >= 40 (warn). */
  counts(): { lines: number; warnings: number };
  /** Everything on stderr, and the last stdout lines, for failure messages. */
  output(): string;
  /** Resolves with the first line (seen so far or later) matching `predicate` and when it arrived. */
  waitFor(predicate: (line: JsonLine) => boolean, timeoutMs: number, what: string): Promise<{ line: JsonLine; at: number }>;
  /** Exit code once exited, else undefined. */
  exitCode(): number | null | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export function spawnJsonLines(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; keep?: number },
): JsonLinesProcess {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = options.keep ?? 500;
  let kept: JsonLine[] = [];
  let total = 0;
  let warnings = 0;
  let partial = '';
  let stderr = '';
  const waiters: { predicate: (l: JsonLine) => boolean; resolve: (v: { line: JsonLine; at: number }) => void }[] = [];
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const at = performance.now();
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const raw of parts) {
      if (raw.trim() === '') continue;
      let line: JsonLine;
      try {
        const parsed: unknown = JSON.parse(raw);
        line = typeof parsed === 'object' && parsed !== null ? (parsed as JsonLine) : { msg: raw };
      } catch {
        line = { msg: raw };
      }
      total += 1;
      if (typeof line['level'] === 'number' && line['level'] >= 40) warnings += 1;
      kept.push(line);
      if (kept.length > keep * 2) kept = kept.slice(-keep);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w?.predicate(line)) {
          waiters.splice(i, 1);
          w.resolve({ line, at });
        }
      }
    }
  });
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 200_000) stderr += chunk;
  });
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (c) => {
      code = c;
      resolve(c);
    }),
  );
  const output = (): string =>
    `stderr:\n${stderr}\nlast stdout lines:\n${kept
      .slice(-30)
      .map((l) => JSON.stringify(l))
      .join('\n')}`;
  return {
    child,
    pid: child.pid ?? -1,
    spawnedAt,
    lines: () => kept,
    counts: () => ({ lines: total, warnings }),
    output,
    exitCode: () => code,
    async waitFor(predicate, timeoutMs, what) {
      const hit = kept.find(predicate);
      if (hit) return { line: hit, at: performance.now() };
      let timer: NodeJS.Timeout | undefined;
      const exitFirst = exited.then((c) => {
        throw new Error(`${what}: the process exited (code ${String(c)}) first\n${output()}`);
      });
      exitFirst.catch(() => undefined); // reported through the race below when it wins; ignored otherwise
      try {
        return await Promise.race([
          new Promise<{ line: JsonLine; at: number }>((resolve) => waiters.push({ predicate, resolve })),
          exitFirst,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what}: not seen within ${timeoutMs} ms\n${output()}`)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(graceMs = 15_000) {
      if (code !== undefined) return code;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const c = await exited;
      clearTimeout(killer);
      return c;
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a benchmark child: PATH and HOME only, plus `extra`. Proxy variables point at a closed
 * loopback port with NO_PROXY for loopback, so the Webex SDK (which honours them) can never leave the machine.
 */
export function benchChildEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const v = process.env[key];
    if (v !== undefined) base[key] = v;
  }
  return {
    ...base,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  };
}
