// Starts the compiled bot (`node dist/main.js`, what `npm start` execs) in real mode: WEBEX_TOKEN set, the Webex
// API pointed at a fake on 127.0.0.1, the receiver on a free loopback port, no vendor configured (the ledger is
// seeded instead). Resolves once it logs its "license-bot ready (live)" line. Used by the benchmarks.
import { fileURLToPath } from 'node:url';
import { benchChildEnv, freePort, spawnJsonLines, type JsonLinesProcess } from './spawn-json-lines.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Real-shaped (secret_cluster_org), so the SDK goes through its U2C catalog calls as it would live. */
export const BENCH_TOKEN = `${'b'.repeat(64)}_PF84_bench-org-0001`;
export const BENCH_SECRET = 'bench-webhook-secret-0123456789';
export const WEBHOOK_PATH = '/webex/webhook';

export interface BotProcessOptions {
  /** Fake Webex REST base, e.g. http://127.0.0.1:PORT/v1 */
  apiUrl: string;
  dataDir: string;
  adminEmails: readonly string[];
  adminSpaceId: string;
  /** Before the script, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeArgs?: readonly string[];
  /** Default dist/main.js (relative to the repo root). */
  entry?: string;
  logLevel?: string;
  /** More environment (e.g. for a profiling agent). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface BotProcess {
  proc: JsonLinesProcess;
  pid: number;
  webhookUrl: string;
  /** From spawn to the ready line arriving. */
  readyMs: number;
  stop(): Promise<number | null>;
}

/** Extra node flags for every bot the benchmarks start, from BENCH_BOT_NODE_ARGS (for trying e.g. heap flags). */
export const extraBotNodeArgs = (): string[] => (process.env['BENCH_BOT_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  const args = [...extraBotNodeArgs(), ...(options.nodeArgs ?? []), options.entry ?? 'dist/main.js'];
  const proc = spawnJsonLines(process.execPath, args, {
    cwd: REPO_ROOT,
    env: benchChildEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: options.logLevel ?? 'info',
      WEBEX_TOKEN: BENCH_TOKEN,
      WEBEX_API_URL: options.apiUrl,
      WEBEX_WEBHOOK_URL: webhookUrl,
      WEBEX_WEBHOOK_SECRET: BENCH_SECRET,
      ADMIN_EMAILS: options.adminEmails.join(','),
      ADMIN_SPACE_ID: options.adminSpaceId,
      ...options.env,
    }),
  });
  try {
    const { at } = await proc.waitFor(
      (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('license-bot ready (live)'),
      options.readyTimeoutMs ?? 60_000,
      'the bot ready line',
    );
    return { proc, pid: proc.pid, webhookUrl, readyMs: at - proc.spawnedAt, stop: () => proc.stop() };
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
}
