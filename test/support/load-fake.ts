// The fake Webex API (src/sandbox/fake-webex-api.ts) set up for load: N people, each in a direct space with the
// bot, two admins in an admin space, and timing of every bot message the fake receives. A benchmark drives
// people from here (say / click) while the bot under test runs in another process; latency is from the fake
// starting the webhook POST to the fake storing the bot's answer, both on this process's clock.
import { startFakeWebexApi, type FakeMessage, type FakeRoom, type FakeWebexApi } from '../../src/sandbox/fake-webex-api.js';
import { addMembership, addPerson, type FakePerson } from '../../src/sandbox/fake-webex/fake-state.js';
import { hydraId } from '../../src/sandbox/fake-webex/hydra-id.js';

export const LOAD_BOT = { displayName: 'License Bot', email: 'license-bot@webex.bot' } as const;
export const LOAD_ADMINS = [
  { displayName: 'Ada Admin', email: 'ada@example.com' },
  { displayName: 'Bob Admin', email: 'bob@example.com' },
] as const;

export interface LoadPerson {
  id: string;
  email: string;
  /** Their direct space with the bot. */
  roomId: string;
}

export interface Answer {
  /** performance.now() when the fake stored it. */
  at: number;
  message: FakeMessage;
}

export interface LoadFake {
  fake: FakeWebexApi;
  people: LoadPerson[];
  adminRoom: FakeRoom;
  botId: string;
  /** The bot's next message in `roomId` that `match`es (time it arrived); rejects after `timeoutMs`. */
  nextBotMessage(roomId: string, match: (m: FakeMessage) => boolean, timeoutMs?: number): { answer: Promise<Answer>; cancel(): void };
  /** `person` says `text`; resolves with the bot's first answer matching `match` and the latency. */
  say(person: LoadPerson, text: string, match?: (m: FakeMessage) => boolean): Promise<{ latencyMs: number; answer: FakeMessage }>;
  /** `person` presses a button on `card` with `inputs`; resolves with the bot's threaded answer and the latency. */
  click(person: LoadPerson, card: FakeMessage, inputs: Record<string, unknown>): Promise<{ latencyMs: number; actionId: string; answer: FakeMessage }>;
  /** Bot messages per room seen so far. */
  botMessageCount(roomId: string): number;
  /** Webhook POSTs the receiver did not answer 200 (counted, then the fake's delivery log is emptied). */
  failedDeliveries(): number;
  /** Empties the fake's request and delivery logs (they keep every body and would grow without bound). */
  trimLogs(): void;
  /** Requests the fake answered since the last trimLogs, by method and route (ids replaced by {id}). */
  requestsByRoute(): Record<string, number>;
  close(): Promise<void>;
}

/** A direct space between the bot and `person`, added in O(memberships) (the fake's own lookup scans every space). */
function directSpace(fake: FakeWebexApi, person: FakePerson, now: string): FakeRoom {
  const room: FakeRoom = {
    id: hydraId('ROOM'),
    title: person.displayName,
    type: 'direct',
    isLocked: false,
    creatorId: person.id,
    lastActivity: now,
    created: now,
  };
  fake.state.rooms.set(room.id, room);
  addMembership(fake.state, room, fake.state.bot, now);
  addMembership(fake.state, room, person, now);
  return room;
}

export async function startLoadFake(options: { people: number }): Promise<LoadFake> {
  const fake = await startFakeWebexApi({ bot: LOAD_BOT, people: [...LOAD_ADMINS] });
  const botId = fake.state.bot.id;
  const now = new Date().toISOString();
  const people: LoadPerson[] = [];
  for (let i = 0; i < options.people; i++) {
    const p = addPerson(fake.state, { displayName: `Bench User ${i}`, email: `bench-user-${i}@example.com` }, now);
    people.push({ id: p.id, email: p.emails[0] ?? '', roomId: directSpace(fake, p, now).id });
  }
  const adminRoom = fake.createRoom({ title: 'License Admins', type: 'group', members: LOAD_ADMINS.map((a) => a.email) });

  type Waiter = { match: (m: FakeMessage) => boolean; resolve: (a: Answer) => void; timer: NodeJS.Timeout };
  const waiters = new Map<string, Set<Waiter>>();
  const counts = new Map<string, number>();
  const messages = fake.state.messages;
  const store = messages.set.bind(messages);
  messages.set = (id: string, m: FakeMessage) => {
    const result = store(id, m);
    if (m.personId === botId) {
      const at = performance.now();
      counts.set(m.roomId, (counts.get(m.roomId) ?? 0) + 1);
      for (const w of waiters.get(m.roomId) ?? []) {
        if (!w.match(m)) continue;
        waiters.get(m.roomId)?.delete(w);
        clearTimeout(w.timer);
        w.resolve({ at, message: m });
        break;
      }
    }
    return result;
  };

  const nextBotMessage: LoadFake['nextBotMessage'] = (roomId, match, timeoutMs = 30_000) => {
    let waiter: Waiter | undefined;
    const answer = new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (waiter) waiters.get(roomId)?.delete(waiter);
        reject(new Error(`no answer from the bot in room ${roomId} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter = { match, resolve, timer };
      let set = waiters.get(roomId);
      if (!set) waiters.set(roomId, (set = new Set()));
      set.add(waiter);
    });
    return {
      answer,
      cancel() {
        if (!waiter) return;
        clearTimeout(waiter.timer);
        waiters.get(roomId)?.delete(waiter);
      },
    };
  };

  let failed = 0;
  const countFailures = (): void => {
    failed += fake.state.deliveries.filter((d) => d.status !== 200).length;
    fake.state.deliveries.length = 0;
  };

  return {
    fake,
    people,
    adminRoom,
    botId,
    nextBotMessage,
    async say(person, text, match = () => true) {
      const next = nextBotMessage(person.roomId, match);
      const t0 = performance.now();
      try {
        await fake.userSays({ roomId: person.roomId, personId: person.id, text });
      } catch (err) {
        next.cancel();
        throw err;
      }
      const { at, message } = await next.answer;
      return { latencyMs: at - t0, answer: message };
    },
    async click(person, card, inputs) {
      const next = nextBotMessage(card.roomId, (m) => m.parentId === card.id);
      const t0 = performance.now();
      let actionId: string;
      try {
        actionId = (await fake.userSubmits({ messageId: card.id, personId: person.id, inputs })).id;
      } catch (err) {
        next.cancel();
        throw err;
      }
      const { at, message } = await next.answer;
      return { latencyMs: at - t0, actionId, answer: message };
    },
    botMessageCount: (roomId) => counts.get(roomId) ?? 0,
    failedDeliveries() {
      countFailures();
      return failed;
    },
    trimLogs() {
      countFailures();
      fake.requests.length = 0;
    },
    requestsByRoute() {
      const out: Record<string, number> = {};
      for (const r of fake.requests) {
        const path = r.url.split('?')[0]?.replace(/\/(v1\/[a-z/]+?)\/[A-Za-z0-9_-]{20,}$/, '/$1/{id}') ?? r.url;
        const key = `${r.method} ${path}${r.status >= 400 ? ` ${r.status}` : ''}`;
        out[key] = (out[key] ?? 0) + 1;
      }
      return out;
    },
    close: () => fake.close(),
  };
}

/** The first Action.Submit's data on a card message (what its button sends besides the inputs). */
export function submitData(card: FakeMessage): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'Action.Submit' && typeof o['data'] === 'object' && o['data'] !== null)
        found.push(o['data'] as Record<string, unknown>);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(card.attachments);
  const first = found[0];
  if (!first) throw new Error(`message ${card.id} has no Action.Submit`);
  return first;
}

export const hasCard = (m: FakeMessage): boolean => (m.attachments?.length ?? 0) > 0;
