import { fixedClock, type Clock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { emptyLedger, type LicensePool } from '../../src/domain/ledger.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { createBot } from '../../src/bot/bot.js';
import type { ChatPerson, JobOutbox, Reply, RoomType } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { loadConfig } from '../../src/config.js';
import { jobTable } from '../../src/jobs/job-table.js';
import type { Job } from '../../src/jobs/scheduler.js';
import type { SeatStore } from '../../src/store/seat-store.js';
import type { Delivery, NoticeOutbox } from '../../src/bot/delivery.js';
import type { SyncTrigger } from '../../src/bot/bot-deps.js';

export const PEOPLE = {
  ada: { id: 'p-ada', email: 'ada@example.com', displayName: 'Ada Admin' },
  bob: { id: 'p-bob', email: 'bob@example.com', displayName: 'Bob Admin' },
  cy: { id: 'p-cy', email: 'cy@example.com', displayName: 'Cy User' },
  eve: { id: 'p-eve', email: 'eve@evil.test', displayName: 'Eve Outsider' },
} satisfies Record<string, ChatPerson>;

/** Ada and Bob are the admins; approvals go to the room-admins space. */
export const TEST_ADMINS = ['ada@example.com', 'bob@example.com'];

/** The bot with a memory store, a fixed clock and an outbox that records what it would send. */
export function createTestBot(pools: LicensePool[], options: {
    adminSpaceId?: string | null;
    sync?: SyncTrigger | null;
    allowedEmailDomains?: string[];
    /** How a notice (`outbox.deliver`) goes; default: delivered. Failed ones are not recorded in `sent`. */
    deliver?: (reply: Reply) => Delivery | null;
    /** SCHEDULE_TIMEZONE (default: the bot's, UTC). */
    timeZone?: string;
  } = {}) {
  const data = emptyLedger();
  for (const p of pools) data.pools[p.id] = p;
  const store = createMemorySeatStore(data);
  const clock = fixedClock('2026-03-02T09:00:00.000Z');
  const sent: Reply[] = [];
  const outbox: NoticeOutbox = {
    send: (replies) => {
      sent.push(...replies);
      return Promise.resolve();
    },
    deliver: (replies) => {
      const outcomes = replies.map((r): Delivery => options.deliver?.(r) ?? { ok: true, messageId: `sent-${sent.length}` });
      sent.push(...replies.filter((_r, i) => outcomes[i]?.ok === true));
      return Promise.resolve(outcomes);
    },
  };
  const bot = createBot({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    access: { adminEmails: TEST_ADMINS, adminSpaceId: options.adminSpaceId === undefined ? 'room-admins' : options.adminSpaceId, allowedEmailDomains: options.allowedEmailDomains ?? [] },
    outbox,
    sync: options.sync ?? null,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  });
  let n = 0;
  const say = (person: ChatPerson, text: string, roomType: RoomType = 'direct', mentionedBot = roomType === 'direct') =>
    bot.handle({ kind: 'message', id: `msg-${++n}`, roomId: `room-${person.id}`, roomType, person, text, mentionedBot, parentId: null });
  const click = (person: ChatPerson, inputs: Record<string, unknown>, opts: { id?: string; roomId?: string } = {}) =>
    bot.handle({ kind: 'cardAction', id: opts.id ?? `act-${++n}`, messageId: `card-${n}`, roomId: opts.roomId ?? `room-${person.id}`, roomType: 'direct', person, inputs });
  return { bot, store, clock, sent, say, click };
}

/** The text of a reply's card (all TextBlock/FactSet text), for assertions. */
export function cardText(reply: Reply | undefined): string {
  return JSON.stringify(reply?.card ?? {});
}

/**
 * The bot's cron jobs (the real job table, default schedules) over a test bot's store and clock; what they
 * post is recorded in `jobSent`, every notice delivered. `job(name)` finds one or fails the test.
 */
export function createTestJobs(t: { store: SeatStore; clock: Clock }) {
  const jobSent: Reply[] = [];
  const outbox: JobOutbox = {
    send: (r) => (jobSent.push(...r), Promise.resolve()),
    deliver: (r) => (jobSent.push(...r), Promise.resolve(r.map(() => ({ ok: true as const })))),
  };
  const { schedule } = loadConfig({});
  const jobs = jobTable({
    schedule,
    syncRunner: { run: () => Promise.reject(new Error('no sync in this test')) },
    store: t.store,
    clock: t.clock,
    outbox,
    notices: createJobNotices({ access: { adminEmails: TEST_ADMINS, adminSpaceId: 'room-admins', allowedEmailDomains: [] }, vendors: [] }),
    logger: createLogger({ level: 'silent' }),
  });
  const job = (name: string): Job => {
    const found = jobs.find((j) => j.name === name);
    if (!found) throw new Error(`no job ${name}`);
    return found;
  };
  return { jobSent, jobs, job, schedule };
}
