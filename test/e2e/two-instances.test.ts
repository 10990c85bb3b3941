// Two real bot processes (the compiled bot, live mode against the fake Webex API) on one PostgreSQL database,
// behind a round-robin proxy that Webex (the fake) posts every webhook to: seats are never over-granted, what a
// client was told is granted survives a SIGKILL and a database restart, and the jobs follow the leader lease.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/fake-webex-api.js';
import { buildPrivateDist } from '../support/build-private-dist.js';
import { autoPool, commitChanges, committedSeats, digestSpace } from '../support/cluster-ledger.js';
import { LOAD_ADMINS, type LoadFake, type LoadPerson } from '../support/load-fake.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../support/pg-database.js';
import { privatePostgresUnavailableReason, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import type { ClusterHealth, ClusterInstance } from '../support/start-cluster-instance.js';
import {
  askBot,
  botMessagesIn,
  leaderOf,
  pollFor,
  settled,
  startTwoInstanceCluster,
  type TwoInstanceCluster,
} from '../support/start-two-instance-cluster.js';

const LEASE_TTL_MS = 3000;
/** Every 2 seconds: the digest job fires often, and must still post once per space and day. */
const DIGEST_CRON = '*/2 * * * * *';
const INSTANCE_ENV = {
  LEADER_LEASE_TTL_MS: String(LEASE_TTL_MS),
  DIGEST_CRON,
  SCHEDULE_TIMEZONE: 'UTC',
};

const SCARCE = autoPool('scarce-studio', 'Scarce Studio', 5);
const ROOMY = autoPool('roomy-suite', 'Roomy Suite', 100_000);

const granted = (m: FakeMessage): boolean => JSON.stringify(m).includes('Approved automatically');

/** Compiled once for the whole file, into a folder of its own (never dist/, which other tests rebuild). */
let entry: Promise<string> | null = null;
const compiled = (): Promise<string> => (entry ??= buildPrivateDist('two-instances-e2e'));

const startCluster = async (databaseUrl: string, people: number, prefix: string): Promise<TwoInstanceCluster> =>
  startTwoInstanceCluster({ entry: await compiled(), databaseUrl, people, prefix, env: INSTANCE_ENV });

describe.skipIf(await pgMissing())('two bot instances on one PostgreSQL database (shared server)', () => {
  let db: TestDatabase;
  let cluster: TwoInstanceCluster;
  let digestA: string;

  beforeAll(async () => {
    db = await createTestDatabase('lb_two_inst');
    // The pools are seeded through the store's API before any instance starts.
    await commitChanges(db.url, [
      { type: 'pool.put', pool: SCARCE },
      { type: 'pool.put', pool: ROOMY },
    ]);
    cluster = await startCluster(db.url, 200, 'bot');
    // A space turns the digest on (a commit the running instances follow); the leader posts it.
    digestA = cluster.lf.fake.createRoom({ title: 'Team A', type: 'group', members: LOAD_ADMINS.map((a) => a.email) }).id;
    await commitChanges(db.url, [digestSpace(digestA, 'Team A')]);
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await db?.drop();
  }, 60_000);

  it('grants exactly the 5 free seats to 200 people asking at once through the proxy, answering each once', async () => {
    const { lf, instances, proxy } = cluster;
    const t0 = performance.now();
    const answers = await Promise.all(lf.people.map((p) => askBot(lf, p, `request ${SCARCE.productName}`, 120_000)));
    const seconds = (performance.now() - t0) / 1000;
    await lf.fake.idle();
    await settled(instances);

    expect(answers.filter((a) => a === null)).toHaveLength(0);
    const winners = lf.people.filter((_, i) => granted(answers[i]!));
    expect(winners).toHaveLength(5);
    // Exactly one answer per requester (no delivery handled by both instances).
    for (const p of lf.people) expect(botMessagesIn(lf, p.roomId)).toHaveLength(1);
    const seats = (await committedSeats(db.url, SCARCE.id)).filter((s) => s.status === 'active');
    expect(seats).toHaveLength(5);
    expect(seats.map((s) => s.assignee.email).sort()).toEqual(winners.map((w) => w.email).sort());
    // Both instances served the stream.
    expect(proxy.answered.every((n) => n > 0)).toBe(true);
    process.stderr.write(`two-instances: 200 requests for 5 seats in ${seconds.toFixed(1)} s, proxy split ${proxy.answered.join('/')}\n`);
  }, 180_000);

  it('keeps every acknowledged grant when one instance is SIGKILLed mid-stream, and the other keeps answering', async () => {
    const { lf, instances } = cluster;
    const leader = await pollFor('a leader', 10_000, () => leaderOf(instances));
    const victim = instances.find((i) => i !== leader)!;
    const people = lf.people.slice(0, 120);
    const queue = [...people];
    const outcome = new Map<LoadPerson, { answer: FakeMessage | null; sentAfterKill: boolean }>();
    let answered = 0;
    const kill: { done: Promise<void> | null } = { done: null };
    let killedAt = Infinity;
    const worker = async (): Promise<void> => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const sentAfterKill = performance.now() > killedAt;
        // A request in flight at the kill may never be answered (its instance died): 20 s for those; one sent
        // after the kill must be answered by the survivor, so it gets all the time a slow machine may need.
        const answer = await askBot(lf, p, `request ${ROOMY.productName}`, sentAfterKill ? 90_000 : 20_000);
        outcome.set(p, { answer, sentAfterKill });
        if (answer !== null) answered += 1;
        if (answered >= 30 && kill.done === null) {
          kill.done = victim.kill().then(() => {
            killedAt = performance.now();
          });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await kill.done;
    await lf.fake.idle();
    await settled(instances);

    expect(victim.proc.exitCode()).toBe(null); // killed by a signal
    const acknowledged = people.filter((p) => {
      const answer = outcome.get(p)?.answer;
      return answer !== null && answer !== undefined && granted(answer);
    });
    const afterKill = people.filter((p) => outcome.get(p)?.sentAfterKill === true);
    // The stream went on after the kill, and the survivor answered every request sent after it, granting each.
    expect(afterKill.length).toBeGreaterThanOrEqual(40);
    for (const p of afterKill) {
      const answer = outcome.get(p)?.answer ?? null;
      expect(answer !== null && granted(answer), p.email).toBe(true);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(30 + afterKill.length);
    // Every grant a client was told of is committed.
    const active = new Set((await committedSeats(db.url, ROOMY.id)).filter((s) => s.status === 'active').map((s) => s.assignee.email));
    for (const p of acknowledged) expect(active.has(p.email), p.email).toBe(true);
    process.stderr.write(`two-instances: SIGKILL ${victim.id} after 30 answers; ${acknowledged.length}/${people.length} acknowledged, all committed; ${afterKill.length} sent after the kill\n`);
  }, 180_000);

  it('moves the jobs to the other instance when the leader is SIGKILLed, and still posts the digest once per space and day', async () => {
    const { lf, instances } = cluster;
    // Back to two: the instance killed above starts again (same id and port).
    const down = instances.findIndex((i) => i.proc.exitCode() !== undefined);
    if (down >= 0) await cluster.start(down);
    const leader = await pollFor('a leader', 10_000, () => leaderOf(instances));
    const follower = instances.find((i) => i !== leader)!;
    // The leader has posted space A's digest (subscribed since before the start).
    await lf.fake.waitForMessages(() => digestsIn(lf, digestA).length > 0, 30_000);

    // The lease as the leader last renewed it: the database's expiry minus when that renewal answered.
    const ttlMs = leaseTtlOf(await leader.health());
    const renewMs = ttlMs / 3; // the holder renews, and the others try to take over, every third of the TTL
    const killedWall = Date.now();
    await leader.kill();
    const killedAt = performance.now();
    const taken = await pollFor('the follower to lead', ttlMs + renewMs + 15_000, async () => {
      const h: ClusterHealth | null = await follower.health();
      return h?.leader?.self === true && h.leader.holder === follower.id ? h : undefined;
    });
    const takeoverMs = performance.now() - killedAt;
    expect(taken.status).toBe('ok');
    // Within the lease TTL and one renewal interval (the last renewal may land just before the kill), with
    // slack for a slow machine.
    expect(takeoverMs).toBeLessThan(ttlMs + renewMs + 5000);

    // A space that turns the digest on now gets it from the new leader; space A is not posted again.
    const b = lf.fake.createRoom({ title: 'Team B', type: 'group', members: LOAD_ADMINS.map((a) => a.email) }).id;
    await commitChanges(db.url, [digestSpace(b, 'Team B')]);
    await lf.fake.waitForMessages(() => digestsIn(lf, b).length > 0, 30_000);
    const sentB = Date.now();
    // Later firings of the job on the new leader (past the one that posted B, which may finish after sentB)
    // post nothing more.
    await pollFor('three more digest runs', 30_000, () =>
      Promise.resolve(follower.linesSince(sentB, (l) => l['job'] === 'daily-digest' && l['msg'] === 'job finished').length >= 3 ? true : undefined),
    );
    await lf.fake.idle();
    expect(onePerDay(digestsIn(lf, digestA))).toBe(true);
    expect(onePerDay(digestsIn(lf, b))).toBe(true);
    expect(digestsIn(lf, b).length).toBeGreaterThanOrEqual(1);
    // While the leader lived the follower ran no job; since the takeover it runs them.
    expect(follower.linesSince(0, (l) => l['msg'] === 'job finished' && (l['time'] as number) < killedWall)).toHaveLength(0);
    expect(follower.linesSince(killedWall, (l) => l['job'] === 'daily-digest' && l['msg'] === 'job finished').length).toBeGreaterThanOrEqual(3);
    process.stderr.write(`two-instances: leader ${leader.id} killed; ${follower.id} led after ${Math.round(takeoverMs)} ms (lease TTL ${ttlMs} ms, LEADER_LEASE_TTL_MS=${LEASE_TTL_MS})\n`);
  }, 180_000);
});

/** The leader's lease TTL (ms, rounded to 100) from its /healthz: the expiry its last renewal set, minus when it answered. */
function leaseTtlOf(h: ClusterHealth | null): number {
  const expires = h?.leader?.expiresAt;
  const checked = h?.database?.checkedAt;
  if (h?.leader?.self !== true || typeof expires !== 'string' || typeof checked !== 'string') {
    throw new Error(`no lease held by this instance on its /healthz: ${JSON.stringify(h)}`);
  }
  return Math.round((Date.parse(expires) - Date.parse(checked)) / 100) * 100;
}

/** Every message the bot posted to a digest space: nothing but the digest is ever sent there. */
const digestsIn = (lf: LoadFake, roomId: string): FakeMessage[] => botMessagesIn(lf, roomId);

/** No two digests in one space on the same UTC day (the test may run across midnight). */
const onePerDay = (digests: readonly FakeMessage[]): boolean => {
  const days = digests.map((m) => m.created.slice(0, 10));
  return digests.length > 0 && new Set(days).size === days.length;
};

const privateReason = privatePostgresUnavailableReason();
if (privateReason !== null && process.env['CI'] !== 'true') process.stderr.write(`skipping the PostgreSQL restart test: ${privateReason}\n`);

describe.skipIf(privateReason !== null && process.env['CI'] !== 'true')('two bot instances through a PostgreSQL restart (private server)', () => {
  let server: PrivatePostgres;
  let url: string;
  let cluster: TwoInstanceCluster;
  /** Locally, why the private server could not be started (the test then skips saying so); in CI it fails. */
  let unavailable: string | null = null;

  beforeAll(async () => {
    if (privateReason !== null) throw new Error(`CI needs a private PostgreSQL server: ${privateReason}`);
    try {
      server = await startPrivatePostgres();
    } catch (err) {
      if (process.env['CI'] === 'true') throw err;
      unavailable = `the private PostgreSQL server did not start: ${err instanceof Error ? err.message : String(err)}`;
      process.stderr.write(`skipping the PostgreSQL restart test: ${unavailable}\n`);
      return;
    }
    url = await server.createDatabase('lb_restart');
    await commitChanges(url, [{ type: 'pool.put', pool: ROOMY }]);
    cluster = await startCluster(url, 100, 'pgr');
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await server?.destroy();
  }, 60_000);

  it('recovers both instances after PostgreSQL restarts mid-stream and loses nothing acknowledged', async (ctx) => {
    if (unavailable !== null) ctx.skip(unavailable);
    const { lf, instances, proxy } = cluster;
    const answers = new Map<LoadPerson, FakeMessage | null>();
    const queue = lf.people.slice(0, 70);
    let answered = 0;
    const outage: { done: Promise<void> | null } = { done: null };
    let restarted = 0;
    const worker = async (): Promise<void> => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const answer = await askBot(lf, p, `request ${ROOMY.productName}`, 30_000);
        answers.set(p, answer);
        if (answer !== null) answered += 1;
        if (answered >= 15 && outage.done === null) {
          // A crash (no checkpoint, every connection cut) while requests flow; back after a few more answers.
          outage.done = (async () => {
            await server.stop('immediate');
            const at = answered;
            await pollFor('answers during the outage', 15_000, () => Promise.resolve(answered >= at + 4 || queue.length === 0 ? true : undefined)).catch(() => undefined);
            await server.start();
            restarted = Date.now();
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    await outage.done;
    expect(restarted).toBeGreaterThan(0);

    // Both recover: each instance commits again. Requests go one at a time; when only one instance has written
    // so far, a GET through the proxy moves its round robin on, so the next request reaches the other.
    const late: LoadPerson[] = [];
    for (const p of lf.people.slice(70)) {
      late.push(p);
      answers.set(p, await askBot(lf, p, `request ${ROOMY.productName}`, 30_000));
      const writes = await Promise.all(instances.map((i) => lastWriteAt(i)));
      if (writes.every((w) => w !== null && w >= restarted)) break;
      await fetch(`${proxy.url}/healthz`).then((r) => r.arrayBuffer());
    }
    await lf.fake.idle();
    await settled(instances);
    for (const p of late) expect(granted(answers.get(p) ?? ({} as FakeMessage)), p.email).toBe(true);
    const writes = await Promise.all(instances.map((i) => lastWriteAt(i)));
    for (const w of writes) expect(w).toBeGreaterThanOrEqual(restarted);
    await pollFor('both instances healthy', 30_000, async () => {
      const hs = await Promise.all(instances.map((i) => i.health()));
      return hs.every((h) => h?.status === 'ok' && h.database?.ok === true) ? true : undefined;
    });

    const acknowledged = [...answers].filter(([, a]) => a !== null && granted(a)).map(([p]) => p);
    expect(acknowledged.length).toBeGreaterThanOrEqual(15 + late.length);
    const active = new Set((await committedSeats(url, ROOMY.id)).filter((s) => s.status === 'active').map((s) => s.assignee.email));
    for (const p of acknowledged) expect(active.has(p.email), p.email).toBe(true);
    // The restart hit the stream: some requests were answered without a grant while the database was down.
    const refused = [...answers.values()].filter((a) => a !== null && !granted(a)).length;
    expect(refused).toBeGreaterThan(0);
    process.stderr.write(`two-instances: PostgreSQL restarted mid-stream; ${acknowledged.length} acknowledged grants, all committed; ${refused} answered not granted during the outage; ${late.length} requests after recovery\n`);
  }, 180_000);
});

/** When the instance's store last committed (epoch ms), from /healthz; null when unknown. */
async function lastWriteAt(instance: ClusterInstance): Promise<number | null> {
  const at = (await instance.health())?.store.lastWriteAt;
  return typeof at === 'string' ? Date.parse(at) : null;
}
