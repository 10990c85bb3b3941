// Child process of digest.bench.ts. Env: DIGEST_API_URL (fake Webex /v1), DIGEST_DATA_DIR (a seeded ledger with
// the subscribed spaces), DIGEST_BASELINE_ROOMS (comma-separated room ids). Times building the 1,000 digest cards
// alone, then runs the daily digest job as the bot does (runDailyDigest with the real send queue and the bot's
// notices) and reports its seconds; then, as the baseline, POSTs the same card once to each baseline room with plain fetch (all at once, Retry-After honoured,
// nothing else) and reports that. One JSON line per phase: {"event":"digest"|"baseline", ...}.
import { systemClock } from '../../src/clock.js';
import type { Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { runDailyDigest } from '../../src/jobs/daily-digest.js';
import { createLogger } from '../../src/log.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { createSendQueue } from '../../src/webex/send-queue.js';

const env = (key: string): string => {
  const v = process.env[key];
  if (v === undefined) throw new Error(`digest-runner: ${key} is required`);
  return v;
};
const apiUrl = env('DIGEST_API_URL');
const token = 'digest-bench-token-0123456789';
const emit = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const store = await openLowdbSeatStore({ dir: env('DIGEST_DATA_DIR') });
const logger = createLogger({ level: 'warn' });
const queue = createSendQueue({ apiUrl, token, fetch, logger });
const notices = createJobNotices({ access: { adminEmails: [], adminSpaceId: null, allowedEmailDomains: [] }, vendors: ['webex'] });

// The cards alone: what building the 1,000 digest cards costs, whatever the job does around it.
const view = store.read();
const now = systemClock.now().toISOString();
const subscribed = Object.values(view.data.spaces).filter((s) => s.digest);
const r0 = performance.now();
const rendered: Reply[] = subscribed.map((s) => notices.digest(view, now, { roomId: s.roomId, title: s.title }));
const renderSeconds = (performance.now() - r0) / 1000;
const firstReply = rendered[0];

// The job, wired as main.ts wires it (the send queue is its outbox).
const t0 = performance.now();
const report = await runDailyDigest({ store, clock: systemClock, outbox: queue, notices });
const t1 = performance.now();
emit({ event: 'digest', spaces: report.spaces, seconds: (t1 - t0) / 1000, renderSeconds, cardBytes: JSON.stringify(firstReply?.card ?? {}).length });
await store.close();

// Baseline: the same message body to each baseline room, plain fetch, all at once, Retry-After honoured.
const rooms = env('DIGEST_BASELINE_ROOMS').split(',').filter(Boolean);
const post = async (roomId: string): Promise<void> => {
  const body = JSON.stringify({
    roomId,
    markdown: firstReply?.markdown ?? 'digest',
    ...(firstReply?.card ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: firstReply.card }] } : {}),
  });
  for (let attempt = 0; attempt < 10; attempt++) {
    const res = await fetch(`${apiUrl}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.ok) return;
    if (res.status !== 429) throw new Error(`baseline post: HTTP ${res.status}`);
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
  }
  throw new Error('baseline post: still rate limited after 10 tries');
};
const b0 = performance.now();
await Promise.all(rooms.map(post));
emit({ event: 'baseline', spaces: rooms.length, seconds: (performance.now() - b0) / 1000 });
