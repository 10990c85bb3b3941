// The daily digest to 1,000 subscribed spaces (ledger with 10k assignments) through the real send queue, with 5%
// of the fake Webex API's POST /messages answered 429 (Retry-After: 1): seconds until every post is accepted,
// and afterwards exactly one digest per space (none lost, none duplicated). Baseline, in the same child process
// and against the same fake with the same 429 rate: the same card POSTed once to 1,000 other spaces with plain
// fetch, all at once, honouring Retry-After, nothing else.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeWebexApi, type FakeMessage } from '../../src/sandbox/fake-webex-api.js';
import { writeBenchLedger } from '../support/bench-ledger.js';
import { LOAD_ADMINS, LOAD_BOT } from '../support/load-fake.js';
import { REPO_ROOT } from '../support/start-bot-process.js';
import { benchChildEnv, spawnJsonLines } from '../support/spawn-json-lines.js';
import { ratio, round } from './bench-stats.js';

export const name = 'digest';

const SPACES = 1_000;
const ASSIGNMENTS = 10_000;
const POOLS = 40;
/** One POST /messages in RATE_LIMIT_EVERY is answered 429. */
const RATE_LIMIT_EVERY = 20;
const RETRY_AFTER_SECONDS = 1;

export async function run(): Promise<unknown> {
  const fake = await startFakeWebexApi({ bot: LOAD_BOT, people: [...LOAD_ADMINS] });
  const dir = await mkdtemp(join(tmpdir(), 'digest-bench-'));
  try {
    const members = LOAD_ADMINS.map((a) => a.email);
    const digestRooms = Array.from({ length: SPACES }, (_, i) => fake.createRoom({ title: `Team ${i}`, type: 'group', members }));
    const baselineRooms = Array.from({ length: SPACES }, (_, i) => fake.createRoom({ title: `Other ${i}`, type: 'group', members }));
    await writeBenchLedger(dir, { assignments: ASSIGNMENTS, pools: POOLS, digestSpaces: digestRooms.map((r) => ({ roomId: r.id, title: r.title })) });

    // Every RATE_LIMIT_EVERY-th post is refused: after each RATE_LIMIT_EVERY - 1 accepted posts, arm one 429.
    let stored = 0;
    const messages = fake.state.messages;
    const keep = messages.set.bind(messages);
    messages.set = (id: string, m: FakeMessage) => {
      stored += 1;
      if (stored % (RATE_LIMIT_EVERY - 1) === 0) fake.faults.rateLimitNext(1, RETRY_AFTER_SECONDS, { method: 'POST', path: '/messages' });
      return keep(id, m);
    };
    fake.faults.rateLimitNext(1, RETRY_AFTER_SECONDS, { method: 'POST', path: '/messages' });

    const proc = spawnJsonLines(process.execPath, ['--import', 'tsx', 'test/bench/digest-runner.ts'], {
      cwd: REPO_ROOT,
      env: benchChildEnv({ DIGEST_API_URL: fake.url, DIGEST_DATA_DIR: dir, DIGEST_BASELINE_ROOMS: baselineRooms.map((r) => r.id).join(',') }),
    });
    const digest = (await proc.waitFor((l) => l['event'] === 'digest', 120_000, 'the digest')).line;
    const postsDigest = fake.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages'));
    const limitedDigest = postsDigest.filter((r) => r.status === 429).length;
    const baseline = (await proc.waitFor((l) => l['event'] === 'baseline', 120_000, 'the baseline')).line;
    const code = await proc.stop();
    if (code !== 0 && code !== null) throw new Error(`digest runner exited with ${code}\n${proc.output()}`);

    const perRoom = new Map<string, number>();
    for (const m of fake.state.messages.values()) perRoom.set(m.roomId, (perRoom.get(m.roomId) ?? 0) + 1);
    const count = (ids: readonly string[]) => ({
      lost: ids.filter((id) => (perRoom.get(id) ?? 0) === 0).length,
      duplicated: ids.filter((id) => (perRoom.get(id) ?? 0) > 1).length,
    });
    const ours = count(digestRooms.map((r) => r.id));
    const base = count(baselineRooms.map((r) => r.id));
    const seconds = round(Number(digest['seconds']));
    const baselineSeconds = round(Number(baseline['seconds']));
    return {
      spaces: SPACES,
      assignments: ASSIGNMENTS,
      rateLimitedShare: round(limitedDigest / postsDigest.length, 3),
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      ours: {
        seconds,
        /** Building the 1,000 digest cards alone, before and outside the job. */
        renderSeconds: round(Number(digest['renderSeconds'])),
        cardBytes: digest['cardBytes'],
        posts: postsDigest.length,
        rateLimited: limitedDigest,
        ...ours,
      },
      baseline: { seconds: baselineSeconds, ...base },
      ratio: ratio(seconds, baselineSeconds),
      lossless: ours.lost === 0 && ours.duplicated === 0 && Number(digest['spaces']) === SPACES,
    };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
