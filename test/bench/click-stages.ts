// Per-stage timings of one "Request a seat" click, wired like main.ts in one process (real receiver, real framework
// adapter, real bot, real lowdb store with 10k synced seats, real send queue) against the in-process fake Webex API,
// with every seam between the stages wrapped to record when it was reached. Not part of `npm run bench`.
//
//   npx tsx test/bench/click-stages.ts [--clicks 200] [--assignments 10000] [--concurrency 1]
//
// Stages (ms from the fake starting the webhook POST): receiver got the request; receiver handed the event on;
// the event's reads (card action, person: by the framework's SDK or by our intake, whichever the tree has);
// bot.handle start; ledger update start/end (includes fsync); approval notice sent (outbox.deliver); bot.handle
// end; reply POSTed (outbox.send); reply stored by the fake. Also: every Webex HTTP call the bot made, by route.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { createBot } from '../../src/bot/bot.js';
import type { ChatHandler } from '../../src/bot/chat-event.js';
import type { NoticeOutbox } from '../../src/bot/delivery.js';
import type { ApprovalRequestCardData } from '../../src/cards/card-data.js';
import { renderCard } from '../../src/cards/render-card.js';
import { createLogger } from '../../src/log.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { startFrameworkAdapter } from '../../src/webex/framework-adapter.js';
import { createReceiver } from '../../src/webex/receiver.js';
import { createSendQueue } from '../../src/webex/send-queue.js';
import { writeBenchLedger, benchPool } from '../support/bench-ledger.js';
import { LOAD_ADMINS, startLoadFake } from '../support/load-fake.js';
import { BENCH_SECRET, BENCH_TOKEN, WEBHOOK_PATH } from '../support/start-bot-process.js';
import { percentile, round } from './bench-stats.js';
import { clickRounds, fetchCards, LICENSE_BOT } from './click-driver.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : Number(argv[at + 1] ?? fallback);
};
const CLICKS = option('--clicks', 200);
const ASSIGNMENTS = option('--assignments', 10_000);
const CONCURRENCY = option('--concurrency', 1);

/** Marks per click, keyed by the click's card (one click per card at a time). */
type Marks = Record<string, number>;
const marks = new Map<string, Marks>();
const byRoom = new Map<string, Marks>();
const mark = (roomId: string | undefined, stage: string): void => {
  if (roomId === undefined) return;
  const m = byRoom.get(roomId);
  if (m && m[stage] === undefined) m[stage] = performance.now();
};
const httpCalls = new Map<string, number[]>();
const route = (method: string, url: string): string =>
  `${method} ${new URL(url).pathname.replace(/\/v1\/(messages|people|attachment\/actions|rooms|memberships)\/[^/]+$/, '/v1/$1/{id}')}`;
const timedFetch: typeof fetch = async (input, init) => {
  const t = performance.now();
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return await fetch(input, init);
  } finally {
    const key = route(init?.method ?? 'GET', url);
    const list = httpCalls.get(key) ?? [];
    list.push(performance.now() - t);
    httpCalls.set(key, list);
  }
};

const dir = await mkdtemp(join(tmpdir(), 'click-stages-'));
const lf = await startLoadFake({ people: Math.max(CONCURRENCY, 64) });
await writeBenchLedger(dir, { assignments: ASSIGNMENTS, pools: 40 });
const logger = createLogger({ level: 'warn' });
const store = await openLowdbSeatStore({ dir, logger });
const update = store.update.bind(store);
let currentRoom: string | undefined;
store.update = async (fn) => {
  const room = currentRoom;
  mark(room, 'ledger start');
  try {
    return await update(fn);
  } finally {
    mark(room, 'ledger done (fsynced)');
  }
};
const queue = createSendQueue({ apiUrl: lf.fake.url, token: BENCH_TOKEN, fetch: timedFetch, logger });
const outbox: NoticeOutbox & typeof queue = {
  ...queue,
  async send(replies) {
    const room = replies.map((r) => ('roomId' in r.to ? r.to.roomId : undefined)).find((r) => r !== undefined && byRoom.has(r));
    mark(room, 'reply send start');
    await queue.send(replies);
    mark(room, 'reply POST answered');
  },
  async deliver(replies) {
    const room = currentRoom;
    mark(room, 'notice start');
    const out = await queue.deliver(replies);
    mark(room, 'notice POST answered');
    return out;
  },
};
const bot = createBot({
  store,
  clock: systemClock,
  logger,
  access: { adminEmails: LOAD_ADMINS.map((a) => a.email), adminSpaceId: lf.adminRoom.id, allowedEmailDomains: [] },
  outbox,
  sync: null,
});
const handler: ChatHandler = {
  async handle(event) {
    mark(event.roomId, 'bot.handle start');
    currentRoom = event.roomId;
    try {
      return await bot.handle(event);
    } finally {
      mark(event.roomId, 'bot.handle end');
    }
  },
};
const ref: { adapter?: Awaited<ReturnType<typeof startFrameworkAdapter>> } = {};
const receiver = createReceiver({
  path: WEBHOOK_PATH,
  secrets: [BENCH_SECRET],
  logger,
  onEvent: async (envelope) => {
    const room = typeof envelope.data.roomId === 'string' ? envelope.data.roomId : undefined;
    if (envelope.resource === 'attachmentActions') mark(room, 'receiver handed on');
    await ref.adapter?.onEvent(envelope);
  },
  health: () => ({ status: 'ok' }),
});
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  // Which room: not known before the body is read; the receiver stage is stamped on the only click in flight.
  if (CONCURRENCY === 1) for (const [, m] of byRoom) if (m['receiver got request'] === undefined) m['receiver got request'] = performance.now();
  void receiver.app(req, res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
const adapter = await startFrameworkAdapter({ token: BENCH_TOKEN, webhookUrl, webhookSecret: BENCH_SECRET, apiUrl: lf.fake.url, logger, handler, outbox, fetch: timedFetch });
ref.adapter = adapter;

// The SDK reads the framework makes (or is served from the intake's reads): time them where they are called.
const webex = adapter.framework.webex as Record<string, Record<string, unknown>>;
for (const [plugin, stage] of [['attachmentActions', 'card action read'], ['people', 'person read']] as const) {
  const target = webex[plugin];
  const get = target?.['get'];
  if (target && typeof get === 'function') {
    const original = (get as (...args: unknown[]) => Promise<unknown>).bind(target);
    target['get'] = async (...args: unknown[]) => {
      const room = [...byRoom.entries()].find(([, m]) => m['bot.handle start'] === undefined)?.[0];
      mark(room, `${stage} start (SDK)`);
      try {
        return await original(...args);
      } finally {
        mark(room, `${stage} done (SDK)`);
      }
    };
  }
}

// Warm up: everyone gets a card and clicks once (JIT, framework discovery of each space).
const { cards } = await fetchCards(lf, lf.people, LICENSE_BOT, 16);
await clickRounds(lf, lf.people, cards, LICENSE_BOT, [1], 16);
httpCalls.clear();

const samples: Marks[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async (_, w) => {
    while (next < CLICKS) {
      const n = next++;
      const person = lf.people[(w + n * CONCURRENCY) % lf.people.length]!;
      const card = cards.get(person.id)!;
      const m: Marks = {};
      byRoom.set(card.roomId, m);
      const round_ = 2 + Math.floor(n / lf.people.length);
      const t0 = performance.now();
      const { latencyMs } = await lf.click(person, card, LICENSE_BOT.inputs(card, round_));
      const rel: Marks = {};
      for (const [k, v] of Object.entries(m)) rel[k] = v - t0;
      rel['reply stored by the fake'] = latencyMs;
      samples.push(rel);
      byRoom.delete(card.roomId);
      marks.set(`${person.id}:${round_}`, rel);
    }
  }),
);

// Card render alone (the approval-request card of a click), in the same process after warm-up.
const view = store.read();
const pool = benchPool(5);
const renders: number[] = [];
for (let i = 0; i < 500; i++) {
  // Built loosely and asserted: the card's data type is being reshaped in the tree (expiresAt comes and goes).
  const data = {
    now: new Date().toISOString(),
    assignmentId: `a-${i}`,
    requester: { name: 'Bench User', email: 'bench@example.com' },
    pool: view.pool(pool.id) ?? pool,
    usage: view.usage(pool.id),
    seats: 1,
    reason: null,
    days: null,
    expiresAt: null,
    requestedAt: new Date().toISOString(),
  };
  const t = performance.now();
  renderCard('approval-request', data as unknown as ApprovalRequestCardData);
  renders.push(performance.now() - t);
}

const stages = new Map<string, number[]>();
for (const s of samples) for (const [k, v] of Object.entries(s)) stages.set(k, [...(stages.get(k) ?? []), v]);
const p = (xs: number[], q: number): number => round(percentile([...xs].sort((a, b) => a - b), q), 2);
const lines = [...stages.entries()]
  .sort((a, b) => p(a[1], 50) - p(b[1], 50))
  .map(([k, v]) => `  ${String(p(v, 50)).padStart(8)} ${String(p(v, 90)).padStart(8)}  ${k}${v.length < samples.length ? ` (${v.length} of ${samples.length})` : ''}`);
process.stdout.write(`clicks: ${samples.length}, concurrency ${CONCURRENCY}, ${ASSIGNMENTS} assignments; ms from the webhook POST (p50, p90):\n${lines.join('\n')}\n`);
process.stdout.write(`Webex HTTP calls by the bot during the clicks (count, p50 ms, p90 ms):\n${[...httpCalls.entries()].map(([k, v]) => `  ${String(v.length).padStart(6)} ${String(p(v, 50)).padStart(7)} ${String(p(v, 90)).padStart(7)}  ${k}`).join('\n')}\n`);
process.stdout.write(`renderCard('approval-request') alone: p50 ${p(renders, 50)} ms, p90 ${p(renders, 90)} ms\n`);

await adapter.stop();
await new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
});
await store.close();
await lf.close();
await rm(dir, { recursive: true, force: true });
