// Boots the real app (`node --import tsx src/main.ts`) as a child process in sandbox mode (no WEBEX_TOKEN)
// and waits, bounded, for its "license-bot ready (sandbox)" log line. Used by the end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface AppLogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface AppProcess {
  /** The app's process id. */
  pid: number;
  /** The bot's webhook receiver port (PORT); the fake Webex API and chat page listen on PORT + 1. */
  port: number;
  /** Origin of the chat page / fake Webex API with a trailing slash, as logged by main.ts. */
  chatUrl: string;
  /** The DATA_DIR (a temp one is removed by stop()). */
  dataDir: string;
  /** Parsed JSON log lines from stdout so far (non-JSON lines are kept as { msg: line }). */
  logs: AppLogLine[];
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Polls the logs until `predicate` matches one line; rejects with the output after `timeoutMs`. */
  waitForLog(predicate: (line: AppLogLine) => boolean, timeoutMs?: number): Promise<AppLogLine>;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), remove a temp data dir. Returns the exit code. */
  stop(): Promise<number | null>;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free port P such that P + 1 is free too (main.ts puts the fake Webex API on PORT + 1). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        s.close(() => resolve(p));
      });
    });
    if (port > 0 && port < 65535 && (await canListen(port + 1))) return port;
  }
  throw new Error('no free pair of adjacent loopback ports after 20 tries');
}

export async function startAppProcess(
  options: {
    env?: Record<string, string>;
    readyTimeoutMs?: number;
    /** Use (and keep) this DATA_DIR. */
    dataDir?: string;
    /** Listen on this PORT (and PORT + 1), e.g. to restart an app where a page still points. */
    port?: number;
  } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await freePortPair());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'license-bot-e2e-')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  delete env['WEBEX_TOKEN'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: AppLogLine[] = [];
  let raw = '';
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    raw += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        logs.push(JSON.parse(line) as AppLogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr.on('data', (chunk: string) => {
    raw += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });

  const output = (): string => raw;
  const waitForLog = async (
    predicate: (line: AppLogLine) => boolean,
    timeoutMs = 30_000,
  ): Promise<AppLogLine> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = logs.find(predicate);
      if (hit) return hit;
      if (exitCode !== undefined)
        throw new Error(`the app exited (code ${String(exitCode)}) before the expected log line:\n${raw}`);
      if (performance.now() > deadline)
        throw new Error(`no matching log line within ${timeoutMs} ms; output so far:\n${raw}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    return exitCode ?? null;
  };

  try {
    const ready = await waitForLog(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('license-bot ready (sandbox)'),
      options.readyTimeoutMs ?? 30_000,
    );
    const chatUrl = typeof ready['chat'] === 'string' ? ready['chat'] : `http://127.0.0.1:${port + 1}/`;
    return { pid: child.pid ?? -1, port, chatUrl, dataDir, logs, output, waitForLog, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
