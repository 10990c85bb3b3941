// Two bot instances (start-cluster-instance.ts) on one database behind a round-robin proxy, with a fake Webex API
// that posts every webhook to the proxy; and the helpers the cluster tests drive them with (bounded polling,
// never fixed sleeps).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeMessage } from '../../src/sandbox/fake-webex-api.js';
import { LOAD_ADMINS, startLoadFake, type LoadFake, type LoadPerson } from './load-fake.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { WEBHOOK_PATH } from './start-bot-process.js';
import { startClusterInstance, type ClusterInstance } from './start-cluster-instance.js';
import { freePort } from './spawn-json-lines.js';

/** `person` says `text` in their space with the bot; the bot's first answer there, or null after `timeoutMs`. */
export async function askBot(lf: LoadFake, person: LoadPerson, text: string, timeoutMs: number): Promise<FakeMessage | null> {
  const next = lf.nextBotMessage(person.roomId, () => true, timeoutMs);
  try {
    await lf.fake.userSays({ roomId: person.roomId, personId: person.id, text });
    return (await next.answer).message;
  } catch {
    next.cancel();
    return null;
  }
}

/** Calls `read` every 100 ms until it returns a value; rejects naming `what` after `timeoutMs`. */
export async function pollFor<T>(what: string, timeoutMs: number, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every live instance has nothing running or queued (each answer has been produced). */
export async function settled(instances: readonly ClusterInstance[]): Promise<void> {
  await pollFor('the instances to settle', 30_000, async () => {
    for (const i of instances) {
      const h = await i.health();
      if (h === null && i.proc.exitCode() !== undefined) continue;
      if (h === null || h.intake.queue.running > 0 || h.intake.queue.queued > 0) return undefined;
    }
    return true;
  });
}

/** What the bot posted in a room, oldest first. */
export const botMessagesIn = (lf: LoadFake, roomId: string): FakeMessage[] =>
  lf.fake.messagesIn(roomId).filter((m) => m.personId === lf.botId);

/** Two instances on `databaseUrl` behind one proxy, with a fake Webex that posts to the proxy. */
export interface TwoInstanceCluster {
  lf: LoadFake;
  proxy: RoundRobinProxy;
  instances: ClusterInstance[];
  ports: number[];
  dirs: string[];
  /** Starts instance `index` (0 or 1) again, e.g. after a kill: same id, port and DATA_DIR. */
  start(index: number): Promise<ClusterInstance>;
  /** Stops both instances (SIGTERM), the proxy and the fake, and removes the DATA_DIRs. */
  close(): Promise<void>;
}

export async function startTwoInstanceCluster(options: {
  /** The compiled main.js. */
  entry: string;
  databaseUrl: string;
  /** People in the fake, each with a direct space with the bot. */
  people: number;
  /** Instance ids are `<prefix>-1` and `<prefix>-2`. */
  prefix: string;
  /** Settings for both instances. */
  env: Record<string, string>;
}): Promise<TwoInstanceCluster> {
  const { entry, databaseUrl, prefix } = options;
  const lf = await startLoadFake({ people: options.people });
  const ports = [await freePort(), await freePort()];
  const proxy = await startRoundRobinProxy(ports.map((p) => `http://127.0.0.1:${p}`));
  const dirs = await Promise.all(ports.map(() => mkdtemp(join(tmpdir(), `${prefix}-`))));
  const instances: ClusterInstance[] = [];
  const start = async (index: number): Promise<ClusterInstance> => {
    const instance = await startClusterInstance({
      entry,
      instanceId: `${prefix}-${index + 1}`,
      databaseUrl,
      dataDir: dirs[index]!,
      port: ports[index]!,
      webhookUrl: `${proxy.url}${WEBHOOK_PATH}`,
      apiUrl: lf.fake.url,
      adminEmails: LOAD_ADMINS.map((a) => a.email),
      adminSpaceId: lf.adminRoom.id,
      env: options.env,
    });
    instances[index] = instance;
    return instance;
  };
  // One after the other: each start replaces the bot's webhooks of that URL (same name), leaving one set.
  try {
    await start(0);
    await start(1);
  } catch (err) {
    for (const i of instances) await i?.kill();
    await proxy.close();
    await lf.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    throw err;
  }
  return {
    lf,
    proxy,
    instances,
    ports,
    dirs,
    start,
    async close() {
      for (const i of instances) {
        const code = await i.stop();
        if (code !== 0 && code !== null) process.stderr.write(`${i.id} exited with ${String(code)}\n${i.proc.output()}\n`);
      }
      await proxy.close();
      await lf.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}

/** The instance whose /healthz says it leads now, if any. */
export const leaderOf = async (instances: readonly ClusterInstance[]): Promise<ClusterInstance | undefined> => {
  for (const i of instances) if ((await i.health())?.leader?.self === true) return i;
  return undefined;
};
