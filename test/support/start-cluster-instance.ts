// One bot instance of several on one PostgreSQL database: the compiled bot (`node <entry>`) in live mode against
// the fake Webex API, with its own INSTANCE_ID, DATA_DIR and receiver port, while Webex (the fake) posts to a
// shared WEBEX_WEBHOOK_URL (a round-robin proxy in front of every instance). Resolves on the ready line.
import { BENCH_SECRET, BENCH_TOKEN, REPO_ROOT } from './start-bot-process.js';
import { benchChildEnv, spawnJsonLines, type JsonLine, type JsonLinesProcess } from './spawn-json-lines.js';

export const CLUSTER_HEALTH_TOKEN = 'cluster-health-token-0123456789';

export interface ClusterInstanceOptions {
  /** The compiled main.js. */
  entry: string;
  instanceId: string;
  databaseUrl: string;
  dataDir: string;
  /** The receiver's port on 127.0.0.1 (known beforehand, so the proxy can be started first). */
  port: number;
  /** What Webex posts to: the proxy's URL and the webhook path. */
  webhookUrl: string;
  /** Fake Webex REST base, e.g. http://127.0.0.1:PORT/v1 */
  apiUrl: string;
  adminEmails: readonly string[];
  adminSpaceId: string;
  /** More settings (cron expressions, LEADER_LEASE_TTL_MS...). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** The parts of the detailed /healthz the cluster tests read. */
export interface ClusterHealth {
  status: string;
  instance: string;
  leader: { holder: string; self: boolean; fencing: number; expiresAt: string | null } | null;
  /** `checkedAt`: when the lease last talked to the database (ISO). */
  database: { ok: boolean; checkedAt: string | null; error?: string } | null;
  intake: { queue: { running: number; queued: number } };
  store: { ok: boolean; lastWriteAt: string | null; lastError: string | null };
}

export interface ClusterInstance {
  id: string;
  pid: number;
  port: number;
  proc: JsonLinesProcess;
  /** The detailed /healthz, or null when the instance does not answer (killed, or not listening yet). */
  health(): Promise<ClusterHealth | null>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after the grace time); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Log lines since the start whose pino `time` is at or after `sinceMs` (epoch) and that match. */
  linesSince(sinceMs: number, match: (l: JsonLine) => boolean): JsonLine[];
}

export async function startClusterInstance(options: ClusterInstanceOptions): Promise<ClusterInstance> {
  const proc = spawnJsonLines(process.execPath, ['--enable-source-maps', options.entry], {
    cwd: REPO_ROOT,
    keep: 5000,
    env: benchChildEnv({
      PORT: String(options.port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      INSTANCE_ID: options.instanceId,
      HEALTH_TOKEN: CLUSTER_HEALTH_TOKEN,
      LOG_LEVEL: 'info',
      WEBEX_LOG_LEVEL: 'silent',
      WEBEX_TOKEN: BENCH_TOKEN,
      WEBEX_API_URL: options.apiUrl,
      WEBEX_WEBHOOK_URL: options.webhookUrl,
      WEBEX_WEBHOOK_SECRET: BENCH_SECRET,
      ADMIN_EMAILS: options.adminEmails.join(','),
      ADMIN_SPACE_ID: options.adminSpaceId,
      ...options.env,
    }),
  });
  try {
    await proc.waitFor(
      (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('license-bot ready (live)'),
      options.readyTimeoutMs ?? 90_000,
      `${options.instanceId}'s ready line`,
    );
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
  const origin = `http://127.0.0.1:${options.port}`;
  return {
    id: options.instanceId,
    pid: proc.pid,
    port: options.port,
    proc,
    async health() {
      if (proc.exitCode() !== undefined) return null;
      try {
        const res = await fetch(`${origin}/healthz`, {
          headers: { authorization: `Bearer ${CLUSTER_HEALTH_TOKEN}` },
          signal: AbortSignal.timeout(5000),
        });
        return (await res.json()) as ClusterHealth;
      } catch {
        return null;
      }
    },
    async kill() {
      if (proc.exitCode() !== undefined) return;
      const gone = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
      proc.child.kill('SIGKILL');
      await gone;
    },
    stop: () => proc.stop(10_000),
    linesSince(sinceMs, match) {
      return proc.lines().filter((l) => typeof l['time'] === 'number' && l['time'] >= sinceMs && match(l));
    },
  };
}
