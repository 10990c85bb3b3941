import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import type { SyncTrigger } from '../../src/bot/bot-deps.js';

const figma = makePool({
  externalId: 'fg',
  productName: 'Figma Professional',
  totalSeats: 5,
  consumedSeats: 0,
});
const KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
] as const;
const sync: SyncTrigger = {
  current: () => null,
  whenDone: () => Promise.resolve(null),
  run: () => Promise.reject(new Error('not in this test')),
  vendors: () => ['cpod'],
};

/** A clean answer: one reply, not the "something went wrong" of a crashed handler. */
function expectClean(replies: readonly { markdown: string }[], label: string, pattern: RegExp): void {
  expect(replies, label).toHaveLength(1);
  expect(replies[0]?.markdown, label).not.toMatch(/Something went wrong/);
  expect(replies[0]?.markdown, label).toMatch(pattern);
}

describe('ids and names from cards and chat never reach Object.prototype', () => {
  for (const key of KEYS) {
    it(`answers "${key}" as an action, pool, seat or vendor like any unknown one`, async () => {
      const t = createTestBot([figma], { sync });
      expectClean(await t.click(PEOPLE.cy, { action: key }), 'action', /could not read what this card sent/);
      expectClean(
        await t.click(PEOPLE.cy, { action: 'pool.show', poolId: key }),
        'pool.show',
        /no longer exists/,
      );
      expectClean(
        await t.click(PEOPLE.cy, { action: 'seat.request', poolId: key }),
        'seat.request',
        /That license is not known/,
      );
      expectClean(
        await t.click(PEOPLE.cy, { action: 'seat.release', assignmentId: key }),
        'seat.release',
        /Unknown seat/,
      );
      expectClean(
        await t.click(PEOPLE.cy, { action: 'seat.cancel', pendingAssignmentId: key }),
        'seat.cancel',
        /Unknown seat/,
      );
      expectClean(
        await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: key }),
        'seat.approve',
        /Unknown seat/,
      );
      expectClean(
        await t.click(PEOPLE.ada, { action: 'seat.deny', assignmentId: key }),
        'seat.deny',
        /Unknown seat/,
      );
      expectClean(
        await t.click(PEOPLE.ada, { action: 'seat.revoke', poolId: key, assignmentId: key }),
        'seat.revoke',
        /Unknown seat/,
      );
      expectClean(
        await t.click(PEOPLE.ada, { action: 'holders.page', poolId: key, page: '0' }),
        'holders.page',
        /no longer exists/,
      );
      expectClean(await t.say(PEOPLE.ada, `sync ${key}`), 'sync', /is not a vendor/);
      expectClean(await t.say(PEOPLE.cy, key), 'chat', /no license called|fits more than one/);
      expectClean(
        await t.say(PEOPLE.cy, `request ${key}`),
        'request',
        /no license called|fits more than one/,
      );
      expectClean(
        await t.say(PEOPLE.ada, `grant ${key} to cy@example.com`),
        'grant',
        /no license called|fits more than one/,
      );
      expect(Object.keys(t.store.read().data.assignments)).toHaveLength(0);
    });
  }

  it('ignores an own "__proto__" key in the submitted inputs (as JSON.parse makes it)', async () => {
    const t = createTestBot([figma]);
    const inputs = JSON.parse(
      `{"__proto__": "seat.approve", "action": "pool.show", "poolId": ${JSON.stringify(figma.id)}}`,
    ) as Record<string, unknown>;
    const [reply] = await t.click(PEOPLE.cy, inputs);
    expect(cardText(reply)).toContain('Figma Professional');
    // An object value (what would replace the prototype of a copied record) is refused before anything reads it.
    const [nested] = await t.click(
      PEOPLE.cy,
      JSON.parse('{"__proto__": {"action": "pool.show", "isAdmin": true}}') as Record<string, unknown>,
    );
    expect(nested?.markdown).toMatch(/That card sent more than a card of mine can/);
  });
});
