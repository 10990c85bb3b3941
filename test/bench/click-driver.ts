// Drives people against a bot through the load fake: each person gets a card from the bot, then presses its
// button round after round. Closed loop: every worker is one person at a time and waits for the bot's answer
// before that person clicks again, so a person never has two clicks in flight.
import type { FakeMessage } from '../../src/sandbox/fake-webex-api.js';
import { hasCard, submitData, type LoadFake, type LoadPerson } from '../support/load-fake.js';
import { benchPool, benchProductName } from '../support/bench-ledger.js';
import { round } from './bench-stats.js';

/** How one bot under test is talked to. */
export interface ClickTarget {
  label: string;
  /** What a person says to get a card with a button. */
  setupText: string;
  /** The inputs of the `round`-th click on `card` (the button's data plus what the person picked). */
  inputs(card: FakeMessage, round: number): Record<string, unknown>;
  /** Whether the bot's answer is the expected one (not an error). */
  expected(answer: FakeMessage): boolean;
}

/** The license bot: a pool card ("seats Bench Product 00"); round r requests a seat in pool r. */
export const LICENSE_BOT: ClickTarget = {
  label: 'license-bot',
  setupText: `seats ${benchProductName(0)}`,
  inputs: (card, r) => ({ ...submitData(card), poolId: benchPool(r).id, days: '', reason: '' }),
  expected: (m) => (m.markdown ?? m.text ?? '').includes('waiting for an admin'),
};

/** The bare framework echo bot: a one-button card ("card"); every click is echoed in the card's thread. */
export const ECHO_BOT: ClickTarget = {
  label: 'echo-bot',
  setupText: 'card',
  inputs: (card, r) => ({ ...submitData(card), round: r }),
  expected: (m) => (m.markdown ?? m.text ?? '').startsWith('echo:'),
};

export interface Click {
  person: LoadPerson;
  round: number;
  actionId: string;
  latencyMs: number;
  expected: boolean;
}

export interface ClickPhase {
  clicks: Click[];
  seconds: number;
  perSecond: number;
}

/** Each person asks for a card, `workers` at a time; returns person id -> the bot's card. */
export async function fetchCards(lf: LoadFake, people: readonly LoadPerson[], target: ClickTarget, workers: number): Promise<{ cards: Map<string, FakeMessage>; latenciesMs: number[] }> {
  const cards = new Map<string, FakeMessage>();
  const latenciesMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < people.length) {
        const person = people[next++]!;
        const { latencyMs, answer } = await lf.say(person, target.setupText, hasCard);
        latenciesMs.push(latencyMs);
        cards.set(person.id, answer);
      }
    }),
  );
  return { cards, latenciesMs };
}

/**
 * Clicks: worker w takes people w, w + workers, ... and, for each round in `rounds`, has each of them click once
 * (one person at a time per worker). With workers = people, every person clicks all rounds back to back.
 */
export async function clickRounds(
  lf: LoadFake,
  people: readonly LoadPerson[],
  cards: ReadonlyMap<string, FakeMessage>,
  target: ClickTarget,
  rounds: readonly number[],
  workers: number,
): Promise<ClickPhase> {
  const clicks: Click[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(workers, people.length) }, async (_, w) => {
      const mine = people.filter((_p, i) => i % workers === w);
      for (const r of rounds) {
        for (const person of mine) {
          const card = cards.get(person.id);
          if (!card) throw new Error(`no card for ${person.email}`);
          const { latencyMs, actionId, answer } = await lf.click(person, card, target.inputs(card, r));
          clicks.push({ person, round: r, actionId, latencyMs, expected: target.expected(answer) });
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { clicks, seconds: round(seconds), perSecond: round(clicks.length / seconds) };
}
