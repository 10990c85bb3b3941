// Undo of a release or a revoke: 10 minutes, only while the seat is still free, audited as seat.restored.
import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { submits } from '../cards/card-inspect.js';
import type { Reply } from '../../src/bot/chat-event.js';

const MIN = 60_000;
const figma = makePool({ externalId: 'figma', productName: 'Figma', totalSeats: 1, consumedSeats: 0, policy: { approval: 'auto', minFreeSeats: 0 } });

function undoOf(reply: Reply | undefined) {
  const undo = submits(reply?.card).find((s) => s.title === 'Undo');
  if (!undo) throw new Error('no Undo button');
  expect(undo.data['action']).toBe('seat.restore');
  return undo.data;
}

describe('undo', () => {
  it('gives a released seat back within 10 minutes, audited as its own change', async () => {
    const t = createTestBot([figma]);
    await t.say(PEOPLE.cy, 'request Figma');
    const [released] = await t.say(PEOPLE.cy, 'release Figma');
    expect(cardText(released)).toContain('Seat released');
    expect(released?.markdown).toContain('Undo');
    t.clock.advance(9 * MIN);
    const [restored] = await t.click(PEOPLE.cy, undoOf(released));
    expect(cardText(restored)).toContain('Seat restored');
    const seat = Object.values(t.store.read().data.assignments)[0]!;
    expect(seat.status).toBe('active');
    expect(seat.endedAt).toBeNull();
    expect(t.store.read().data.audit.map((e) => e.action).filter((a) => a.startsWith('seat.'))).toEqual(['seat.auto_approved', 'seat.released', 'seat.restored']);
    expect(t.store.read().usage(figma.id).available).toBe(0);
  });

  it("undoes an admin's revoke and tells the holder", async () => {
    const t = createTestBot([figma]);
    await t.say(PEOPLE.ada, 'grant Figma to cy@example.com');
    const [revoked] = await t.say(PEOPLE.ada, 'revoke Figma from cy@example.com');
    expect(cardText(revoked)).toContain('Seat revoked');
    t.clock.advance(5 * MIN);
    const [restored] = await t.click(PEOPLE.ada, undoOf(revoked));
    expect(cardText(restored)).toContain('Seat restored');
    expect(t.sent.filter((r) => cardText(r).includes('Seat restored')).map((r) => r.to)).toEqual([{ personEmail: 'cy@example.com' }]);
  });

  it('refuses after 10 minutes, clearly, and changes nothing', async () => {
    const t = createTestBot([figma]);
    await t.say(PEOPLE.ada, 'grant Figma to cy@example.com');
    const [revoked] = await t.say(PEOPLE.ada, 'revoke Figma from cy@example.com');
    t.clock.advance(10 * MIN + 1_000);
    const [refused] = await t.click(PEOPLE.ada, undoOf(revoked));
    expect(cardText(refused)).toContain('Too late to undo');
    expect(cardText(refused)).toContain('Undo works for 10 minutes');
    expect(Object.values(t.store.read().data.assignments)[0]?.status).toBe('revoked');
    expect(t.store.read().data.audit.some((e) => e.action === 'seat.restored')).toBe(false);
  });

  it('refuses when the seat was taken meanwhile', async () => {
    const t = createTestBot([figma]);
    await t.say(PEOPLE.cy, 'request Figma');
    const [released] = await t.say(PEOPLE.cy, 'release Figma');
    t.clock.advance(MIN);
    await t.say(PEOPLE.bob, 'request Figma');
    t.clock.advance(MIN);
    const [refused] = await t.click(PEOPLE.cy, undoOf(released));
    expect(cardText(refused)).toContain('No free seat');
    expect(cardText(refused)).toContain('taken in the meantime');
    const byEmail = Object.values(t.store.read().data.assignments).map((a) => [a.assignee.email, a.status]);
    expect(byEmail).toEqual([['cy@example.com', 'released'], ['bob@example.com', 'active']]);
  });

  it('lets nobody else undo a release', async () => {
    const t = createTestBot([makePool({ ...figma, totalSeats: 2 })]);
    await t.say(PEOPLE.cy, 'request Figma');
    const [released] = await t.say(PEOPLE.cy, 'release Figma');
    const [refused] = await t.click(PEOPLE.bob, undoOf(released));
    expect(cardText(refused)).toContain('Not your seat');
  });
});
